/**
 * Audiences are builds: the demo trust built for leaders, governors and the trust, and every file
 * of each output, text and binary (Arrow values and tar members read one by one), scanned for
 * every pupil name, MIS id and UPN in the demo's students.csv files: none may be there. The staff
 * build is scanned too, as the positive control (it names pupils, so the scan can fail). The
 * termly PDF printed from the governors' build gets the same scan through pdftotext.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE_DEFINITIONS } from '../../src/site/audiences.ts';
import { buildSite } from '../../src/site/build-site.ts';
import { ensurePseudonymKey, pseudonym, readPseudonymKey } from '../../src/page-data/pseudonym.ts';
import { pupilsFromStudentsCsv, scanForPupils, scanText, tarMembers, type PupilIdentity, type ScanReport } from '../../src/site/pupil-scan.ts';
import { serveStatic } from '../../src/site/serve-static.ts';
import { printTermlyPdf } from '../../src/pdf/termly-pdf.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import { browserAvailable, chromiumPath, expectCleanLoad, launch, openPage } from '../helpers/browser.ts';
import { demoSite, type DemoSite } from '../helpers/demo-site.ts';

const isCI = process.env.CI === 'true';
const pdftotextAvailable = spawnSync('pdftotext', ['-v'], { encoding: 'utf-8' }).error === undefined;
const BUILT = ['leaders', 'governors', 'trust'] as const;

/** A built Arrow data file's rows (the first file under `_file/<prefix>`, whatever its hash). */
function arrowRowsIn(dir: string, prefix: string): Record<string, any>[] {
  const file = listFiles(dir).find((f) => f.startsWith(`_file/${prefix}`) && f.endsWith('.arrow'))!;
  return JSON.parse(JSON.stringify(tableFromIPC(readFileSync(path.join(dir, file))).toArray().map((r) => r.toJSON())));
}

/** The rows of every part an index lists (src/page-data/page-parts.ts), the parts beside the index. */
function partRowsIn(dir: string, indexPrefix: string): Record<string, any>[] {
  const folder = path.posix.dirname(indexPrefix);
  return arrowRowsIn(dir, indexPrefix).flatMap((part) => JSON.parse(JSON.stringify(tableFromIPC(readFileSync(path.join(dir, '_file', folder, part.file))).toArray().map((r) => r.toJSON()))));
}

