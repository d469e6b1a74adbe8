import { defineCommand, intOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { ensureRawSchema } from '../../../data-loaders/raw-schema.ts';
import { runModels, type ModelRunReport } from '../../models/run-models.ts';
import { DEFAULT_SETTINGS } from '../../models/settings.ts';
import { DEFAULT_DB_PATH, withWarehouse } from '../../warehouse/warehouse.ts';

export function failuresText(report: ModelRunReport): string {
  return report.failures
    .map((f) => {
      const rows = f.sample.map((r) => `    ${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))}`);
      return `  FAILED ${f.test} (${f.file}): ${f.failingRows} failing row(s)\n${rows.join('\n')}`;
    })
    .join('\n');
}

export const modelsCmd = defineCommand(
  {
    name: 'models',
    usage: 'pastoral models [--db FILE] [--repeat-window DAYS] [--impact-weeks WEEKS] [--serious-severity N]',
    summary: 'Builds every SQL model in sql/ in dependency order (read from the SQL), then runs the data tests in sql/tests.',
    options: {
      db: { type: 'string', description: 'Warehouse file', valueName: 'FILE', default: DEFAULT_DB_PATH },
      'repeat-window': { type: 'string', description: 'School days within which a BSC placement is a repeat', valueName: 'DAYS', default: String(DEFAULT_SETTINGS.repeatReferralWindowDays) },
      'impact-weeks': { type: 'string', description: 'School weeks before/after an intervention start', valueName: 'WEEKS', default: String(DEFAULT_SETTINGS.impactWindowWeeks) },
      'serious-severity': { type: 'string', description: 'Lowest severity (1–5) of a serious incident, whose statement is expected the same day', valueName: 'N', default: String(DEFAULT_SETTINGS.seriousSeverity) },
      quiet: { type: 'boolean', description: 'Print only the summary' },
    },
    details: 'Exit codes: 0 built and all data tests pass; 4 a data test failed (its failing rows are shown); 1 a model failed (nothing changed).',
  },
  async (values) => {
    const settings = {
      repeatReferralWindowDays: intOption(values['repeat-window'], 'repeat-window', DEFAULT_SETTINGS.repeatReferralWindowDays),
      impactWindowWeeks: intOption(values['impact-weeks'], 'impact-weeks', DEFAULT_SETTINGS.impactWindowWeeks),
      seriousSeverity: intOption(values['serious-severity'], 'serious-severity', DEFAULT_SETTINGS.seriousSeverity),
    };
    if (settings.seriousSeverity > 5) throw new CliError(`--serious-severity must be a severity from 1 to 5, got "${values['serious-severity']}"`, ExitCode.usage);
    const report = await withWarehouse(values.db ?? DEFAULT_DB_PATH, async (connection) => {
      // The raw layer belongs to the loaders; on a warehouse nothing was imported into yet, make it empty.
      await ensureRawSchema(connection);
      return runModels(connection, {
        settings,
        onModel: values.quiet ? undefined : (name, rows) => process.stdout.write(`  built ${name.padEnd(36)} ${String(rows).padStart(9)} rows\n`),
      });
    });
    process.stdout.write(`Models: ${report.order.length} built; data tests: ${report.testsRun - report.failures.length} of ${report.testsRun} passed\n`);
    if (report.failures.length > 0) {
      process.stdout.write(`${failuresText(report)}\n`);
      throw new CliError(`data test${report.failures.length > 1 ? 's' : ''} failed: ${report.failures.map((f) => f.test).join(', ')}`, ExitCode.dataTestsFailed);
    }
  },
);
