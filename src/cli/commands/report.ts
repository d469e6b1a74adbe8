import { existsSync } from 'node:fs';
import path from 'node:path';
import { AUDIENCE_DEFINITIONS } from '../../site/audiences.ts';
import { buildOrFail } from './build.ts';

const GOVERNORS_OUT_DIR = AUDIENCE_DEFINITIONS.governors.defaultOutDir;
import { defineCommand, type ParsedValues } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { chromiumMissingMessage, findChromium } from '../../pdf/chromium.ts';
import { printTermlyPdf, type TermlyView } from '../../pdf/termly-pdf.ts';
import { DEFAULT_DB_PATH } from '../../warehouse/warehouse.ts';

const options = {
  term: { type: 'string', description: 'Term: Autumn, Spring or Summer (as in the school calendar)', valueName: 'TERM' },
  year: { type: 'string', description: 'Academic year, e.g. 2025/26 (default: the latest year with that term)', valueName: 'YYYY/YY' },
  school: { type: 'string', description: 'School id (needed when the warehouse holds several schools)', valueName: 'ID' },
  pdf: { type: 'string', description: 'The PDF to write', valueName: 'FILE' },
  db: { type: 'string', description: 'Warehouse to build the dashboards from', valueName: 'FILE', default: DEFAULT_DB_PATH },
  out: { type: 'string', description: "Where to build the governors' dashboards it prints from", valueName: 'DIR', default: GOVERNORS_OUT_DIR },
  dist: { type: 'string', description: 'Use dashboards already built here (no build; --db and --out are ignored)', valueName: 'DIR' },
} as const;

export interface TermlyReportRequest {
  view: TermlyView;
  pdf: string;
  /** Built site to reuse, or null to build from `db` into `out`. */
  dist: string | null;
  db: string;
  out: string;
}

const TERM_PATTERN = /^[A-Za-z][A-Za-z -]*$/;
const YEAR_PATTERN = /^(\d{4})\/(\d{2})$/;

/** Checks and normalises the arguments (a pure function: usage errors only, no files touched). */
export function parseTermlyReportArgs(values: ParsedValues<typeof options>, positionals: string[]): TermlyReportRequest {
  const usage = (message: string) => new CliError(`${message}. Try: pastoral report --help`, ExitCode.usage);
  const [kind, ...extra] = positionals;
  if (kind !== 'termly') throw usage(kind ? `unknown report "${kind}" (reports: termly)` : 'which report? (reports: termly)');
  if (extra.length > 0) throw usage(`unexpected argument "${extra[0]}"`);
  const term = values.term?.trim();
  if (!term) throw usage('--term is required (Autumn, Spring or Summer)');
  if (!TERM_PATTERN.test(term)) throw usage(`--term must be a term name such as Autumn, got "${term}"`);
  const year = values.year?.trim();
  if (year !== undefined) {
    const match = YEAR_PATTERN.exec(year);
    if (!match || (Number(match[1]) + 1) % 100 !== Number(match[2])) throw usage(`--year must look like 2025/26, got "${year}"`);
  }
  if (!values.pdf) throw usage('--pdf FILE is required');
  if (!values.pdf.toLowerCase().endsWith('.pdf')) throw usage(`--pdf must name a .pdf file, got "${values.pdf}"`);
  const school = values.school?.trim() || undefined;
  // "autumn" → "Autumn": the page matches case-insensitively, this is for messages.
  const niceTerm = term.charAt(0).toUpperCase() + term.slice(1).toLowerCase();
  return {
    view: { term: niceTerm, ...(year ? { year } : {}), ...(school ? { school } : {}) },
    pdf: values.pdf,
    dist: values.dist ?? null,
    db: values.db ?? DEFAULT_DB_PATH,
    out: values.out ?? GOVERNORS_OUT_DIR,
  };
}

export const reportCmd = defineCommand(
  {
    name: 'report',
    usage: 'pastoral report termly --term TERM [--year 2025/26] [--school ID] [--db FILE] [--out DIR | --dist DIR] --pdf FILE',
    summary:
      'Prints the termly report for SLT and governors (aggregate figures, counts below 5 suppressed) to an A4 PDF, through headless Chromium on this machine.',
    options,
    allowPositionals: true,
    details: [
      "Builds the governors' dashboards from the warehouse (aggregate only; or reuses a built site with --dist), serves them on 127.0.0.1,",
      'opens the termly report for the school, year and term, waits for every chart and prints it.',
      'Needs Chromium or Chrome: sudo apt-get install chromium (Debian/Ubuntu), or set CHROMIUM_PATH.',
      'Example: pastoral report termly --term Autumn --year 2025/26 --school DEMO1 --pdf autumn-2025.pdf',
      'Exit codes: 0 written; 1 no Chromium or printing failed; 2 bad arguments; 3 no such school or term, or no warehouse; 5 the build failed.',
    ].join('\n'),
  },
  async (values, positionals) => {
    const request = parseTermlyReportArgs(values, positionals);
    // Before any slow build: without a browser there is nothing to print with.
    const chromiumPath = findChromium();
    if (chromiumPath === null) throw new CliError(chromiumMissingMessage(), ExitCode.failure);

    let dist: string;
    if (request.dist !== null) {
      dist = path.resolve(request.dist);
    } else {
      if (!existsSync(request.db)) {
        throw new CliError(`warehouse not found: ${request.db} (run pastoral ingest and pastoral models, or pass --db FILE or --dist DIR)`, ExitCode.badInput);
      }
      dist = path.resolve(request.out);
      process.stdout.write(`Building the dashboards from ${request.db} into ${dist}…\n`);
      // The PDF goes to governors: print it from their build, which holds no pupil at all.
      await buildOrFail(request.db, dist, true, 'governors');
    }

    let printed;
    try {
      printed = await printTermlyPdf({ dist, pdf: request.pdf, view: request.view, chromiumPath });
    } catch (error) {
      const message = (error as Error).message;
      const notInData = /^no (school|termly report)|^the data holds/.test(message);
      throw new CliError(notInData ? message : `printing failed: ${message}`, notInData ? ExitCode.badInput : ExitCode.failure);
    }
    process.stdout.write(`Termly report for ${printed.school}, ${printed.termLabel}: ${printed.pages} page(s) written to ${printed.file}\n`);
  },
);