/** Every file under dir, relative, POSIX separators. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(path.join(dir, e.name), rel) : [rel];
  });
}


describe('audience builds of the demo trust: no pupil outside the staff build', () => {
  let site: DemoSite;
  let work: string;
  let db: string;
  let pupils: PupilIdentity[];
  const out: Record<string, string> = {};
  const scans: Record<string, ScanReport> = {};

  beforeAll(async () => {
    site = await demoSite();
    work = mkdtempSync(path.join(os.tmpdir(), 'pastoral-audiences-'));
    // A copy: the trust build writes its pseudonym key, and other test files read the demo warehouse.
    db = path.join(work, 'demo.duckdb');
    copyFileSync(site.db, db);
    pupils = await pupilsFromStudentsCsv(readdirSync(site.exportsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(site.exportsDir, e.name, 'students.csv')));
    for (const audience of BUILT) {
      out[audience] = path.join(work, `dist-${audience}`);
      await buildSite({ dbPath: db, outDir: out[audience], audience, quiet: true });
      scans[audience] = await scanForPupils(out[audience], pupils);
    }
    scans.staff = await scanForPupils(site.dist, pupils);
  }, 900_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reads the demo pupils (ids, UPNs and names) to look for', () => {
    expect(pupils.length).toBeGreaterThan(300);
    expect(pupils.every((p) => p.studentId && p.upn && p.firstName && p.lastName)).toBe(true);
  });

  it('finds pupils in the staff build (the positive control: the scan can fail)', () => {
    const kinds = new Set(scans.staff.findings.map((f) => f.kind));
    expect(kinds).toEqual(new Set(['name', 'id']));
    // In Arrow files, whether a loader wrote one or an archive of them.
    expect(Object.keys(scans.staff.findingsByType)).toEqual(expect.arrayContaining(['arrow']));
    expect(scans.staff.findings.some((f) => f.file.includes('/pupil-detail/')) && scans.staff.findings.some((f) => f.file.includes('_file/data/watchlist/'))).toBe(true);
  });

  it.each(BUILT)('finds no pupil name, id or UPN in any file of the %s build, and read every file', (audience) => {
    const report = scans[audience];
    expect(report.findings).toEqual([]);
    expect(report.files).toBe(listFiles(out[audience]).length);
    expect(Object.keys(report.filesByType)).toEqual(expect.arrayContaining(['text.html', 'text.js', 'arrow']));
  });

  it.each(BUILT)('has no form (tutor group) of the demo in any file of the %s build', async (audience) => {
    // Forms ("9R") are matched as whole tokens, like ids: every form in students.csv.
    const forms = new Set<string>();
    for (const dir of readdirSync(site.exportsDir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      for (const line of readFileSync(path.join(site.exportsDir, dir.name, 'students.csv'), 'utf8').split(/\r?\n/).slice(1)) {
        const form = line.split(',')[5];
        if (form) forms.add(form);
      }
    }
    expect(forms.size).toBeGreaterThan(10);
    const asIds = [...forms].map((form) => ({ studentId: form, upn: null, firstName: null, lastName: null }));
    expect((await scanForPupils(out[audience], asIds)).findings).toEqual([]);
    // The control: the staff build lists pupils' forms.
    if (audience === 'trust') expect((await scanForPupils(site.dist, asIds)).findings.length).toBeGreaterThan(0);
  });

  it.each(['leaders', 'governors'] as const)('builds only the aggregate pages and their data for %s', (audience) => {
    const files = listFiles(out[audience]);
    expect(files.filter((f) => f.endsWith('.html')).sort()).toEqual(['definitions.html', 'index.html', 'schools.html', 'termly-report.html']);
    const data = files.filter((f) => f.startsWith('_file/')).map((f) => f.replace(/\.[0-9a-f]{8}(?:[0-9a-f]{4})?\./, '.'));
    // The files the pages name, and the parts their indexes list (one per school, or per year).
    expect([...new Set(data)].sort()).toEqual([
      '_file/data/schools-week/2024-25.arrow', '_file/data/schools-week/2025-26.arrow',
      '_file/data/schools-week/benchmarks.arrow', '_file/data/schools-week/periods.arrow', '_file/data/schools-week/schools.arrow', '_file/data/schools-week/settings.arrow', '_file/data/schools-week/weeks.arrow',
      '_file/data/termly-impact/DEMO1.arrow', '_file/data/termly-impact/DEMO2.arrow', '_file/data/termly-impact/index.arrow',
      '_file/data/termly-report/DEMO1.arrow', '_file/data/termly-report/DEMO2.arrow',
      '_file/data/termly-report/figures.arrow', '_file/data/termly-report/measures.arrow', '_file/data/termly-report/settings.arrow', '_file/data/termly-report/term-nationals.arrow', '_file/data/termly-report/terms.arrow',
    ]);
    const index = readFileSync(path.join(out[audience], 'index.html'), 'utf8');
    expect(index).toContain(`Pastoral Pulse: ${AUDIENCE_DEFINITIONS[audience].title}`);
    for (const staffPage of ['weekly-review', 'pupil', 'watchlist', 'daily-lists', 'bsc', 'interventions', 'attendance']) expect(index).not.toContain(`href="./${staffPage}"`);
  });

  it('ships the schools comparison to governors with no count below 5 and no hidden count left alone in a total', () => {
    const [source] = arrowRowsIn(out.governors, 'data/schools-week/settings.');
    expect(source.suppressed).toBe(true);
    expect(source.threshold).toBe(5);
    const weeks = partRowsIn(out.governors, 'data/schools-week/weeks.');
    const periods = partRowsIn(out.governors, 'data/schools-week/periods.');
    expect(weeks.length).toBeGreaterThan(0);
    expect(weeks.some((w) => 'year_group' in w)).toBe(false);
    const counts = ['pupils_on_roll', 'negative_events', 'pupils_persistently_absent', 'bsc_placements', 'suspensions'];
    let hidden = 0;
    for (const row of [...weeks, ...periods]) {
      for (const c of counts) {
        if (row[c] === null) hidden += 1;
        else expect(row[c], `${c} in ${JSON.stringify(row)}`).toBeGreaterThanOrEqual(5);
      }
    }
    expect(hidden).toBeGreaterThan(0);
    // Independent check of the secondary suppression: in every total with its parts (year
    // groups of a period; terms of a year; weeks of a period), never exactly one member hidden.
    const group = <T,>(rows: T[], key: (r: T) => string) => rows.reduce((m, r) => m.set(key(r), [...(m.get(key(r)) ?? []), r]), new Map<string, T[]>());
    const check = (members: Record<string, any>[], measure: string, what: string) => {
      const hiddenMembers = members.filter((m) => m[measure] === null).length;
      expect(hiddenMembers, `${what}: ${measure}`).not.toBe(1);
    };
    for (const [key, rows] of group(periods, (p) => `${p.school_id}|${p.academic_year}|${p.period}`)) {
      for (const m of counts) check(rows, m, `year groups of ${key}`);
    }
    for (const [key, rows] of group(periods.filter((p) => true), (p) => `${p.school_id}|${p.academic_year}|${p.year_group}`)) {
      for (const m of ['negative_events', 'bsc_placements', 'suspensions']) check(rows, m, `terms of ${key}`);
    }
    for (const total of periods.filter((p) => p.year_group === 0)) {
      const parts = weeks.filter((w) => w.school_id === total.school_id && w.academic_year === total.academic_year && (total.period === 'Year' || w.term === total.period));
      for (const m of ['negative_events', 'bsc_placements', 'suspensions']) check([total, ...parts], m, `weeks of ${total.school_id} ${total.academic_year} ${total.period}`);
    }
  });

  it('gives the trust pupil-level rows only under the keyed pseudonym, with no form, and keeps the key out of the build', async () => {
    const files = listFiles(out.trust);
    expect(files.filter((f) => f.endsWith('.html')).sort()).toEqual(['bsc.html', 'definitions.html', 'index.html', 'schools.html', 'termly-report.html', 'watchlist.html']);
    const key = await withWarehouse(db, (c) => readPseudonymKey(c), { readOnly: true });
    // Every part of the watchlist (one per school; src/page-data/page-parts.ts), not its index.
    const parts = (name: string) => files.filter((f) => f.startsWith(`_file/data/${name}/`) && !/\/index\.[0-9a-f]+\.arrow$/.test(f));
    const watchlist = parts('watchlist').flatMap((f) => tableFromIPC(readFileSync(path.join(out.trust, f))).toArray().map((r) => r.toJSON()));
    expect(parts('watchlist').length).toBeGreaterThan(1);
    expect(watchlist.length).toBeGreaterThan(0);
    const shown = new Set(watchlist.map((r) => r.pupil as string));
    expect([...shown].every((p) => /^P-[0-9a-f]{12}$/.test(p))).toBe(true);
    expect(watchlist.every((r) => r.form === null)).toBe(true);
    // The pseudonyms are the keyed hashes of the pupils on the list (checked from the warehouse).
    const expected = await withWarehouse(db, (c) => queryRows<{ school_id: string; student_id: string }>(c, 'SELECT DISTINCT school_id, student_id FROM mart_watchlist'), { readOnly: true });
    const all = new Set(expected.map((r) => pseudonym(key, r.school_id, r.student_id)));
    expect([...shown].every((p) => all.has(p))).toBe(true);
    // A different key gives different pseudonyms: they cannot be recomputed without this warehouse's key.
    const other = Buffer.alloc(32, 1);
    expect(expected.some((r) => shown.has(pseudonym(other, r.school_id, r.student_id)))).toBe(false);
    const placements = parts('bsc-placements').flatMap((f) => tableFromIPC(readFileSync(path.join(out.trust, f))).toArray().map((r) => r.toJSON()));
    expect(placements.length).toBeGreaterThan(0);
    expect(placements.every((r) => /^P-[0-9a-f]{12}$/.test(r.student_id as string))).toBe(true);
    expect(placements.every((r) => r.form === null)).toBe(true);
    const repeatPupils = parts('bsc-repeat-pupils').flatMap((f) => tableFromIPC(readFileSync(path.join(out.trust, f))).toArray().map((r) => r.toJSON()));
    expect(repeatPupils.length).toBeGreaterThan(0);
    expect(repeatPupils.every((r) => /^P-[0-9a-f]{12}$/.test(r.student_id as string) && r.pupil === r.student_id && r.last_form === null)).toBe(true);
    // The reasons chart's counts (mart_bsc_reasons' trust rows) name no reason the trust's placements hide as 'Other'.
    const reasons = parts('bsc-reasons').flatMap((f) => tableFromIPC(readFileSync(path.join(out.trust, f))).toArray().map((r) => r.toJSON()));
    expect(reasons.length).toBeGreaterThan(0);
    const shownReasons = new Set(placements.map((r) => (r.reason as string | null) ?? 'Not recorded'));
    expect(reasons.map((r) => r.reason as string).filter((r) => !shownReasons.has(r) && !/^Other reasons \(\d+\)$/.test(r))).toEqual([]);
    // The key itself (hex or raw bytes) is in no file of any build.
    for (const audience of BUILT) {
      for (const f of listFiles(out[audience])) {
        const bytes = readFileSync(path.join(out[audience], f));
        expect(bytes.includes(key.toString('hex')), f).toBe(false);
        expect(bytes.includes(key), f).toBe(false);
      }
    }
  });

  it('gives every page of every build an empty icon its CSP allows, so no browser asks for /favicon.ico (a 404 in its console)', () => {
    for (const dir of [site.dist, ...Object.values(out)]) {
      const pages = listFiles(dir).filter((f) => f.endsWith('.html'));
      expect(pages.length, dir).toBeGreaterThan(1);
      for (const page of pages) {
        const html = readFileSync(path.join(dir, page), 'utf8');
        const head = html.slice(0, html.indexOf('</head>'));
        expect(head, `${dir}/${page}`).toContain('<link rel="icon" href="data:,">');
        expect(head.match(/img-src [^;"]*/)?.[0].split(' '), `${dir}/${page}`).toContain('data:');
      }
    }
  });

  it('leaves no half-built or set-aside folder beside the outputs', () => {
    expect(readdirSync(work).filter((e) => /\.(building|old)-/.test(e))).toEqual([]);
  });

  it.skipIf(!browserAvailable)("shows the governors' schools comparison with hidden counts marked, and no error", async () => {
    // A period and year group of the latest year where the data file hides a count of a school.
    const periods = partRowsIn(out.governors, 'data/schools-week/periods.');
    const latest = periods.map((p) => p.academic_year as string).sort().at(-1);
    const rates = ['negative_per_100', 'attendance_pct', 'pa_pct', 'bsc_per_100', 'suspensions_per_100'];
    const hiddenRow = periods.find((p) => p.academic_year === latest && p.year_group !== 0 && p.period !== 'Year' && rates.some((r) => p[`${r}_suppression`] !== null))!;
    expect(hiddenRow).toBeDefined();
    const server = await serveStatic(out.governors, { port: 0 });
    const browser = await launch();
    try {
      const opened = await openPage(browser, `${server.url}schools`);
      const { page } = opened;
      await page.waitForSelector('table.pupil-list');
      await page.getByLabel('Term').selectOption(hiddenRow.period);
      await page.getByLabel('Year group').selectOption({ label: `Year ${hiddenRow.year_group}` });
      await expect.poll(async () => (await page.locator('h2', { hasText: 'Side by side' }).textContent()) ?? '').toContain(`${hiddenRow.period} term, Year ${hiddenRow.year_group}`);
      const cells = await page.locator('table.pupil-list tbody td.num strong').allTextContents();
      expect(cells.length).toBeGreaterThan(0);
      for (const cell of cells) expect(cell).toMatch(/^(\d[\d,]*\.\d|<5|suppressed|–)$/);
      expect(cells.some((c) => c === '<5' || c === 'suppressed')).toBe(true);
      // Three weekly charts (no weekly BSC or suspension chart outside the staff build).
      await page.waitForSelector('svg [aria-label="line"] path');
      expect(await page.locator('svg [aria-label="line"]').count()).toBe(3);
      expectCleanLoad(opened);
      await opened.close();
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it.skipIf(!browserAvailable).each(BUILT)('opens every page of the %s build cleanly (no error, no failed or off-host request)', async (audience) => {
    const server = await serveStatic(out[audience], { port: 0 });
    const browser = await launch();
    try {
      for (const html of listFiles(out[audience]).filter((f) => f.endsWith('.html'))) {
        const opened = await openPage(browser, `${server.url}${html.replace(/\.html$/, '')}`);
        await opened.page.waitForSelector('#observablehq-main h1');
        if (audience === 'trust' && html === 'watchlist.html') {
          // The list shows pseudonyms where staff see names.
          await opened.page.waitForSelector('table tbody tr');
          await expect.poll(async () => (await opened.page.locator('table tbody').first().textContent()) ?? '').toMatch(/P-[0-9a-f]{12}/);
        }
        expectCleanLoad(opened);
        await opened.close();
      }
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it.skipIf(!browserAvailable)('prints the termly PDF from the governors build with no pupil in its text (pdftotext)', async () => {
    if (!pdftotextAvailable) {
      if (isCI) throw new Error('CI=true but pdftotext is missing: apt-get install -y poppler-utils');
      console.warn('[PDF scan skipped] pdftotext missing: sudo apt-get install poppler-utils');
      return;
    }
    const pdf = path.join(work, 'autumn.pdf');
    await printTermlyPdf({ dist: out.governors, pdf, view: { term: 'Autumn', school: 'DEMO1' }, chromiumPath: chromiumPath! });
    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf-8' }).stdout;
    // The text was read (so an empty extraction cannot pass).
    expect(text).toContain('Termly report: DEMO1');
    expect(scanText('autumn.pdf', text, pupils)).toEqual([]);
    // And the scan finds a pupil when one is there.
    const named = pupils[0];
    expect(scanText('control', `${text}\n${named.firstName} ${named.lastName}`, pupils).map((f) => f.kind)).toEqual(['name']);
  });
});

describe('pupil scan', () => {
  const pupils: PupilIdentity[] = [
    { studentId: 'S000123', upn: 'A123456789012', firstName: 'Zoë', lastName: "O'Brien-Núñez" },
    { studentId: 'S000124', upn: null, firstName: 'Amber', lastName: 'White' },
  ];
  it('finds ids and UPNs as tokens, and a name when every part of it is in the same text, escaped or not', () => {
    expect(scanText('a', 'id S000123, upn A123456789012', pupils).map((f) => f.kind)).toEqual(['id', 'upn']);
    expect(scanText('b', '{"pupil":"Zo\\u00eb O&#39;Brien-N\u00fa\u00f1ez"}', pupils).map((f) => f.value)).toEqual(["Zoë O'Brien-Núñez"]);
    // One part alone is not a pupil: an "Amber" band and a "White" label are words (both in one text would be a finding).
    expect(scanText('c', 'Amber band', pupils)).toEqual([]);
    expect(scanText('c', 'White British', pupils)).toEqual([]);
    expect(scanText('c', 'White British; Amber band', pupils).map((f) => f.value)).toEqual(['Amber White']);
    expect(scanText('d', 'S0001234 xS000123', pupils)).toEqual([]);
  });

  it('reads tar members one by one', () => {
    const header = (name: string, size: number) => {
      const h = Buffer.alloc(512);
      h.write(name, 0);
      h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
      h.write('0', 156);
      return h;
    };
    const body = Buffer.from('Amber White');
    const tar = Buffer.concat([header('a.json', body.length), body, Buffer.alloc(512 - body.length), Buffer.alloc(1024)]);
    expect(tarMembers(tar).map((m) => [m.name, Buffer.from(m.data).toString()])).toEqual([['a.json', 'Amber White']]);
    // An archive that is a view into larger bytes (a tar member of a tar), and a directory entry, which is not a file.
    const dir = header('d/', 0);
    dir.write('5', 156);
    const inner = Buffer.concat([dir, tar]);
    expect(tarMembers(Buffer.concat([Buffer.alloc(100, 7), inner]).subarray(100)).map((m) => [m.name, Buffer.from(m.data).toString()])).toEqual([['a.json', 'Amber White']]);
  });
});

describe('pseudonym key', () => {
  it('is made once per warehouse and kept', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-key-'));
    try {
      const file = path.join(dir, 'w.duckdb');
      expect(await ensurePseudonymKey(file)).toBe(true);
      const first = await withWarehouse(file, (c) => readPseudonymKey(c));
      expect(first).toHaveLength(32);
      expect(await ensurePseudonymKey(file)).toBe(false);
      expect((await withWarehouse(file, (c) => readPseudonymKey(c))).equals(first)).toBe(true);
      expect(pseudonym(first, 'A', 'S1')).toBe(pseudonym(first, 'A', 'S1'));
      expect(pseudonym(first, 'A', 'S1')).not.toBe(pseudonym(first, 'B', 'S1'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('is refused when missing, never made up by a loader', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-key-'));
    try {
      await expect(withWarehouse(path.join(dir, 'w.duckdb'), (c) => readPseudonymKey(c))).rejects.toThrow(/no pseudonym key/);
      expect(existsSync(path.join(dir, 'w.duckdb'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
