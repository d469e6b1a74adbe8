import path from 'node:path';
import { defineCommand } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { fileLine, importSummary } from '../report-format.ts';
import { ingest } from '../../../data-loaders/ingest.ts';
import { DEFAULT_DB_PATH, withWarehouse } from '../../warehouse/warehouse.ts';

function ingestCommand(name: 'ingest' | 'check') {
  const dryRun = name === 'check';
  return defineCommand(
    {
      name,
      usage: `pastoral ${name} DIR… [--db FILE]`,
      summary: dryRun
        ? 'Validates school exports against the import contract without loading anything; prints the same report as ingest.'
        : 'Loads school exports (a school folder, or a trust folder of school folders) into the DuckDB warehouse as one transaction.',
      allowPositionals: true,
      options: {
        db: { type: 'string', description: 'Warehouse file', valueName: 'FILE', default: DEFAULT_DB_PATH },
        'rejects-dir': { type: 'string', description: 'Where to write the rejects CSV (default: rejects/ beside the warehouse)', valueName: 'DIR' },
      },
      details: 'Exit codes: 0 all rows loaded; 3 some rows rejected or a file stopped (see the report); 1 the import failed and nothing changed.',
    },
    async (values, dirs) => {
      if (dirs.length === 0) throw new CliError(`give at least one export folder, e.g. pastoral ${name} data/demo`, ExitCode.usage);
      const db = values.db ?? DEFAULT_DB_PATH;
      const report = await withWarehouse(db, (connection) =>
        ingest(connection, dirs, {
          dryRun,
          rejectsDir: values['rejects-dir'] ?? path.join(path.dirname(db), 'rejects'),
          onFileDone: (r) => process.stdout.write(`${fileLine(r)}\n`),
        }),
      );
      process.stdout.write(`${importSummary(report)}\n`);
      const rejected = report.files.some((f) => f.rowsRejected > 0);
      return rejected || report.stopped.length > 0 ? ExitCode.badInput : ExitCode.ok;
    },
  );
}

export const ingestCmd = ingestCommand('ingest');
export const checkCmd = ingestCommand('check');
