import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_OUT_DIR } from './build.ts';
import { windowHelp, windowOptions, windowRules } from './ingest.ts';
import { failuresText } from './models.ts';
import { defineCommand } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { fileLine, importSummary, skippedLine } from '../import-report-lines.ts';
import { RefreshStepError, runRefresh, summaryText } from '../../refresh/refresh.ts';
import { olderFormatHint } from '../../warehouse/storage-format.ts';
import { DEFAULT_DB_PATH } from '../../warehouse/warehouse.ts';

/** Where the weekly exports are dropped unless INBOX is given. */
export const DEFAULT_INBOX = path.join('data', 'inbox');

const STEP_EXIT: Record<RefreshStepError['step'], ExitCode> = {
  import: ExitCode.failure,
  models: ExitCode.failure,
  'data tests': ExitCode.dataTestsFailed,
  build: ExitCode.buildFailed,
  pdf: ExitCode.failure,
};

export const refreshCmd = defineCommand(
  {
    name: 'refresh',
    usage: 'pastoral refresh [INBOX] [--db FILE] [--out DIR] [--pdf-term TERM] [--pdf-dir DIR] [--covers [TYPE=]FROM..TO]… [--full] [--allow-removals] [--full-models]',
    summary:
      'The weekly routine: imports the new exports in INBOX (a school folder or a trust folder; files imported before are skipped), rebuilds the models and the dashboards, prints the termly PDF if asked, and says what changed since the last refresh.',
    allowPositionals: true,
    options: {
      db: { type: 'string', description: 'Warehouse file', valueName: 'FILE', default: DEFAULT_DB_PATH },
      out: { type: 'string', description: 'The site (replaced only once the new one is built)', valueName: 'DIR', default: DEFAULT_OUT_DIR },
      'pdf-term': { type: 'string', description: 'Also print the termly report for this term (Autumn, Spring, Summer), one PDF per school', valueName: 'TERM' },
      'pdf-dir': { type: 'string', description: 'Where the PDFs go (default: pdf/ beside the warehouse)', valueName: 'DIR' },
      ...windowOptions,
      'full-models': { type: 'boolean', description: 'Rebuild every model whole (otherwise only the partitions the import touched, and the models that cannot be split)' },
    },
    details: [
      `INBOX defaults to ${DEFAULT_INBOX}. The import is one transaction; a file whose content was imported before (same SHA-256,`,
      'same school) is skipped. The site is built into a new folder and swapped in at the end: a failing step leaves the last',
      'good site in place. The summary is kept in the warehouse (raw.refresh_log) and shown on the home page.',
      '',
      windowHelp,
      '',
      'Exit codes: 0 done; 3 done, but rows were rejected or a file stopped (see the report); 1 the import failed or stopped',
      '(nothing changed), or the PDF could not be printed; 4 a data test failed (site not rebuilt); 5 the build failed (last site kept).',
    ].join('\n'),
  },
  async (values, positionals) => {
    if (positionals.length > 1) throw new CliError(`give one inbox folder, got ${positionals.length}. Try: pastoral refresh --help`, ExitCode.usage);
    const inbox = positionals[0] ?? DEFAULT_INBOX;
    if (!existsSync(inbox) || !statSync(inbox).isDirectory()) {
      throw new CliError(`inbox not found: ${inbox} (a school folder of exports, or a trust folder of school folders)`, ExitCode.badInput);
    }
    const term = values['pdf-term']?.trim();
    if (term !== undefined && !/^[A-Za-z][A-Za-z -]*$/.test(term)) throw new CliError(`--pdf-term must be a term name such as Autumn, got "${term}"`, ExitCode.usage);
    const windows = windowRules(values);
    const write = (line: string) => process.stdout.write(`${line}\n`);
    const db = values.db ?? DEFAULT_DB_PATH;
    let result;
    try {
      result = await runRefresh({
        inbox,
        db,
        out: values.out ?? DEFAULT_OUT_DIR,
        pdfTerm: term ? term.charAt(0).toUpperCase() + term.slice(1).toLowerCase() : undefined,
        pdfDir: values['pdf-dir'],
        windows,
        allowRemovals: values['allow-removals'] ?? false,
        fullModels: values['full-models'] ?? false,
        log: write,
        onFile: (r) => write(fileLine(r)),
        onSkip: (s) => write(skippedLine(s, db === DEFAULT_DB_PATH ? undefined : db)),
        onImported: (report) => {
          for (const f of report.ignored) write(fileLine(f));
          write(importSummary(report));
        },
      });
    } catch (error) {
      if (!(error instanceof RefreshStepError)) throw error;
      if (error.summary) write(`\n${summaryText(error.summary)}`);
      throw new CliError(`${error.step} step failed, the last good site is unchanged: ${error.message}`, STEP_EXIT[error.step]);
    }
    if (result.models && result.models.failures.length > 0) write(failuresText(result.models));
    if (!result.changed) {
      write(`\nNothing new since the last refresh: the site in ${result.summary.site} is up to date.`);
    } else {
      write(`\n${summaryText(result.summary, result.newcomers)}`);
    }
    const hint = olderFormatHint(result.storageVersion, db);
    if (hint) write(`\n${hint}`);
    const rejected = result.import.files.some((f) => f.rowsRejected > 0);
    return rejected || result.import.stopped.length > 0 ? ExitCode.badInput : ExitCode.ok;
  },
);
