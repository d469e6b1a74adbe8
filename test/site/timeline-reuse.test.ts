/**
 * A staff site rebuilt over the previous build reuses the pupil-timeline parts whose rows did not
 * change (src/page-data/timeline-reuse.ts), and is the same, byte for byte, as a clean build of
 * the same warehouse: after a week is added (the Monday routine), and after a row of a past
 * academic year changes (a part a missed fingerprint would wrongly reuse), with the previous
 * site missing one part file and holding another with the wrong bytes (a partial or damaged
 * previous build: those parts are written afresh). The build's state holds no pupil data.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModels } from '../../src/models/run-models.ts';
import { BUILD_STATE_DIR } from '../../src/page-data/build-state.ts';
import { buildSite, reportsRoot } from '../../src/site/build-site.ts';
import { rawRowsTable } from '../../src/warehouse/raw-rows.ts';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';
import { copyExportsBefore, lastWeekStart } from '../../src/demo/week-split.ts';
import { termEnd, timelinePartTerm } from '../../src/page-data/timeline-parts.ts';
import { termsUnchanged } from '../../src/page-data/week-changes.ts';
import { edit, readCsv } from '../helpers/export-csv.ts';
import { demoAndWeekAgo, importAndModel } from '../helpers/school-builder.ts';

/** Every file under dir (the pages' HTML and the build state aside) with a hash of its bytes. */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.name === BUILD_STATE_DIR) continue; // compared apart (it counts the parts reused)
    if (e.isDirectory()) Object.assign(out, snapshot(path.join(dir, e.name), rel));
    else if (!e.name.endsWith('.html')) out[rel] = createHash('sha256').update(readFileSync(path.join(dir, e.name))).digest('hex');
  }
  return out;
}

/** Each part file of the site's partitioned loaders (`_file/data/<loader>/<file>`, as `<loader>/<file>`) with its inode. */
function partInodes(site: string): Map<string, number> {
  const out = new Map<string, number>();
  const data = path.join(site, '_file', 'data');
  for (const loader of readdirSync(data, { withFileTypes: true })) {
    if (!loader.isDirectory()) continue;
    for (const file of readdirSync(path.join(data, loader.name))) {
      if (/\.[0-9a-f]{12}\.arrow$/.test(file)) out.set(`${loader.name}/${file}`, statSync(path.join(data, loader.name, file)).ino);
    }
  }
  return out;
}

interface State {
  code: string;
  reused: number;
  unqueried: number;
  membersQueried: number;
  parts: number;
  schools: Record<string, Record<string, { rows: number; sum: string; xor: string; file: string; sha256: string; members?: string }>>;
  years: Record<string, Record<string, string>>;
  latest: Record<string, { year: string; older: string; month: string | null }>;
  stamps: Record<string, string>;
}
/**
 * The first day of the latest year's latest month (src/page-data/timeline-parts.ts, LATEST_MONTH)
 * as the build recorded it: of `school`, or the one every school has.
 */
function latestMonth(state: State, school?: string): string | null {
  const months = [...new Set(Object.entries(state.latest).filter(([s]) => school === undefined || s === school).map(([, l]) => l.month))];
  if (months.length !== 1) throw new Error(`expected one latest month, not ${JSON.stringify(months)}`);
  return months[0];
}
/** How many parts of each school's years older than `latest` the state records. */
const olderParts = (state: State, latest: string) => Object.values(state.schools).flatMap((parts) => Object.keys(parts)).filter((p) => p.split('|')[0] < latest).length;
/** A year-partitioned loader's state (src/page-data/year-parts-reuse.ts). */
interface YearState {
  parts: number;
  reused: number;
  years: Record<string, Record<string, { inputs: string; parts: Array<{ key: Record<string, unknown>; file: string }> }>>;
  stamps: Record<string, string>;
}
const yearStateOf = (site: string, name: string): YearState => JSON.parse(readFileSync(path.join(site, BUILD_STATE_DIR, `${name}.json`), 'utf8')) as YearState;
const YEAR_LOADERS = ['hotspots', 'weekly-review-pupils', 'attendance-week', 'attendance-crossings', 'attendance-codes', 'bsc-weekly', 'yeargroup-week'];
/** Year-partitioned loaders of marts rebuilt whole: a (school, year) is taken by its rows' digest (unchangedBy: 'rows'). */
const ROW_LOADERS = ['bsc-placements', 'bsc-repeat-pupils', 'bsc-repeat', 'bsc-reasons', 'bsc-rereferral-curve'];
const yearStatesOf = (site: string, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, yearStateOf(site, n)]));
/** The parts of `after` whose (school, year) is recorded with the same digest in `before`: those a rebuild may take. */
const partsOfSameDigest = (before: YearState, after: YearState) =>
  Object.entries(after.years).flatMap(([school, years]) => Object.entries(years).filter(([year, r]) => before.years[school]?.[year]?.inputs === r.inputs).flatMap(([, r]) => r.parts)).length;
