import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serveStatic } from '../../src/site/serve-static.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { latestWatchlist, RefreshStepError, runRefresh, watchlistNewcomers } from '../../src/refresh/refresh.ts';
import { ensureRawSchema } from '../../data-loaders/raw-schema.ts';
import { headline, longDate, type RefreshSummary } from '../../src/page-data/refresh-summary.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { browserAvailable, expectCleanLoad, launch, openPage } from '../helpers/browser.ts';
import { fixture, openTempWarehouse } from '../helpers/warehouse.ts';

const CLI = fileURLToPath(new URL('../../bin/pastoral.mjs', import.meta.url));

function pastoral(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf-8', env: { ...process.env, TZ: 'Europe/London' }, timeout: 540_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A scratch folder holding an inbox with a copy of the tiny school, a warehouse path and a site path. */
function workspace(): { root: string; inbox: string; school: string; db: string; out: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-refresh-'));
  const inbox = path.join(root, 'inbox');
  const school = path.join(inbox, 'tiny-school');
  mkdirSync(inbox);
  cpSync(fixture('tiny-school'), school, { recursive: true });
  return { root, inbox, school, db: path.join(root, 'w.duckdb'), out: path.join(root, 'site') };
}

/** A stand-in for the site build: writes a page naming the warehouse, or fails half-way. */
const fakeBuild = (fail = false) => async (db: string, outDir: string) => {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'index.html'), `built from ${path.basename(db)}`);
  if (fail) throw new Error('observable build failed (exit 1)\nloader crashed');
};

describe('the home page line', () => {
  const summary: RefreshSummary = {
    refreshedAt: '2026-06-15 07:00:12',
    dataUpTo: '2026-06-12',
    filesImported: 2,
    filesSkipped: 7,
    changes: [
      { type: 'behaviour', new: 312, corrected: 4, removed: 2, rejected: 0 },
      { type: 'attendance', new: 1, corrected: 0, removed: 0, rejected: 0 },
      { type: 'detentions', new: 0, corrected: 0, removed: 0, rejected: 0 },
    ],
    watchlist: [],
    tests: { run: 16, passed: 16, failed: [] },
    site: null,
    pdfs: [],
  };
  it('says how recent the data is, when it was refreshed and what changed, type by type', () => {
    expect(longDate('2026-06-12')).toBe('Friday 12 June 2026');
    expect(longDate('2026-06-15 07:00:12')).toBe('Monday 15 June 2026');
    expect(headline(summary)).toBe('Data up to Friday 12 June 2026; refreshed Monday 15 June 2026 07:00; 312 new behaviour events, 4 corrected, 2 removed; 1 new attendance mark');
    expect(headline({ ...summary, changes: [], dataUpTo: null })).toBe('No behaviour or attendance data yet; refreshed Monday 15 June 2026 07:00; no changes');
  });
});

describe('pupils newly on the watchlist', () => {
  it('are those on it in its latest week who were not at the last completed refresh; with no refresh before, those it marks new', async () => {
    const warehouse = await openTempWarehouse();
    try {
      const c = warehouse.connection;
      await ensureRawSchema(c);
      await c.run(`CREATE TABLE mart_watchlist AS SELECT * FROM (VALUES
        ('S1', DATE '2026-07-13', 'A', 9, true), ('S1', DATE '2026-07-13', 'Z', 9, true),
        ('S1', DATE '2026-07-20', 'A', 9, false), ('S1', DATE '2026-07-20', 'B', 10, true), ('S1', DATE '2026-07-20', 'C', 7, false),
        ('S2', DATE '2026-07-20', 'A', 8, true)) t(school_id, as_of_week, student_id, year_group, is_new)`);
      const listed = await latestWatchlist(c);
      expect(listed.map((p) => `${p.school_id}/${p.student_id}@${p.week}`)).toEqual(['S1/C@2026-07-20', 'S1/A@2026-07-20', 'S1/B@2026-07-20', 'S2/A@2026-07-20']);
      // No refresh yet: the mart's own flag (B in S1, A in S2).
      expect((await watchlistNewcomers(c, listed)).map((p) => `${p.school_id}/${p.student_id}`)).toEqual(['S1/B', 'S2/A']);
      // The last completed refresh had S1's A and B listed (a failed one later does not count): C and S2's A are new.
      await c.run(`INSERT INTO raw.refresh_log (refresh_id, started_at, inbox, status, import_ids, summary, watchlist) VALUES
        ('r1', TIMESTAMP '2026-07-13 07:00', 'x', 'ok', [], '{}', ['S1/A', 'S1/B']),
        ('r2', TIMESTAMP '2026-07-20 07:00', 'x', 'failed: build', [], '{}', ['S1/A', 'S1/B', 'S1/C', 'S2/A'])`);
      expect((await watchlistNewcomers(c, listed)).map((p) => `${p.school_id}/${p.student_id}`)).toEqual(['S1/C', 'S2/A']);
    } finally {
      warehouse.close();
    }
  });
});

