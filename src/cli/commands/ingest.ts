import path from 'node:path';
import { defineCommand, memoryLimitOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { importProgress, importSummary } from '../report-format.ts';
import { ingest } from '../../../data-loaders/ingest.ts';
import { PROFILES } from '../../../data-loaders/profiles/index.ts';
import { DEFAULT_DB_PATH, defaultMemoryLimit, withWarehouse } from '../../warehouse/warehouse.ts';

const profileHelp = [
  'Files: each school folder is read whole. A file named after a record type (students.csv, behaviour.csv, …) is read',
  'as that type; any other .csv is recognised from its headers (the canonical layout, or a vendor profile). Files that',
  'fit nothing are listed as ignored, with the reason. --profile NAME reads files with that profile instead.',
  '',
  'Vendor profiles (docs/vendor-profiles.md):',
  ...PROFILES.map((p) => `  ${p.name.padEnd(26)} ${p.title}`),
].join('\n');

function ingestCommand(name: 'ingest' | 'check') {
  const dryRun = name === 'check';
  return defineCommand(
    {
      name,
      usage: `pastoral ${name} DIR… [--db FILE] [--profile NAME]… [--memory-limit SIZE]`,
      summary: dryRun
        ? 'Validates school exports against the import contract without loading anything; prints the same report as ingest.'
        : 'Loads school exports (a school folder, or a trust folder of school folders) into the DuckDB warehouse as one transaction.',
      allowPositionals: true,
      options: {
        db: { type: 'string', description: 'Warehouse file', valueName: 'FILE', default: DEFAULT_DB_PATH },
        'rejects-dir': { type: 'string', description: 'Where to write the rejects CSV (default: rejects/ beside the warehouse)', valueName: 'DIR' },
        profile: { type: 'string', multiple: true, description: 'Read exports with this vendor profile (repeat for several)', valueName: 'NAME' },
        'memory-limit': { type: 'string', description: `DuckDB memory limit; past it DuckDB spills to FILE.tmp/ beside the warehouse (default: $PASTORAL_MEMORY_LIMIT, else ${defaultMemoryLimit()})`, valueName: 'SIZE' },
      },
      details: `${profileHelp}\n\nExit codes: 0 all rows loaded; 3 some rows rejected or a file stopped (see the report); 1 the import failed and nothing changed.`,
    },
    async (values, dirs) => {
      if (dirs.length === 0) throw new CliError(`give at least one export folder, e.g. pastoral ${name} data/demo`, ExitCode.usage);
      const db = values.db ?? DEFAULT_DB_PATH;
      const known = new Set(PROFILES.map((p) => p.name));
      for (const p of values.profile ?? []) {
        if (!known.has(p)) throw new CliError(`unknown profile "${p}": known profiles are ${[...known].join(', ')}`, ExitCode.usage);
      }
      const memoryLimit = memoryLimitOption(values['memory-limit']);
      const progress = importProgress(process.stdout, process.stderr);
      const report = await withWarehouse(db, async (connection) => {
        try {
          return await ingest(connection, dirs, {
            dryRun,
            profiles: values.profile ?? [],
            rejectsDir: values['rejects-dir'] ?? path.join(path.dirname(db), 'rejects'),
            onPlan: (files, ignored) => progress.plan(files, ignored),
            onFileStart: (file, index, total) => progress.start(file, index, total),
            onFileDone: (r) => progress.done(r),
          });
        } finally {
          progress.finish();
        }
      }, { memoryLimit });
      process.stdout.write(`${importSummary(report)}\n`);
      const rejected = report.files.some((f) => f.rowsRejected > 0);
      return rejected || report.stopped.length > 0 ? ExitCode.badInput : ExitCode.ok;
    },
  );
}

export const ingestCmd = ingestCommand('ingest');
export const checkCmd = ingestCommand('check');