const stateOf = (site: string): State => JSON.parse(readFileSync(path.join(site, BUILD_STATE_DIR, 'pupil-detail.json'), 'utf8')) as State;
const PARTS = ['_file', 'data', 'pupil-detail'];

describe('a staff site rebuilt over the previous build (timeline parts reused)', () => {
  let dir: string;
  let db: string;
  let site: string;
  /** The Monday of the week the refresh adds. */
  let week: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-reuse-'));
    // Three schools: a week's refresh reads their latest terms in one query (a read of few rows:
    // reports/data/pupil-detail.tar.ts, ONE_QUERY_ROWS), so one query reads several schools.
    const { exportsDir, weekAgo } = await demoAndWeekAgo(dir, { pupils: 120, schools: 3, years: 2, seed: 11 });
    week = lastWeekStart(exportsDir);
    // The warehouse a week ago, and its site (a clean build: nothing to reuse).
    db = path.join(dir, 'w.duckdb');
    site = path.join(dir, 'site');
    await importAndModel(db, weekAgo);
    await buildSite({ dbPath: db, outDir: site, quiet: true });
    // The Monday routine: the whole exports imported again (the new week), the models refreshed.
    await importAndModel(db, exportsDir);
  }, 900_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The schools' exports as they stood before `day`, imported into a warehouse of their own and
   * built, then brought up to date and the site rebuilt over that build, beside a clean build of
   * the same warehouse: the two sites' files are the same. The states of the build before, the
   * rebuild and the clean build; `remove` deletes the folders.
   */
  async function rebuiltSince(name: string, day: string): Promise<{ before: State; after: State; clean: State; remove: () => void }> {
    const exportsDir = path.join(dir, 'exports');
    const cut = path.join(dir, `${name}-ago`);
    copyExportsBefore(exportsDir, cut, day);
    const ownDb = path.join(dir, `${name}.duckdb`);
    const ownSite = path.join(dir, `${name}-site`);
    const clean = path.join(dir, `${name}-clean`);
    await importAndModel(ownDb, cut);
    await buildSite({ dbPath: ownDb, outDir: ownSite, quiet: true });
    const before = stateOf(ownSite);
    await importAndModel(ownDb, exportsDir);
    await buildSite({ dbPath: ownDb, outDir: ownSite, quiet: true });
    await buildSite({ dbPath: ownDb, outDir: clean, quiet: true, reuse: false });
    expect(snapshot(ownSite)).toEqual(snapshot(clean));
    return { before, after: stateOf(ownSite), clean: stateOf(clean), remove: () => { for (const d of [ownSite, clean, cut]) rmSync(d, { recursive: true, force: true }); } };
  }

  it('after a week is added: the same files as a clean build, the unchanged parts reused', async () => {
    const before = stateOf(site);
    expect(before.reused).toBe(0);
    const rowsBefore = yearStatesOf(site, ROW_LOADERS);
    const inodesBefore = partInodes(site);
    await buildSite({ dbPath: db, outDir: site, quiet: true });
    const clean = path.join(dir, 'clean-1');
    await buildSite({ dbPath: db, outDir: clean, quiet: true, reuse: false });
    expect(snapshot(site)).toEqual(snapshot(clean));
    const after = stateOf(site);
    expect(stateOf(clean).reused).toBe(0);
    // The older year's parts did not change, and were taken with no row read: their inputs (the
    // model runner's state) and pupils are the ones they were written from. Every older year's
    // part is taken: a year's pieces are cut from its own rows, so the latest year's growing moves
    // no pupil of an older year to another piece. The latest year is cut by term: the parts of
    // the terms that end before the week were taken too (the runner's log says no run changed
    // their weeks), the week's term queried, no part's fingerprint queried.
    const latest = Object.values(after.years).flatMap((y) => Object.keys(y)).sort().at(-1) as string;
    expect(olderParts(after, latest)).toBeGreaterThan(0);
    // A week within the latest month: the terms are taken, and only the month's parts queried.
    const month = latestMonth(after);
    expect(month !== null && month <= week).toBe(true);
    const earlier = termsUnchanged(latest, week, month);
    expect(earlier).toEqual([1, 2, 3]);
    const latestParts = Object.values(after.schools).flatMap((parts) => Object.keys(parts)).filter((p) => p.startsWith(`${latest}|`));
    const earlierTerms = latestParts.filter((p) => earlier.includes(timelinePartTerm(p.split('|')[1])));
    expect(earlierTerms.length).toBeGreaterThan(0);
    expect(earlierTerms.length).toBeLessThan(latestParts.length);
    expect(latestParts.every((p) => timelinePartTerm(p.split('|')[1]) > 0)).toBe(true);
    expect(after.reused).toBe(olderParts(after, latest) + earlierTerms.length);
    expect(after.unqueried).toBe(after.reused);
    expect(after.reused).toBeLessThan(after.parts);
    // Which pupils each taken part holds was read back from the previous site, not queried.
    expect(after.membersQueried).toBe(0);
    expect(after.schools).toEqual(stateOf(clean).schools);
    expect(after.years).toEqual(stateOf(clean).years);
    expect(Object.keys(after.years).length).toBe(3);
    // The weekly review's hotspots and pupil lists: the older year's parts taken (its inputs
    // unchanged), the latest year's queried; recorded as a clean build records them.
    for (const name of YEAR_LOADERS) {
      const year = yearStateOf(site, name);
      const older = Object.values(year.years).flatMap((y) => Object.entries(y)).filter(([y]) => y < latest).flatMap(([, r]) => r.parts).length;
      expect(older, name).toBeGreaterThan(0);
      expect(year.reused, name).toBe(older);
      expect(year.reused, name).toBeLessThan(year.parts);
      expect(year.years, name).toEqual(yearStateOf(clean, name).years);
      expect(yearStateOf(clean, name).reused, name).toBe(0);
    }
    // The BSC loaders (their marts rebuilt whole): each (school, year) taken whose rows' count and
    // hash sum are the ones recorded, the others queried; recorded as a clean build records them.
    for (const name of ROW_LOADERS) {
      const year = yearStateOf(site, name);
      expect(year.years, name).toEqual(yearStateOf(clean, name).years);
      expect(yearStateOf(clean, name).reused, name).toBe(0);
      expect(year.reused, name).toBe(partsOfSameDigest(rowsBefore[name], year));
    }
    expect(yearStateOf(site, 'bsc-placements').reused).toBeGreaterThan(0);
    // The daily lists: the months no run changed since the previous build taken (the week's own
    // month, and any month a model changed rows of, queried), the same parts as a clean build's.
    const listsOf = (root: string) => JSON.parse(readFileSync(path.join(root, BUILD_STATE_DIR, 'daily-lists.json'), 'utf8')) as { parts: number; reused: number; schools: Record<string, Record<string, { file: string }>> };
    const lists = listsOf(site);
    expect(lists.reused).toBeGreaterThan(0);
    expect(lists.reused).toBeLessThan(lists.parts);
    expect(lists.schools).toEqual(listsOf(clean).schools);
    expect(listsOf(clean).reused).toBe(0);
    expect(Object.values(lists.schools).every((months) => Object.keys(months).includes(week.slice(0, 7)))).toBe(true);
    // The parts taken are the previous site's files, linked (not read and written again) where the
    // site and the loader cache share a file system; a copy where they do not.
    const inodesAfter = partInodes(site);
    const linked = (loader: string) => [...inodesAfter].filter(([file, ino]) => file.startsWith(`${loader}/`) && inodesBefore.get(file) === ino).length;
    const linking = statSync(site).dev === statSync(path.join(reportsRoot, '.observablehq', 'cache')).dev;
    if (linking) {
      expect(linked('pupil-detail')).toBeGreaterThan(0);
      expect(linked('pupil-detail')).toBeLessThanOrEqual(after.reused);
      for (const name of YEAR_LOADERS) expect(linked(name), name).toBe(new Set(Object.values(yearStateOf(site, name).years).flatMap((y) => Object.entries(y)).filter(([y]) => y < latest).flatMap(([, r]) => r.parts.map((p) => p.file))).size);
      // Every timeline part file stamped with its size and time as it stands in the site (written
      // here, or taken, checked and linked), so the next build takes it by a stat, not a read
      // (src/page-data/previous-build.ts); the year loaders' taken files alike.
      const stampOf = (file: string) => `${statSync(file).size}:${statSync(file, { bigint: true }).mtimeNs}`;
      const timelineFiles = [...new Set(Object.values(after.schools).flatMap((parts) => Object.values(parts).map((p) => p.file)))].sort();
      expect(Object.keys(after.stamps).sort()).toEqual(timelineFiles);
      for (const f of timelineFiles) expect(after.stamps[f], f).toBe(stampOf(path.join(site, ...PARTS, f)));
      for (const name of YEAR_LOADERS) {
        const { stamps } = yearStateOf(site, name);
        expect(Object.keys(stamps).length, name).toBe(linked(name));
        for (const [f, stamp] of Object.entries(stamps)) expect(stamp, `${name}/${f}`).toBe(stampOf(path.join(site, '_file', 'data', name, f)));
      }
    } else {
      expect(linked('pupil-detail')).toBe(0);
    }
    // Hashes, counts and file names only: no pupil's id in the state.
    const text = readFileSync(path.join(site, BUILD_STATE_DIR, 'pupil-detail.json'), 'utf8');
    const directory = readdirSync(path.join(site, ...PARTS));
    expect(directory.length).toBeGreaterThan(after.parts);
    await withWarehouse(db, async (c) => {
      const ids = (await c.runAndReadAll('SELECT DISTINCT student_id FROM mart_pupil_directory')).getRows().map((r) => String(r[0]));
      expect(ids.length).toBeGreaterThan(100);
      for (const id of ids) expect(text).not.toMatch(new RegExp(`["|]${id}["|]`));
    });
    rmSync(clean, { recursive: true, force: true });
  }, 900_000);

  it('after a past year\'s row changes, over a previous site missing a part and holding a damaged one: the same files as a clean build', async () => {
    const previous = stateOf(site);
    const school = Object.keys(previous.schools).sort()[0];
    const years = [...new Set(Object.keys(previous.schools[school]).map((p) => p.split('|')[0]))].sort();
    expect(years.length).toBe(2);
    // A behaviour event of the first year changes its comment (a correction in a past year).
    let changedPupil = '';
    const rowsBefore = yearStatesOf(site, ROW_LOADERS);
    await withWarehouse(db, async (c) => {
      const row = (
        await c.runAndReadAll(`SELECT student_id, record_id FROM mart_pupil_timeline WHERE school_id = '${school}' AND academic_year = '${years[0]}' AND kind = 'behaviour' ORDER BY record_id LIMIT 1`)
      ).getRows()[0];
      changedPupil = String(row[0]);
      // raw.behaviour's stored rows (src/warehouse/raw-rows.ts), the school by its number.
      await c.run(`UPDATE ${rawRowsTable('behaviour')} SET comment = 'corrected in a later week'
        WHERE event_id = '${String(row[1])}' AND student_id = '${changedPupil}' AND school_key = (SELECT school_key FROM raw.school_keys WHERE school_id = '${school}')`);
      // And a BSC placement of that year its reason (the BSC loaders take a (school, year) by its rows).
      const placement = (await c.runAndReadAll(`SELECT record_id FROM mart_pupil_timeline WHERE school_id = '${school}' AND academic_year = '${years[0]}' AND kind = 'bsc' ORDER BY record_id LIMIT 1`)).getRows()[0];
      await c.run(`UPDATE ${rawRowsTable('bsc')} SET reason = 'Reason corrected later'
        WHERE referral_id = '${String(placement[0])}' AND school_key = (SELECT school_key FROM raw.school_keys WHERE school_id = '${school}')`);
      await runModels(c);
      const seen = (await c.runAndReadAll(`SELECT count(*) FROM mart_pupil_timeline WHERE comment = 'corrected in a later week'`)).getRows()[0][0];
      expect(Number(seen)).toBe(1);
    });
    // The previous site: one reusable part file gone, another's bytes changed.
    const parts = path.join(site, ...PARTS);
    const older = Object.entries(previous.schools[school]).filter(([p]) => p.startsWith(years[0])).map(([, r]) => r.file);
    expect(older.length).toBeGreaterThan(2);
    rmSync(path.join(parts, older[0]));
    const damaged = path.join(parts, older[1]);
    const bytes = readFileSync(damaged);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(damaged, bytes);

    await buildSite({ dbPath: db, outDir: site, quiet: true });
    const clean = path.join(dir, 'clean-2');
    await buildSite({ dbPath: db, outDir: clean, quiet: true, reuse: false });
    expect(snapshot(site)).toEqual(snapshot(clean));
    const after = stateOf(site);
    expect(after.schools).toEqual(stateOf(clean).schools);
    // The changed pupils' parts of that year are new (the behaviour event's, and the placement's
    // if another); the missing and damaged files were written afresh.
    const changedParts = Object.entries(after.schools[school]).filter(([p, r]) => p.startsWith(years[0]) && r.file !== previous.schools[school][p]?.file).map(([p]) => p);
    expect(changedParts.length).toBeGreaterThanOrEqual(1);
    expect(changedParts.length).toBeLessThanOrEqual(2);
    expect(existsSync(path.join(parts, older[0]))).toBe(true);
    expect(createHash('sha256').update(readFileSync(path.join(parts, older[1]))).digest('hex')).toBe(previous.schools[school][Object.keys(previous.schools[school]).find((p) => previous.schools[school][p].file === older[1])!].sha256);
    // Every other part was reused: all but the changed ones, the missing one and the damaged one.
    expect(after.reused).toBe(after.parts - new Set([...changedParts, ...older.slice(0, 2).map((f) => Object.keys(previous.schools[school]).find((p) => previous.schools[school][p].file === f))]).size);
    // The school changed in a past year had its parts fingerprinted (the model runner rebuilt every
    // year of it); the other schools, unchanged, had every part taken with no row read.
    const others = Object.keys(after.schools).filter((s) => s !== school);
    expect(others).toHaveLength(2);
    expect(after.unqueried).toBe(others.reduce((n, other) => n + Object.keys(after.schools[other]).length, 0));
    // The year-partitioned loaders: every year of the other schools taken, none of the changed one's
    // (the runner rebuilt every year of it), but for the register marks' codes, which read neither
    // behaviour nor placements: the runner's log says it left them alone, though the school's
    // digests changed.
    for (const name of YEAR_LOADERS) {
      const year = yearStateOf(site, name);
      const ofOthers = others.flatMap((other) => Object.values(year.years[other]).flatMap((r) => r.parts)).length;
      expect(ofOthers, name).toBeGreaterThan(0);
      expect(year.reused, name).toBe(name === 'attendance-codes' ? year.parts : ofOthers);
      expect(year.years, name).toEqual(yearStateOf(clean, name).years);
    }
    // The BSC loaders: every (school, year) whose rows are as recorded taken, whatever the runner
    // rebuilt; the placements of the year whose reason changed queried, and only those.
    for (const name of ROW_LOADERS) {
      const year = yearStateOf(site, name);
      expect(year.years, name).toEqual(yearStateOf(clean, name).years);
      expect(year.reused, name).toBe(partsOfSameDigest(rowsBefore[name], year));
    }
    const placements = yearStateOf(site, 'bsc-placements');
    expect(placements.years[school][years[0]].inputs).not.toBe(rowsBefore['bsc-placements'].years[school][years[0]].inputs);
    expect(placements.reused).toBe(placements.parts - placements.years[school][years[0]].parts.length);
    expect(after.years).toEqual(stateOf(clean).years);
    expect(changedPupil).not.toBe('');
    rmSync(clean, { recursive: true, force: true });
  }, 900_000);

  it('the daily lists take a month only with as many rows as it was recorded with, whatever the runner\'s log says', async () => {
    // No model run since the site was built: every month may be taken by the log. One is recorded
    // with a row more than it has now (as a school gone from the warehouse would have none).
    const copy = path.join(dir, 'lists');
    cpSync(site, copy, { recursive: true });
    const file = path.join(copy, BUILD_STATE_DIR, 'daily-lists.json');
    const state = JSON.parse(readFileSync(file, 'utf8')) as { parts: number; reused: number; schools: Record<string, Record<string, { rows: number }>> };
    const school = Object.keys(state.schools).sort()[0];
    const month = Object.keys(state.schools[school]).sort()[0];
    state.schools[school][month].rows += 1;
    writeFileSync(file, JSON.stringify(state));
    await buildSite({ dbPath: db, outDir: copy, quiet: true });
    expect(snapshot(copy)).toEqual(snapshot(site));
    const after = JSON.parse(readFileSync(file, 'utf8')) as typeof state;
    expect(after.parts).toBeGreaterThan(1);
    expect(after.reused).toBe(after.parts - 1);
    rmSync(copy, { recursive: true, force: true });
  }, 300_000);

  it('a part recorded with other pupils than it now holds is queried, not taken by its year\'s inputs', async () => {
    // Two parts of an older year swapped in the previous build's state (each recorded with the
    // other's file and pupils): as when the pieces moved. Their year's inputs are unchanged.
    const copy = path.join(dir, 'moved');
    cpSync(site, copy, { recursive: true });
    const state = stateOf(copy);
    const school = Object.keys(state.schools).sort()[0];
    const firstYear = Object.keys(state.years[school]).sort()[0];
    const [a, b] = Object.keys(state.schools[school]).filter((p) => p.startsWith(`${firstYear}|`)).sort();
    expect(state.schools[school][a].members).not.toBe(state.schools[school][b].members);
    [state.schools[school][a], state.schools[school][b]] = [state.schools[school][b], state.schools[school][a]];
    writeFileSync(path.join(copy, BUILD_STATE_DIR, 'pupil-detail.json'), JSON.stringify(state));
    await buildSite({ dbPath: db, outDir: copy, quiet: true });
    expect(snapshot(copy)).toEqual(snapshot(site));
    const after = stateOf(copy);
    expect(after.unqueried).toBe(after.parts - 2);
    // The school's pupils read back from the site did not match what its state recorded: queried.
    expect(after.membersQueried).toBe(1);
    expect(after.schools).toEqual(stateOf(site).schools);
    rmSync(copy, { recursive: true, force: true });
  }, 900_000);

  it('over a previous site whose pupil directory is missing: each part\'s pupils queried, the same parts taken, the same files', async () => {
    const copy = path.join(dir, 'no-directory');
    cpSync(site, copy, { recursive: true });
    const before = stateOf(copy);
    const published = readdirSync(path.join(copy, ...PARTS)).filter((f) => /^directory(\.[0-9a-f]+)?\.arrow$/.test(f));
    expect(published).toHaveLength(1);
    rmSync(path.join(copy, ...PARTS, published[0]));
    await buildSite({ dbPath: db, outDir: copy, quiet: true });
    expect(snapshot(copy)).toEqual(snapshot(site));
    const after = stateOf(copy);
    expect(after.membersQueried).toBe(Object.keys(before.schools).length);
    expect(after.unqueried).toBe(after.parts);
    expect(after.schools).toEqual(before.schools);
    rmSync(copy, { recursive: true, force: true });
  }, 900_000);

  it('after a model\'s code changes (its hash in the runner\'s state): every part fingerprinted, none taken unqueried, the same files', async () => {
    const copy = path.join(dir, 'model-changed');
    cpSync(site, copy, { recursive: true });
    let hash = '';
    await withWarehouse(db, async (c) => {
      hash = String((await c.runAndReadAll(`SELECT hash FROM model_state.models WHERE model = 'stg_behaviour'`)).getRows()[0][0]);
      await c.run(`UPDATE model_state.models SET hash = 'changed' WHERE model = 'stg_behaviour'`);
    });
    try {
      await buildSite({ dbPath: db, outDir: copy, quiet: true });
    } finally {
      await withWarehouse(db, (c) => c.run(`UPDATE model_state.models SET hash = '${hash}' WHERE model = 'stg_behaviour'`));
    }
    const state = stateOf(copy);
    expect(state.unqueried).toBe(0);
    expect(state.reused).toBe(state.parts);
    expect(snapshot(copy)).toEqual(snapshot(site));
    // Every (school, year)'s inputs changed: the year-partitioned loaders took nothing.
    for (const name of YEAR_LOADERS) expect(yearStateOf(copy, name).reused, name).toBe(0);
    // Recorded with the inputs it was built from: the site's own years' digests differ.
    expect(state.years).not.toEqual(stateOf(site).years);
    rmSync(copy, { recursive: true, force: true });
  }, 900_000);

  it('when the runner records that a change to the latest year may reach the timeline\'s other years: none taken unqueried, the same files', async () => {
    const copy = path.join(dir, 'not-alone');
    cpSync(site, copy, { recursive: true });
    await withWarehouse(db, (c) => c.run(`UPDATE model_state.latest_year_alone SET holds = false WHERE model = 'mart_pupil_timeline'`));
    try {
      await buildSite({ dbPath: db, outDir: copy, quiet: true });
    } finally {
      await withWarehouse(db, (c) => c.run(`UPDATE model_state.latest_year_alone SET holds = true WHERE model = 'mart_pupil_timeline'`));
    }
    const state = stateOf(copy);
    expect(state.unqueried).toBe(0);
    expect(state.reused).toBe(state.parts);
    expect(snapshot(copy)).toEqual(snapshot(site));
    expect(state.years).toEqual({});
    rmSync(copy, { recursive: true, force: true });
  }, 900_000);

  it("after a correction in the latest year's first term: that term and the later ones queried, the other school's taken; with the previous run unknown, no term taken by the log", async () => {
    const previous = stateOf(site);
    const [school, other] = Object.keys(previous.schools).sort();
    const latest = Object.keys(previous.years[school]).sort().at(-1) as string;
    const latestParts = (state: State, of: string) => Object.keys(state.schools[of]).filter((p) => p.startsWith(`${latest}|`));
    // The autumn's first behaviour event of the latest year gets a corrected comment.
    const correct = (text: string, where: string) =>
      withWarehouse(db, async (c) => {
        const [row] = (await c.runAndReadAll(`SELECT student_id, record_id FROM mart_pupil_timeline WHERE school_id = '${school}' AND academic_year = '${latest}' AND kind = 'behaviour' AND ${where} ORDER BY "date", record_id LIMIT 1`)).getRows();
        await c.run(`UPDATE ${rawRowsTable('behaviour')} SET comment = '${text}'
          WHERE event_id = '${String(row[1])}' AND student_id = '${String(row[0])}' AND school_key = (SELECT school_key FROM raw.school_keys WHERE school_id = '${school}')`);
        await runModels(c);
      });
    await correct('corrected in the autumn', `"date" < DATE '${termEnd(latest, 1)}'`);
    const copy = path.join(dir, 'autumn');
    cpSync(site, copy, { recursive: true });
    await buildSite({ dbPath: db, outDir: copy, quiet: true });
    const clean = path.join(dir, 'clean-autumn');
    await buildSite({ dbPath: db, outDir: clean, quiet: true, reuse: false });
    expect(snapshot(copy)).toEqual(snapshot(clean));
    const after = stateOf(copy);
    expect(after.schools).toEqual(stateOf(clean).schools);
    // Every part but the changed school's latest year's (every term of it) was taken.
    expect(latestParts(after, school).length).toBeGreaterThan(2);
    expect(after.reused).toBe(after.parts - latestParts(after, school).length);
    expect(latestParts(after, other).length).toBeGreaterThan(2);

    // Now a correction in the last week alone: the earlier terms are taken by the log; over a
    // previous build whose run the warehouse does not know, none of them is.
    await correct('corrected in the last week', `"date" >= DATE '${week}'`);
    const byLog = path.join(dir, 'last-week');
    cpSync(copy, byLog, { recursive: true });
    await buildSite({ dbPath: db, outDir: byLog, quiet: true });
    const unknown = path.join(dir, 'unknown-run');
    cpSync(copy, unknown, { recursive: true });
    writeFileSync(path.join(unknown, BUILD_STATE_DIR, 'pupil-detail.json'), JSON.stringify({ ...stateOf(unknown), run: '00000000-0000-0000-0000-000000000000' }));
    await buildSite({ dbPath: db, outDir: unknown, quiet: true });
    await buildSite({ dbPath: db, outDir: clean, quiet: true, reuse: false });
    expect(snapshot(byLog)).toEqual(snapshot(clean));
    expect(snapshot(unknown)).toEqual(snapshot(clean));
    const earlier = latestParts(stateOf(byLog), school).filter((p) => termsUnchanged(latest, week, latestMonth(stateOf(byLog), school)).includes(timelinePartTerm(p.split('|')[1])));
    expect(earlier.length).toBeGreaterThan(0);
    expect(stateOf(byLog).reused).toBe(stateOf(byLog).parts - latestParts(stateOf(byLog), school).length + earlier.length);
    expect(stateOf(unknown).reused).toBe(stateOf(unknown).parts - latestParts(stateOf(unknown), school).length);
    // The site the other tests compare with, brought up to date.
    await buildSite({ dbPath: db, outDir: site, quiet: true });
    for (const d of [copy, clean, byLog, unknown]) rmSync(d, { recursive: true, force: true });
  }, 900_000);

  it("after the weeks that start a new month: the terms before it taken, the summer term and the new month queried, the same files as a clean build", async () => {
    // The same schools as they stood before the latest month (their exports cut at its first day),
    // built, then brought up to date: the latest month moves on, so the summer term's part gains
    // the month before and is queried with the new month, and the earlier terms are taken.
    const month = `${week.slice(0, 8)}01`;
    const { before, after, clean, remove } = await rebuiltSince('month', month);
    const previousMonth = latestMonth(before);
    expect(previousMonth !== null && previousMonth < month).toBe(true);
    expect(latestMonth(after)).toBe(month);
    expect(after.schools).toEqual(clean.schools);
    const latest = Object.values(after.years).flatMap((y) => Object.keys(y)).sort().at(-1) as string;
    const latestParts = Object.values(after.schools).flatMap((parts) => Object.keys(parts)).filter((p) => p.startsWith(`${latest}|`));
    const blockOf = (p: string) => timelinePartTerm(p.split('|')[1]);
    // The autumn's and spring's parts taken, the summer's and the month's queried.
    const taken = termsUnchanged(latest, previousMonth, month, previousMonth);
    expect(taken).toEqual([1, 2]);
    expect(latestParts.some((p) => blockOf(p) === 3) && latestParts.some((p) => blockOf(p) === 4)).toBe(true);
    expect(after.reused).toBe(olderParts(after, latest) + latestParts.filter((p) => taken.includes(blockOf(p))).length);
    remove();
  }, 900_000);

  it("after a new academic year begins (the exports of its first weeks over July's site): the year before, cut by term until then, is cut whole; the same files as a clean build", async () => {
    const latest = Object.keys(stateOf(site).years[Object.keys(stateOf(site).years)[0]]).sort().at(-1) as string;
    const { before, after, clean, remove } = await rebuiltSince('year', `${latest.slice(0, 4)}-09-01`);
    const previousYear = Object.values(before.latest)[0].year;
    expect(previousYear < latest).toBe(true);
    expect(after.schools).toEqual(clean.schools);
    // The year before was each school's latest, cut by term: now an older year, cut whole, its
    // parts queried (never taken by the log: pupil-detail.tar.ts, yearKey). Every year's digest
    // changed with the new year; no part is taken unqueried.
    expect(Object.values(after.latest).every((l) => l.year === latest)).toBe(true);
    expect(Object.keys(after.schools[Object.keys(after.schools)[0]]).some((p) => p.startsWith(`${previousYear}|`) && timelinePartTerm(p.split('|')[1]) === 0)).toBe(true);
    expect(after.unqueried).toBe(0);
    remove();
  }, 900_000);

  it("after the pupils file changes (SEN statuses recorded; a joiner's admission corrected, with a record before it): the years no run changed taken by the runner's log, though the schools' digests changed; the same files as a clean build", async () => {
    const exportsDir = path.join(dir, 'exports');
    const [school, other] = Object.keys(stateOf(site).schools).sort();
    const years = Object.keys(stateOf(site).years[school]).sort();
    const [older, latest] = years;
    const students = (s: string) => path.join(exportsDir, s, 'students.csv');
    // A joiner of the latest year whose admission was first recorded years ahead (so the school's
    // directory does not list them), with a detention of the older year, before their admission:
    // the MIS holds it, and the timeline shows it once the pupil is listed. Their behaviour events
    // are taken out of the exports (an event of a pupil not on roll fails a data test).
    const joiner = readCsv(students(school)).rows.find((r) => r.admission_date >= `${latest.slice(0, 4)}-09-01` && r.leaving_date === '') as Record<string, string>;
    expect(joiner).toBeDefined();
    edit(path.join(exportsDir, school, 'behaviour.csv'), (rows) => rows.filter((r) => r.student_id !== joiner.student_id));
    const olderDay = readCsv(path.join(exportsDir, school, 'detentions.csv')).rows.map((r) => r.date.slice(0, 10)).filter((d) => d < `${latest.slice(0, 4)}-09-01`).sort()[0];
    edit(path.join(exportsDir, school, 'detentions.csv'), (rows) => [
      ...rows,
      { ...rows[0], detention_id: 'D-BEFORE-ADMISSION', student_id: joiner.student_id, date: olderDay, event_id: '', status: 'attended' },
    ]);
    edit(students(school), (rows) => rows.map((r) => (r.student_id === joiner.student_id ? { ...r, admission_date: '2030-09-02' } : r)));
    await importAndModel(db, exportsDir);
    await buildSite({ dbPath: db, outDir: site, quiet: true });
    const listed = (state: string) =>
      withWarehouse(db, async (c) => Number((await c.runAndReadAll(`SELECT count(*) FROM mart_pupil_timeline WHERE school_id = '${school}' AND student_id = '${state}'`)).getRows()[0][0]));
    expect(await listed(joiner.student_id)).toBe(0);

    // 1. A SEN status recorded for a pupil of each of two schools: no timeline row, and no row of
    // most year parts, changes, though each school's digests do (its pupils file changed).
    const before = stateOf(site);
    const yearsBefore = yearStatesOf(site, YEAR_LOADERS);
    for (const s of [school, other]) {
      edit(students(s), (rows) => {
        const chosen = rows.find((r) => r.leaving_date === '' && r.admission_date < `${older.slice(0, 4)}-09-01`) as Record<string, string>;
        return rows.map((r) => (r === chosen ? { ...r, sen: r.sen === 'K' ? 'N' : 'K' } : r));
      });
    }
    await importAndModel(db, exportsDir);
    await buildSite({ dbPath: db, outDir: site, quiet: true });
    const clean = path.join(dir, 'clean-pupils');
    await buildSite({ dbPath: db, outDir: clean, quiet: true, reuse: false });
    expect(snapshot(site)).toEqual(snapshot(clean));
    const sen = stateOf(site);
    expect(sen.schools).toEqual(stateOf(clean).schools);
    for (const s of [school, other]) expect(sen.years[s][older], s).not.toBe(before.years[s][older]);
    // Every timeline part taken with no row read: by the log for the two schools, by their digests for the third.
    expect(sen.unqueried).toBe(sen.parts);
    expect(sen.membersQueried).toBe(0);
    // The year loaders whose marts show no pupil's SEN status: every part taken.
    for (const name of ['hotspots', 'attendance-week', 'attendance-codes', 'bsc-weekly']) {
      const year = yearStateOf(site, name);
      expect(year.reused, name).toBe(year.parts);
      expect(year.years[school][older].inputs, name).not.toBe(yearsBefore[name].years[school][older].inputs);
    }

    // 2. The joiner's admission corrected: the directory lists them, and the older year's timeline
    // shows their detention, though no model run logged a change to that year's records (the
    // detention was imported before; the pupil-years changed in the latest year alone).
    edit(students(school), (rows) => rows.map((r) => (r.student_id === joiner.student_id ? { ...r, admission_date: joiner.admission_date } : r)));
    await importAndModel(db, exportsDir);
    expect(await listed(joiner.student_id)).toBeGreaterThan(0);
    await buildSite({ dbPath: db, outDir: site, quiet: true });
    await buildSite({ dbPath: db, outDir: clean, quiet: true, reuse: false });
    expect(snapshot(site)).toEqual(snapshot(clean));
    const joined = stateOf(site);
    expect(joined.schools).toEqual(stateOf(clean).schools);
    // The joiner's school fingerprinted (its older year changed in the directory's pupils); the
    // others taken with no row read.
    const ofOthers = Object.entries(joined.schools).filter(([s]) => s !== school).reduce((n, [, parts]) => n + Object.keys(parts).length, 0);
    expect(joined.unqueried).toBe(ofOthers);
    const changed = Object.entries(joined.schools[school]).filter(([p, r]) => p.startsWith(`${older}|`) && r.file !== sen.schools[school][p]?.file);
    expect(changed.length).toBeGreaterThanOrEqual(1);
    rmSync(clean, { recursive: true, force: true });
  }, 900_000);

  it('a previous site written by other code, or none, reuses nothing', async () => {
    const state = stateOf(site);
    writeFileSync(path.join(site, BUILD_STATE_DIR, 'pupil-detail.json'), JSON.stringify({ ...state, code: 'f'.repeat(64) }));
    const copy = path.join(dir, 'copy');
    cpSync(site, copy, { recursive: true });
    await buildSite({ dbPath: db, outDir: copy, quiet: true });
    expect(stateOf(copy).reused).toBe(0);
    expect(snapshot(copy)).toEqual(snapshot(site));
    await buildSite({ dbPath: db, outDir: copy, quiet: true, reuse: false });
    expect(stateOf(copy).reused).toBe(0);
    rmSync(copy, { recursive: true, force: true });
  }, 900_000);
});
