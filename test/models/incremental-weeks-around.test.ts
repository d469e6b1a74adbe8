/**
 * Models updated by week whose rows read a few school weeks around their own (docs/performance.md,
 * "Weeks around a row"): `N weeks back of X`, `year to date of X`, `N weeks ahead of X`. Each
 * clause is checked here twice: on hand-made rows, where a clause left out (or too short) gives a
 * model that differs from a full build, and on the demo school's real models, after an edit in
 * the middle of a year and one at a year boundary.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { copyExportsBefore, lastWeekStart } from '../../src/demo/week-split.ts';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { readModels, SQL_DIR, weeksOf } from '../../src/models/model-files.ts';
import { runModels, type ModelRunReport } from '../../src/models/run-models.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { sqlDir } from '../helpers/sql-dir.ts';
import { tempDbPath } from '../helpers/warehouse.ts';

type Row = Record<string, string>;
type Connection = Parameters<typeof queryRows>[0];

function edit(file: string, change: (rows: Row[]) => Row[]): void {
  const parsed = Papa.parse<Row>(readFileSync(file, 'utf-8'), { header: true, skipEmptyLines: true });
  writeFileSync(file, `${Papa.unparse(change(parsed.data), { columns: parsed.meta.fields ?? [], newline: '\n' })}\n`);
}

describe('the weeks-around clauses', () => {
  it('reads N weeks back, year to date and N weeks ahead (N a number or a setting), and refuses what it cannot read', () => {
    expect(weeksOf('-- incremental weeks: by week_start; 8 weeks back of a, b; year to date of a; same week of c\nselect 1')).toEqual({
      kind: 'by',
      expression: 'week_start',
      sameWeekOf: ['c'],
      backOf: [
        { name: 'a', weeks: 8 },
        { name: 'b', weeks: 8 },
      ],
      yearToDateOf: ['a'],
    });
    expect(weeksOf('-- incremental weeks: by week_start; watchlist_horizon_weeks weeks ahead of a; 1 week back of b\nselect 1')).toEqual({
      kind: 'by',
      expression: 'week_start',
      sameWeekOf: [],
      backOf: [{ name: 'b', weeks: 1 }],
      aheadOf: [{ name: 'a', weeks: 'watchlist_horizon_weeks' }],
    });
    expect(() => weeksOf('-- incremental weeks: by week_start; some weeks about a\nselect 1', 'x.sql')).toThrow(/x\.sql: cannot read "some weeks about a"/);
  });
});

// Academic year (September to August) of a date, as the models name it, written out: this
// folder has no macros.
const year = (d: string) =>
  `((case when month(${d}) >= 9 then year(${d}) else year(${d}) - 1 end)::VARCHAR || '/' || lpad(((case when month(${d}) >= 9 then year(${d}) else year(${d}) - 1 end + 1) % 100)::VARCHAR, 2, '0'))`;

/** A throwaway sql/ folder: school weeks, a weekly sum, and models reading weeks around their own row. */
function weeksAroundModels(aheadLine: string, backLine: string): string {
  return sqlDir({
    'intermediate/int_school_weeks.sql':
      `-- incremental: school\n-- incremental weeks: compared by week_start\n` +
      `select distinct school_id, ${year('date')} as academic_year, date_trunc('week', date)::DATE as week_start from raw.events`,
    'intermediate/weekly.sql':
      `-- incremental: school_year\n-- incremental weeks: by week_start\n` +
      `select school_id, ${year('date')} as academic_year, date_trunc('week', date)::DATE as week_start, sum(v)::INTEGER as v from raw.events group by all`,
    // Each school week: the sum of the next two school weeks (across the summer).
    'marts/ahead.sql':
      `-- incremental: school_year; next year of weekly\n${aheadLine}\n` +
      'select school_id, academic_year, week_start, coalesce(sum(v) over (partition by school_id order by week_start rows between 1 following and 2 following), 0)::INTEGER as next_two from weekly',
    // Each school week: the sum of the last three school weeks (across the summer), and of the year to date.
    'marts/back.sql':
      `-- incremental: school_year; previous year of weekly\n${backLine}\n` +
      'select school_id, academic_year, week_start, ' +
      'sum(v) over (partition by school_id order by week_start rows between 2 preceding and current row)::INTEGER as last_three, ' +
      'sum(v) over (partition by school_id, academic_year order by week_start rows unbounded preceding)::INTEGER as to_date from weekly',
  });
}

