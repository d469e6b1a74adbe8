import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTermlyReportArgs } from '../../src/cli/commands/report.ts';
import { CliError } from '../../src/cli/errors.ts';
import { chromiumMissingMessage, findChromium } from '../../src/pdf/chromium.ts';
import { PDFDocument } from 'pdf-lib';
import { pdfPageCount } from '../../src/pdf/pdf-pages.ts';
import { termlyReportPath, unavailableViewMessage } from '../../src/pdf/termly-pdf.ts';
import { browserAvailable, skipReason } from '../helpers/browser.ts';
import { demoSite, type DemoSite } from '../helpers/demo-site.ts';
import { TERMLY_SECTION_HEADINGS } from '../helpers/termly-sections.ts';

const CLI = fileURLToPath(new URL('../../bin/pastoral.mjs', import.meta.url));
const isCI = process.env.CI === 'true';
const pdftotextAvailable = spawnSync('pdftotext', ['-v'], { encoding: 'utf-8' }).error === undefined;

function pastoral(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf-8', env: { ...process.env, ...env }, timeout: 180_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}


describe('pastoral report termly: arguments', () => {
  const ok = { term: 'autumn', pdf: 'out/autumn.pdf' };
  it.each([
    ['the smallest call', ['termly'], ok, { view: { term: 'Autumn' }, pdf: 'out/autumn.pdf', dist: null }],
    ['year and school', ['termly'], { ...ok, year: '2025/26', school: 'DEMO1' }, { view: { term: 'Autumn', year: '2025/26', school: 'DEMO1' } }],
    ['a built site', ['termly'], { ...ok, dist: 'dist' }, { dist: 'dist' }],
  ])('accepts %s', (_name, positionals, values, expected) => {
    expect(parseTermlyReportArgs(values, positionals)).toMatchObject(expected);
  });

  it.each([
    ['no report named', [], ok, /which report/],
    ['another report', ['weekly'], ok, /unknown report "weekly"/],
    ['a stray argument', ['termly', 'extra'], ok, /unexpected argument/],
    ['no term', ['termly'], { pdf: 'a.pdf' }, /--term is required/],
    ['a term that is not a name', ['termly'], { ...ok, term: '2' }, /--term must be a term name/],
    ['a year in another form', ['termly'], { ...ok, year: '2025' }, /--year must look like 2025\/26/],
    ['a year that does not follow on', ['termly'], { ...ok, year: '2025/27' }, /--year must look like 2025\/26/],
    ['no pdf', ['termly'], { term: 'Autumn' }, /--pdf FILE is required/],
    ['a pdf that is not .pdf', ['termly'], { ...ok, pdf: 'report.html' }, /--pdf must name a \.pdf file/],
  ])('refuses %s (usage error, exit 2)', (_name, positionals, values, message) => {
    let error: unknown;
    try {
      parseTermlyReportArgs(values, positionals);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(message);
  });

  it('puts the view in the address the page reads', () => {
    expect(termlyReportPath({ term: 'Autumn', year: '2025/26', school: 'DEMO 1' })).toBe('termly-report?school=DEMO+1&year=2025%2F26&term=Autumn');
    expect(termlyReportPath({ term: 'Spring' })).toBe('termly-report?term=Spring');
  });

  it('says what the data has when the view is not there', () => {
    const views = [
      { school: 'DEMO1', year: '2025/26', term: 'Autumn' },
      { school: 'DEMO2', year: '2025/26', term: 'Autumn' },
    ];
    expect(unavailableViewMessage({ term: 'Autumn', school: 'NOPE' }, views)).toBe('no school "NOPE" in the data; schools: DEMO1, DEMO2');
    expect(unavailableViewMessage({ term: 'Summer', year: '2019/20', school: 'DEMO1' }, views)).toBe(
      'no termly report for Summer 2019/20 for DEMO1; terms in the data: Autumn 2025/26',
    );
  });
});

describe('PDF page count', () => {
  it('reads the page tree (pdf-lib), whatever the layout of the file', async () => {
    /** A PDF of `n` pages, written with or without object streams (Chromium writes them). */
    const pdf = async (n: number, useObjectStreams: boolean) => {
      const doc = await PDFDocument.create();
      for (let i = 0; i < n; i++) doc.addPage([595, 842]);
      return doc.save({ useObjectStreams });
    };
    for (const n of [1, 3, 12]) {
      expect(await pdfPageCount(await pdf(n, true)), `${n} pages`).toBe(n);
      expect(await pdfPageCount(await pdf(n, false)), `${n} pages, no object streams`).toBe(n);
    }
    await expect(pdfPageCount(new TextEncoder().encode('not a pdf'))).rejects.toThrow();
  });
});

describe('pastoral report termly without Chromium', () => {
  it('fails with one line saying how to install it (exit 1)', () => {
    const missing = path.join(os.tmpdir(), 'no-such-chromium', 'chrome');
    const { code, stdout, stderr } = pastoral(['report', 'termly', '--term', 'Autumn', '--dist', os.tmpdir(), '--pdf', path.join(os.tmpdir(), 'never.pdf')], {
      CHROMIUM_PATH: missing,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`CHROMIUM_PATH=${missing} does not exist: install it with sudo apt-get install chromium`);
    expect(chromiumMissingMessage({ CHROMIUM_PATH: missing })).toContain('set CHROMIUM_PATH');
    expect(findChromium({ CHROMIUM_PATH: missing })).toBeNull();
  });
});

describe.skipIf(!browserAvailable)('pastoral report termly --pdf on the demo trust (headless Chromium)', () => {
  let site: DemoSite;
  let outDir: string;
  beforeAll(async () => {
    site = await demoSite();
    outDir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-termly-pdf-'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('prints every section of the chosen term to an A4 PDF of several pages', async () => {
    if (findChromium() === null) throw new Error(skipReason() || 'no Chromium');
    const pdf = path.join(outDir, 'sub', 'autumn-2025.pdf');
    const { code, stdout, stderr } = pastoral(['report', 'termly', '--term', 'autumn', '--year', '2025/26', '--school', 'DEMO1', '--dist', site.dist, '--pdf', pdf]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Termly report for DEMO1, Autumn 2025\/26: \d+ page\(s\) written to /);
    expect(existsSync(pdf)).toBe(true);
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await pdfPageCount(bytes)).toBeGreaterThanOrEqual(2);

    if (!pdftotextAvailable) {
      if (isCI) throw new Error('CI=true but pdftotext is missing: apt-get install -y poppler-utils');
      console.warn('[PDF text not checked] pdftotext missing: sudo apt-get install poppler-utils');
      return;
    }
    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf-8' });
    if (info.error === undefined) {
      expect(info.stdout).toMatch(/Page size:.*\(A4\)/);
    }
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf-8' }).stdout.replace(/[ \t]+/g, ' ');
    for (const heading of TERMLY_SECTION_HEADINGS) expect(text, heading).toContain(heading);
    expect(text).toContain('Termly report: DEMO1, Autumn 2025/26');
    // The running header on every page: school, term and the suppression rule.
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBe(await pdfPageCount(bytes));
    for (const page of pages) {
      expect(page).toContain('DEMO1 · Autumn 2025/26');
      expect(page).toContain('Aggregate data; counts below 5 suppressed');
    }
  });

  it('refuses a term that is not in the data, saying which are (exit 3)', () => {
    if (findChromium() === null) throw new Error(skipReason() || 'no Chromium');
    const pdf = path.join(outDir, 'missing.pdf');
    const { code, stderr } = pastoral(['report', 'termly', '--term', 'Summer', '--year', '2019/20', '--school', 'DEMO1', '--dist', site.dist, '--pdf', pdf]);
    expect(code).toBe(3);
    expect(stderr.trim()).toBe(
      'pastoral report: no termly report for Summer 2019/20 for DEMO1; terms in the data: Autumn 2024/25, Spring 2024/25, Summer 2024/25, Autumn 2025/26, Spring 2025/26, Summer 2025/26',
    );
    expect(existsSync(pdf)).toBe(false);
  });

  it('asks which school when the data holds several (exit 3)', () => {
    if (findChromium() === null) throw new Error(skipReason() || 'no Chromium');
    const { code, stderr } = pastoral(['report', 'termly', '--term', 'Autumn', '--dist', site.dist, '--pdf', path.join(outDir, 'which.pdf')]);
    expect(code).toBe(3);
    expect(stderr.trim()).toBe('pastoral report: the data holds 2 schools (DEMO1, DEMO2): choose one with --school');
  });
});

if (!browserAvailable) it.skip(skipReason(), () => {});
