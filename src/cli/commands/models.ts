import path from 'node:path';
import { defineCommand, intOption, memoryLimitOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { ensureRawSchema } from '../../../data-loaders/raw-schema.ts';
import { runDescription, runModels, type ModelRunReport, type ModelTiming } from '../../models/run-models.ts';
import { DEFAULT_SETTINGS } from '../../models/settings.ts';
import { olderFormatHint, storageVersionOf } from '../../warehouse/storage-format.ts';
import { DEFAULT_DB_PATH, defaultMemoryLimit, withWarehouse } from '../../warehouse/warehouse.ts';

export function failuresText(report: ModelRunReport): string {
  return report.failures
    .map((f) => {
      const rows = f.sample.map((r) => `    ${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))}`);
      return `  FAILED ${f.test} (${f.file}): ${f.failingRows} failing row(s)\n${rows.join('\n')}`;
    })
    .join('\n');
}

const MODE_WORD: Record<NonNullable<ModelTiming['mode']>, string> = {
  full: 'built',
  partitions: 'updated',
  unchanged: 'kept',
  view: 'view',
};

/**
 * One model's line: how it was brought up to date (built whole, updated by partition, kept as
 * it was, a view), name, rows (a dash for a view), elapsed and CPU seconds (aligned, so the slow ones stand out).
 */
export function modelLine(model: ModelTiming): string {
  const { name, rows, seconds, cpuSeconds } = model;
  const word = MODE_WORD[model.mode ?? 'full'];
  // A view's rows are not counted (its readers compute it): a dash where a table has its count.
  const count = rows === null ? '—' : rows.toLocaleString('en-GB');
  return `  ${word} ${name.padEnd(45 - word.length)} ${count.padStart(11)} rows ${seconds.toFixed(2).padStart(8)} s  (CPU ${cpuSeconds.toFixed(2)} s)`;
}

export const modelsCmd = defineCommand(
  {
    name: 'models',
    usage: 'pastoral models [--db FILE] [--full] [--repeat-window DAYS] [--impact-weeks WEEKS] [--serious-severity N] [--profile DIR] [--memory-limit SIZE]',
    summary: 'Builds every SQL model in sql/ in dependency order (read from the SQL), then runs the data tests in sql/tests.',
    options: {
      db: { type: 'string', description: 'Warehouse file', valueName: 'FILE', default: DEFAULT_DB_PATH },
      'repeat-window': { type: 'string', description: 'School days within which a BSC placement is a repeat', valueName: 'DAYS', default: String(DEFAULT_SETTINGS.repeatReferralWindowDays) },
      'impact-weeks': { type: 'string', description: 'School weeks before/after an intervention start', valueName: 'WEEKS', default: String(DEFAULT_SETTINGS.impactWindowWeeks) },
      'serious-severity': { type: 'string', description: 'Lowest severity (1–5) of a serious incident, whose statement is expected the same day', valueName: 'N', default: String(DEFAULT_SETTINGS.seriousSeverity) },
      profile: { type: 'string', description: "Write DuckDB's EXPLAIN ANALYZE of each model to DIR/<model>.txt", valueName: 'DIR' },
      'memory-limit': { type: 'string', description: `DuckDB memory limit; past it DuckDB spills to FILE.tmp/ beside the warehouse (default: $PASTORAL_MEMORY_LIMIT, else ${defaultMemoryLimit()})`, valueName: 'SIZE' },
      full: { type: 'boolean', description: 'Rebuild every model whole (otherwise only what changed since the last run)' },
      quiet: { type: 'boolean', description: 'Print only the summary' },
    },
    details:
      'Each model is printed with its rows and the seconds it took; --profile shows where those seconds go.\n' +
      'Only what changed since the last run is rebuilt: the (school, academic year) partitions whose raw rows changed, for\n' +
      'models that say how they partition (-- incremental: in the SQL), and whole the models that cannot be split. A changed\n' +
      'model, macro or setting rebuilds what depends on it whole; --full rebuilds everything. The marts are the same either way.\n' +
      'Exit codes: 0 built and all data tests pass; 4 a data test failed (its failing rows are shown); 1 a model failed (nothing changed).',
  },
  async (values) => {
    const settings = {
      repeatReferralWindowDays: intOption(values['repeat-window'], 'repeat-window', DEFAULT_SETTINGS.repeatReferralWindowDays),
      impactWindowWeeks: intOption(values['impact-weeks'], 'impact-weeks', DEFAULT_SETTINGS.impactWindowWeeks),
      seriousSeverity: intOption(values['serious-severity'], 'serious-severity', DEFAULT_SETTINGS.seriousSeverity),
    };
    if (settings.seriousSeverity > 5) throw new CliError(`--serious-severity must be a severity from 1 to 5, got "${values['serious-severity']}"`, ExitCode.usage);
    const memoryLimit = memoryLimitOption(values['memory-limit']);
    const profileDir = values.profile ? path.resolve(values.profile) : undefined;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const db = values.db ?? DEFAULT_DB_PATH;
    const { report, format } = await withWarehouse(
      db,
      async (connection) => {
        // The raw layer belongs to the loaders; on a warehouse nothing was imported into yet, make it empty.
        await ensureRawSchema(connection);
        const report = await runModels(connection, {
          settings,
          profileDir,
          full: values.full ?? false,
          onModel: values.quiet ? undefined : (model) => process.stdout.write(`${modelLine(model)}\n`),
        });
        return { report, format: await storageVersionOf(connection) };
      },
      { memoryLimit },
    );
    const total = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    if (profileDir) process.stdout.write(`Plans (EXPLAIN ANALYZE) written to ${profileDir}\n`);
    process.stdout.write(`${runDescription(report)}\n`);
    process.stdout.write(`Models: ${report.order.length} built in ${total.toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s); data tests: ${report.testsRun - report.failures.length} of ${report.testsRun} passed\n`);
    const hint = olderFormatHint(format, db);
    if (hint) process.stdout.write(`${hint}\n`);
    if (report.failures.length > 0) {
      process.stdout.write(`${failuresText(report)}\n`);
      throw new CliError(`data test${report.failures.length > 1 ? 's' : ''} failed: ${report.failures.map((f) => f.test).join(', ')}`, ExitCode.dataTestsFailed);
    }
  },
);