const AHEAD = '-- incremental weeks: by week_start; 2 weeks ahead of weekly';
const BACK = '-- incremental weeks: by week_start; 2 weeks back of weekly; year to date of weekly';

// School A's school weeks: the last three of 2024/25, then 2025/26 with the Christmas holiday
// between 22 September and 5 January (school weeks, not calendar weeks); school B one week.
const EVENTS = [
  ['A', '2025-06-30', 1],
  ['A', '2025-07-07', 2],
  ['A', '2025-07-14', 4],
  ['A', '2025-09-01', 8],
  ['A', '2025-09-08', 16],
  ['A', '2025-09-15', 32],
  ['A', '2025-09-22', 64],
  ['A', '2026-01-05', 128],
  ['A', '2026-01-12', 256],
  ['A', '2026-01-19', 512],
  ['A', '2026-01-26', 1024],
  ['A', '2026-02-02', 2048],
  ['B', '2025-09-01', 5],
] as const;

/** Runs `change` then the models incrementally, then compares every model with a full build of the same raw rows. */
async function incrementalAgainstFull(dir: string, change: string): Promise<{ report: ModelRunReport; differences: string[]; c: (sql: string) => Promise<unknown[]> }> {
  const db = tempDbPath();
  const reference = tempDbPath();
  const setUp = async (c: Connection) => {
    await c.run('CREATE SCHEMA raw');
    await c.run('CREATE TABLE raw.events (school_id VARCHAR, id INTEGER, date DATE, v INTEGER)');
    await c.run(`INSERT INTO raw.events VALUES ${EVENTS.map(([s, d, v], i) => `('${s}', ${i}, '${d}', ${v})`).join(', ')}`);
  };
  const report = await withWarehouse(db, async (c) => {
    await setUp(c);
    await runModels(c, { sqlDir: dir });
    // A row the update should not rewrite: the update from a week on leaves it as it is.
    await c.run("UPDATE ahead SET next_two = -1 WHERE week_start = DATE '2025-06-30'");
    await c.run(change);
    return runModels(c, { sqlDir: dir });
  });
  await withWarehouse(reference, async (c) => {
    await setUp(c);
    await c.run(change);
    await runModels(c, { sqlDir: dir, full: true });
    await c.run("UPDATE ahead SET next_two = -1 WHERE week_start = DATE '2025-06-30'");
  });
  const names = readModels(dir).map((m) => m.name);
  const comparison = await withWarehouse(db, (c) => compareWarehouses(c, reference, { names }));
  return { report, differences: comparison.differences.map((d) => d.name), c: (sql) => withWarehouse(db, (c) => queryRows(c, sql)) };
}