describe('pastoral refresh', () => {
  it('end to end on a small demo school: a deleted, a corrected and a new behaviour event are what the next refresh reports, in the terminal, the warehouse and the built home page', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-refresh-e2e-'));
    const school = path.join(root, 'inbox', 'DEMO1');
    const db = path.join(root, 'w.duckdb');
    const out = path.join(root, 'site');
    await generateDemo({ outDir: school, pupils: 150, schools: 1, years: 1, seed: 3 });

    const first = pastoral(['refresh', path.join(root, 'inbox'), '--db', db, '--out', out]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Data tests: (\d+) of \1 passed/);

    // The MIS since: the last-but-9th event deleted, the last-but-20th re-categorised, one new event.
    const file = path.join(school, 'behaviour.csv');
    const lines = readFileSync(file, 'utf-8').trimEnd().split('\n');
    const header = lines[0].split(',');
    const deleted = lines[lines.length - 10];
    const corrected = lines[lines.length - 20].split(',');
    const category = header.indexOf('category');
    corrected[category] = corrected[category] === 'Defiance' ? 'Disruption' : 'Defiance';
    const added = lines[lines.length - 1].split(',');
    added[0] = 'NEW0001';
    const later = lines.filter((l) => l !== deleted);
    later[later.indexOf(lines[lines.length - 20])] = corrected.join(',');
    later.push(added.join(','));
    writeFileSync(file, `${later.join('\n')}\n`);

    const second = pastoral(['refresh', path.join(root, 'inbox'), '--db', db, '--out', out]);
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    // Every other file was imported before: skipped.
    const others = readdirSync(school).filter((f) => f.endsWith('.csv') && f !== 'behaviour.csv');
    expect(others.length).toBeGreaterThan(5);
    expect(second.stdout.match(/SKIPPED: imported before/g)).toHaveLength(others.length);
    expect(second.stdout).toMatch(/DEMO1\/behaviour\.csv +read +\d+ +loaded +\d+ +rejected +0 +\(new 1, changed 1, unchanged \d+, removed 1\) +window 2025-09-\d\d\.\.2026-07-\d\d/);
    expect(second.stdout).toContain('1 new behaviour event, 1 corrected, 1 removed');
    expect(second.stdout).toMatch(/behaviour events +new +1 +corrected +1 +removed +1\n/);
    expect(second.stdout).toContain(`Since the last refresh (1 file(s) imported, ${others.length} skipped as imported before):`);
    expect(second.stdout).toContain(`Site: ${out}`);

    const [log] = await withWarehouse(db, (c) =>
      queryRows<{ n: number; ok: number }>(c, "SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE status = 'ok')::INTEGER AS ok FROM raw.refresh_log"),
    );
    expect(log).toEqual({ n: 2, ok: 2 });
    const audit = await withWarehouse(db, (c) => queryRows(c, "SELECT change, \"key\"->>'event_id' AS event_id FROM raw.removed_rows ORDER BY change"));
    expect(audit).toEqual([
      { change: 'corrected', event_id: corrected[0] },
      { change: 'removed', event_id: deleted.split(',')[0] },
    ]);

    // The home page's data, as built: the same line.
    const dataDir = path.join(out, '_file', 'data', 'refresh');
    const rowsOf = (name: string) => {
      const built = readdirSync(dataDir).find((f) => new RegExp(`^${name}\\.[0-9a-f]+\\.arrow$`).test(f));
      expect(built, name).toBeDefined();
      return JSON.parse(JSON.stringify(tableFromIPC(readFileSync(path.join(dataDir, built as string))).toArray().map((r) => r.toJSON())));
    };
    const page = { ...rowsOf('summary')[0], changes: rowsOf('changes') };
    expect(page.headline).toMatch(/^Data up to Tuesday 21 July 2026; refreshed \w+ \d+ \w+ \d{4} \d\d:\d\d; 1 new behaviour event, 1 corrected, 1 removed$/);
    expect(page.changes).toEqual([{ label: 'behaviour events', new: 1, corrected: 1, removed: 1 }]);
    expect(readdirSync(root).filter((f) => /\.(building|previous)-/.test(f))).toEqual([]);

    // The home page shows it (as text), with the data tests.
    if (browserAvailable) {
      const server = await serveStatic(out, { port: 0 });
      const browser = await launch();
      try {
        const opened = await openPage(browser, `${server.url}index`);
        try {
          const line = opened.page.locator('#refresh-line');
          await line.waitFor();
          expect(await line.textContent()).toMatch(new RegExp(`^${page.headline.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. Data tests: (\\d+) of \\1 passed(; \\d+ pupils? new on the watchlist)?\\.$`));
          expectCleanLoad(opened);
        } finally {
          await opened.close();
        }
      } finally {
        await browser.close();
        await server.close();
      }
    }

    // Nothing new: nothing rebuilt.
    const third = pastoral(['refresh', path.join(root, 'inbox'), '--db', db, '--out', out]);
    expect(third.status).toBe(0);
    expect(third.stdout).toContain(`Nothing new since the last refresh: the site in ${out} is up to date.`);
    expect(third.stdout).not.toContain('== Building the dashboards');
  }, 600_000);

  it('a failing build leaves the last good site in place; the next refresh still reports the imports since the last completed one', async () => {
    const w = workspace();
    const made = await runRefresh({ inbox: w.inbox, db: w.db, out: w.out, build: fakeBuild() });
    // A warehouse the refresh made is in the current storage format (no `pastoral compact` line).
    expect(made.storageVersion).toBe('v1.5.0+');
    expect(readFileSync(path.join(w.out, 'index.html'), 'utf-8')).toBe('built from w.duckdb');
    writeFileSync(path.join(w.out, 'index.html'), 'the last good site');

    // One new detention; the build then fails half-way.
    const detentions = path.join(w.school, 'detentions.csv');
    writeFileSync(detentions, `${readFileSync(detentions, 'utf-8')}D4,A,2025-09-19,break,15,Homework,ABC,,pending\n`);
    const failed = runRefresh({ inbox: w.inbox, db: w.db, out: w.out, build: fakeBuild(true) });
    await expect(failed).rejects.toBeInstanceOf(RefreshStepError);
    await expect(failed).rejects.toMatchObject({ step: 'build', message: 'dashboard build failed: observable build failed (exit 1) loader crashed' });
    expect(readFileSync(path.join(w.out, 'index.html'), 'utf-8')).toBe('the last good site');
    expect(readdirSync(w.root).filter((f) => f.startsWith('site'))).toEqual(['site']);

    // Nothing new in the inbox, but the last refresh did not complete: models and site again, and
    // the summary still counts the detention.
    const next = await runRefresh({ inbox: w.inbox, db: w.db, out: w.out, build: fakeBuild() });
    expect(next.changed).toBe(true);
    expect(next.import.skipped).toHaveLength(6);
    expect(next.summary.changes).toEqual([{ type: 'detentions', new: 1, corrected: 0, removed: 0, rejected: 0 }]);
    expect(readFileSync(path.join(w.out, 'index.html'), 'utf-8')).toBe('built from w.duckdb');
    const statuses = await withWarehouse(w.db, (c) => queryRows(c, 'SELECT status, len(import_ids)::INTEGER AS imports FROM raw.refresh_log ORDER BY started_at, status'));
    expect(statuses.map((s) => s.status)).toEqual(['ok', 'failed: build', 'ok']);
    expect(statuses.map((s) => s.imports)).toEqual([1, 1, 1]);
  });

  it('an export that would remove too much stops the refresh at the import: nothing changes and the site stays', async () => {
    const w = workspace();
    await runRefresh({ inbox: w.inbox, db: w.db, out: w.out, build: fakeBuild() });
    const before = await withWarehouse(w.db, (c) => queryRows(c, 'SELECT count(*)::INTEGER AS n FROM raw.behaviour'));
    const behaviour = path.join(w.school, 'behaviour.csv');
    const lines = readFileSync(behaviour, 'utf-8').trimEnd().split('\n');
    writeFileSync(behaviour, `${[lines[0], lines[1], lines[lines.length - 1]].join('\n')}\n`);
    await expect(runRefresh({ inbox: w.inbox, db: w.db, out: w.out, build: fakeBuild(true) })).rejects.toMatchObject({
      step: 'import',
      message: expect.stringContaining('tiny-school/behaviour.csv would remove 4 of the 6 behaviour rows'),
    });
    expect(await withWarehouse(w.db, (c) => queryRows(c, 'SELECT count(*)::INTEGER AS n FROM raw.behaviour'))).toEqual(before);
    expect(readFileSync(path.join(w.out, 'index.html'), 'utf-8')).toBe('built from w.duckdb');

    // Through the CLI: one line on stderr, exit 1; with --allow-removals it goes through (the real build is not needed to show that).
    const cli = pastoral(['refresh', w.inbox, '--db', w.db, '--out', w.out]);
    expect(cli.status).toBe(1);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr).toMatch(/^pastoral refresh: import step failed, the last good site is unchanged: tiny-school\/behaviour\.csv would remove 4 of the 6 behaviour rows/);
    const allowed = await runRefresh({ inbox: w.inbox, db: w.db, out: w.out, build: fakeBuild(), allowRemovals: true });
    expect(allowed.summary.changes).toEqual([{ type: 'behaviour', new: 0, corrected: 0, removed: 4, rejected: 0 }]);
  });

  it('prints the termly PDF of each school from the site just built, and says where', async () => {
    const w = workspace();
    const printed: string[] = [];
    const result = await runRefresh({
      inbox: w.inbox,
      db: w.db,
      out: w.out,
      pdfTerm: 'Autumn',
      build: fakeBuild(),
      printPdf: async (dist, pdf, term, school) => {
        printed.push(`${path.basename(dist)} ${term} ${school} → ${path.relative(w.root, pdf)}`);
      },
    });
    expect(printed).toEqual([`site Autumn tiny-school → ${path.join('pdf', 'termly-Autumn-tiny-school.pdf')}`]);
    expect(result.summary.pdfs).toEqual([path.join(w.root, 'pdf', 'termly-Autumn-tiny-school.pdf')]);
  });

  it('usage: one inbox at most, an inbox that exists, a term name', () => {
    expect(pastoral(['refresh', 'a', 'b']).status).toBe(2);
    const missing = pastoral(['refresh', path.join(os.tmpdir(), 'no-such-inbox-here')]);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('inbox not found');
    expect(pastoral(['refresh', fixture('tiny-school'), '--pdf-term', '2025']).status).toBe(2);
  });
});
