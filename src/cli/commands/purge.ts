import { defineCommand } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { failuresText } from './models.ts';
import { runModels } from '../../models/run-models.ts';
import { DEFAULT_SETTINGS, type ModelSettings } from '../../models/settings.ts';
import { parseIsoDate, purgeLeavers, type PurgeReport } from '../../models/purge.ts';
import { DEFAULT_DB_PATH, queryRows, withWarehouse } from '../../warehouse/warehouse.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { moveOldRawTables } from '../../../data-loaders/raw-schema.ts';

/** The model settings stored by the last `pastoral models` (so a purge rebuilds with the school's own windows). */
export async function storedSettings(connection: DuckDBConnection): Promise<Partial<ModelSettings>> {
  const [{ n }] = await queryRows<{ n: number }>(
    connection,
    "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'settings' AND database_name = current_database()",
  );
  if (n === 0) return {};
  const [row] = await queryRows<Record<string, unknown>>(connection, 'SELECT * FROM settings LIMIT 1');
  const settings: Record<string, number> = {};
  for (const [column, value] of Object.entries(row ?? {})) {
    const key = column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (key in DEFAULT_SETTINGS && typeof value === 'number') settings[key] = value;
  }
  return settings as Partial<ModelSettings>;
}

export function purgeText(report: PurgeReport): string {
  const width = Math.max(...report.tables.map((t) => t.table.length));
  return [
    `${report.committed ? 'Removed' : 'Would remove'} ${report.pupils} pupil${report.pupils === 1 ? '' : 's'} who left before ${report.leftBefore}:`,
    ...report.tables.map((t) => `  ${t.table.padEnd(width)} ${String(t.rows).padStart(9)} rows`),
  ].join('\n');
}

export const purgeCmd = defineCommand(
  {
    name: 'purge',
    usage: 'pastoral purge --left-before YYYY-MM-DD [--db FILE] [--dry-run] [--skip-models]',
    summary:
      "Removes every record of the pupils who left before a date (the school's retention schedule) from the warehouse, in one transaction, then rebuilds the models.",
    options: {
      'left-before': { type: 'string', description: 'Pupils whose leaving date is before this day go', valueName: 'YYYY-MM-DD' },
      db: { type: 'string', description: 'Warehouse file', valueName: 'FILE', default: DEFAULT_DB_PATH },
      'dry-run': { type: 'boolean', description: 'Report what would be removed; change nothing' },
      'skip-models': { type: 'boolean', description: 'Do not rebuild the models (they are dropped: run pastoral models before building)' },
    },
    details: [
      'Removed: the pupils\' rows in every raw table, the import rejects holding their ids or names, and the',
      'model tables (rebuilt at once with the stored settings). Kept: the import log (files and counts) and',
      'raw.purge_log (this purge\'s counts). Afterwards rebuild the dashboards (pastoral build), and delete',
      'old export folders and rejects CSVs that still hold them (docs/serving.md, "Retention").',
      'Exit codes: 0 done; 1 failed (nothing changed); 2 usage; 4 a data test failed after the rebuild.',
    ].join('\n'),
  },
  async (values) => {
    const leftBefore = values['left-before'];
    if (leftBefore === undefined) throw new CliError('--left-before YYYY-MM-DD is required', ExitCode.usage);
    if (parseIsoDate(leftBefore) === null) throw new CliError(`--left-before must be a date as YYYY-MM-DD, got "${leftBefore}"`, ExitCode.usage);
    const db = values.db ?? DEFAULT_DB_PATH;
    const { report, models } = await withWarehouse(db, async (connection) => {
      const settings = await storedSettings(connection);
      // A warehouse made before session 18 has its raw rows moved first (the purge deletes stored rows).
      await moveOldRawTables(connection);
      const report = await purgeLeavers(connection, leftBefore, { dryRun: values['dry-run'] });
      process.stdout.write(`${purgeText(report)}\n`);
      if (!report.committed || values['skip-models']) return { report, models: null };
      return { report, models: await runModels(connection, { settings }) };
    });
    if (!report.committed) return;
    if (models === null) {
      process.stdout.write(`Models dropped (${report.modelsDropped.length}): rebuild them with pastoral models --db ${db}\n`);
    } else {
      process.stdout.write(`Models rebuilt: ${models.order.length}; data tests: ${models.testsRun - models.failures.length} of ${models.testsRun} passed\n`);
    }
    process.stdout.write('Rebuild the dashboards now (pastoral build): the site built before still shows these pupils.\n');
    if (models && models.failures.length > 0) {
      process.stdout.write(`${failuresText(models)}\n`);
      throw new CliError(`data tests failed after the purge: ${models.failures.map((f) => f.test).join(', ')}`, ExitCode.dataTestsFailed);
    }
  },
);
