import { defineCommand } from '../command.ts';
import { compactWarehouse, type CompactReport } from '../../warehouse/compact.ts';
import { DEFAULT_DB_PATH, WAREHOUSE_STORAGE_VERSION } from '../../warehouse/warehouse.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function compactText(report: CompactReport): string {
  return [
    `Compacted ${report.path}: ${report.tables} tables, ${report.rows.toLocaleString('en-GB')} rows, each checked against the original.`,
    `  ${mb(report.bytesBefore)} → ${mb(report.bytesAfter)}, in DuckDB's ${WAREHOUSE_STORAGE_VERSION} storage format (before: ${report.formatBefore ?? 'unknown'}).`,
  ].join('\n');
}

export const compactCmd = defineCommand(
  {
    name: 'compact',
    usage: 'pastoral compact [--db FILE]',
    summary:
      'Rewrites the warehouse into a fresh file and puts it in its place: no trace of deleted rows (after pastoral purge), and the current storage format.',
    options: {
      db: { type: 'string', description: 'Warehouse file', valueName: 'FILE', default: DEFAULT_DB_PATH },
    },
    details: [
      'Every table, view and macro is copied, and each table checked row for row (by hash) against the',
      'original before the copy replaces it; until then the warehouse is untouched. Needs free disk space',
      'for a second copy. Close pastoral serve and builds first. A warehouse made before the 1.5 storage',
      'format (docs/performance.md, session 45) is moved to it: its model runs take less CPU.',
      'Exit codes: 0 done; 1 failed (the warehouse left as it was); 2 usage.',
    ].join('\n'),
  },
  async (values) => {
    process.stdout.write(`${compactText(await compactWarehouse(values.db ?? DEFAULT_DB_PATH))}\n`);
  },
);