describe('models reading weeks around their own row, on hand-made rows', () => {
  it('a new week: the look-ahead model is updated from two school weeks before it, the look-back one reads from the year start, both as a full build', async () => {
    const { report, differences, c } = await incrementalAgainstFull(weeksAroundModels(AHEAD, BACK), "INSERT INTO raw.events VALUES ('A', 99, '2026-02-09', 4096)");
    expect(report.fullReason).toBeNull();
    expect(report.updatedByWeek).toEqual(expect.arrayContaining(['weekly', 'ahead', 'back']));
    expect(differences).toEqual([]);
    expect(await c("SELECT strftime(week_start, '%Y-%m-%d') AS w, next_two FROM ahead WHERE week_start >= DATE '2026-01-19' ORDER BY 1")).toEqual([
      { w: '2026-01-19', next_two: 1024 + 2048 },
      { w: '2026-01-26', next_two: 2048 + 4096 },
      { w: '2026-02-02', next_two: 4096 },
      { w: '2026-02-09', next_two: 0 },
    ]);
    expect(await c("SELECT last_three, to_date FROM back WHERE week_start = DATE '2026-02-09'")).toEqual([{ last_three: 1024 + 2048 + 4096, to_date: 4088 + 4096 }]);
  });

  it('a correction mid-year: two school weeks before it lie across the holiday, and are updated', async () => {
    const { report, differences, c } = await incrementalAgainstFull(weeksAroundModels(AHEAD, BACK), "UPDATE raw.events SET v = 0 WHERE date = DATE '2026-01-12'");
    expect(report.updatedByWeek).toContain('ahead');
    expect(differences).toEqual([]);
    // 22 September reads 5 and 12 January (the next two school weeks).
    expect(await c("SELECT next_two FROM ahead WHERE week_start = DATE '2025-09-22'")).toEqual([{ next_two: 128 }]);
  });

  it('a change in the first week of the year updates the last weeks of the year before, which read it', async () => {
    const { report, differences, c } = await incrementalAgainstFull(weeksAroundModels(AHEAD, BACK), "UPDATE raw.events SET v = 0 WHERE date = DATE '2025-09-01' AND school_id = 'A'");
    expect(report.touched).toEqual({ A: ['2025/26'] });
    expect(report.updatedByWeek).toEqual(expect.arrayContaining(['ahead', 'back']));
    expect(differences).toEqual([]);
    expect(await c("SELECT strftime(week_start, '%Y-%m-%d') AS w, next_two FROM ahead WHERE academic_year = '2024/25' ORDER BY 1")).toEqual([
      { w: '2025-06-30', next_two: -1 }, // three school weeks before: not rewritten
      { w: '2025-07-07', next_two: 4 + 0 },
      { w: '2025-07-14', next_two: 0 + 16 },
    ]);
  });

  it('without "2 weeks ahead of", the weeks before the change are left stale: the model differs from a full build', async () => {
    const { report, differences } = await incrementalAgainstFull(weeksAroundModels('-- incremental weeks: by week_start', BACK), "INSERT INTO raw.events VALUES ('A', 99, '2026-02-09', 4096)");
    expect(report.updatedByWeek).toContain('ahead');
    expect(differences).toEqual(['ahead']);
  });

  it('with "1 week back of" where the model reads two, its input is read too short: the model differs from a full build', async () => {
    const { differences } = await incrementalAgainstFull(
      weeksAroundModels(AHEAD, '-- incremental weeks: by week_start; 1 week back of weekly; year to date of weekly'),
      "INSERT INTO raw.events VALUES ('A', 99, '2026-02-09', 4096)",
    );
    // The year to date alone reaches back to September here; a change in the first weeks of the year shows it.
    expect(differences).toEqual([]);
    const early = await incrementalAgainstFull(
      weeksAroundModels(AHEAD, '-- incremental weeks: by week_start; 1 week back of weekly; year to date of weekly'),
      "UPDATE raw.events SET v = 0 WHERE date = DATE '2025-09-08'",
    );
    expect(early.differences).toEqual(['back']);
    const right = await incrementalAgainstFull(weeksAroundModels(AHEAD, BACK), "UPDATE raw.events SET v = 0 WHERE date = DATE '2025-09-08'");
    expect(right.differences).toEqual([]);
  });

  it('refuses a count of weeks that is not a setting, and a clause naming a model the model does not read', async () => {
    const unknownSetting = weeksAroundModels('-- incremental weeks: by week_start; horizon weeks ahead of weekly', BACK);
    await expect(withWarehouse(tempDbPath(), (c) => runModels(c, { sqlDir: unknownSetting }))).rejects.toThrow(/ahead: .*"horizon", which is not a column of settings/);
    const notRead = weeksAroundModels('-- incremental weeks: by week_start; 2 weeks ahead of back', BACK);
    await expect(withWarehouse(tempDbPath(), (c) => runModels(c, { sqlDir: notRead }))).rejects.toThrow(/ahead: its "-- incremental weeks:" line names back, which it does not read/);
  });
});

describe('the watchlist models updated by week, on the demo school', () => {
  let root: string;
  let exports: string;
  let student: string;
  let firstDay: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-weeks-around-'));
    // A trust folder of one school, DEMO, so every copy of it is the same school.
    exports = path.join(root, 'exports');
    await generateDemo({ outDir: path.join(exports, 'DEMO'), pupils: 100, years: 2, schools: 1, seed: 5, workers: 1 });
    const terms = Papa.parse<Row>(readFileSync(path.join(exports, 'DEMO', 'calendar.csv'), 'utf-8'), { header: true, skipEmptyLines: true }).data;
    firstDay = terms.filter((t) => t.academic_year === '2025/26').map((t) => t.start_date).sort()[0];
    const pupils = Papa.parse<Row>(readFileSync(path.join(exports, 'DEMO', 'students.csv'), 'utf-8'), { header: true, skipEmptyLines: true }).data;
    student = (pupils.find((r) => !r.leaving_date && Number(r.year_group) >= 8 && Number(r.year_group) <= 10 && (r.admission_date ?? '') < '2024-09-01') as Row).student_id;
  }, 300_000);

  const negative = (id: string, date: string): Row => ({ event_id: id, student_id: student, date, time: '10:00', polarity: 'negative', category: 'Disruption', points: '-3', severity: '4' });

  /** Every model of `db` equals a full build of `dir` with `sql`. */
  async function expectFullBuild(db: string, dir: string, sql = SQL_DIR): Promise<void> {
    const reference = path.join(root, `reference-${path.basename(db)}`);
    await withWarehouse(reference, async (c) => {
      await ingest(c, [dir], { allowRemovals: true });
      await runModels(c, { full: true, sqlDir: sql });
    });
    const names = readModels(sql).map((m) => m.name);
    const same = await withWarehouse(db, (c) => compareWarehouses(c, reference, { names }));
    expect(same.compared).toHaveLength(names.length);
    expect(same.differences).toEqual([]);
  }

  it('an edit in the middle of the year, then one in its first week (the windows reach back across the summer): as a full build', async () => {
    const dir = path.join(root, 'mid-and-boundary');
    cpSync(exports, dir, { recursive: true });
    const db = path.join(root, 'mid.duckdb');
    await withWarehouse(db, async (c) => {
      await ingest(c, [dir]);
      await runModels(c);
    });
    // Mid-year: three serious incidents in a week of February.
    edit(path.join(dir, 'DEMO', 'behaviour.csv'), (rows) => [...rows, negative('EMID1', '2026-02-03'), negative('EMID2', '2026-02-04'), negative('EMID3', '2026-02-05')]);
    const mid = await withWarehouse(db, async (c) => {
      await ingest(c, [dir]);
      return runModels(c);
    });
    expect(mid.fromWeeks).toEqual({ DEMO: { '2025/26': '2026-02-02' } });
    for (const model of ['int_watchlist_signals', 'mart_watchlist', 'mart_pupils_of_concern']) expect(mid.updatedByWeek, model).toContain(model);
    await expectFullBuild(db, dir);

    // The year's first school day: the signals' 8-week windows read last summer's weeks.
    edit(path.join(dir, 'DEMO', 'behaviour.csv'), (rows) => [...rows, negative('EFIRST1', firstDay), negative('EFIRST2', firstDay)]);
    const first = await withWarehouse(db, async (c) => {
      await ingest(c, [dir]);
      return runModels(c);
    });
    expect(first.touched).toEqual({ DEMO: ['2025/26'] });
    for (const model of ['int_watchlist_signals', 'mart_watchlist']) expect(first.updatedByWeek, model).toContain(model);
    await expectFullBuild(db, dir);
  }, 600_000);

  it('the backtest, reading the placements (not mart_bsc_referrals), is updated from 6 school weeks before a new week, as a full build', async () => {
    // It reads is_repeat where it is worked out, int_bsc_placements, which is updated by week;
    // mart_bsc_referrals (the same column beside forward-looking ones) is rebuilt whole.
    const sql = SQL_DIR;
    const text = readFileSync(path.join(sql, 'marts', 'mart_watchlist_backtest.sql'), 'utf-8');
    expect(text).toContain('from int_bsc_placements where is_repeat');
    expect(text).not.toContain('mart_bsc_referrals');

    const before = path.join(root, 'before');
    copyExportsBefore(exports, before, lastWeekStart(exports));
    const db = path.join(root, 'backtest.duckdb');
    await withWarehouse(db, async (c) => {
      await ingest(c, [before]);
      await runModels(c, { sqlDir: sql });
    });
    const report = await withWarehouse(db, async (c) => {
      await ingest(c, [exports], { allowRemovals: true });
      return runModels(c, { sqlDir: sql });
    });
    expect(report.touched).toEqual({ DEMO: ['2025/26'] });
    expect(report.updatedByWeek).toEqual(expect.arrayContaining(['int_watchlist_signals', 'mart_watchlist', 'mart_watchlist_backtest']));
    expect(report.modes.mart_watchlist_backtest_totals).toBe('partitions');
    await expectFullBuild(db, exports, sql);
  }, 600_000);
});
