import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { copyExportsBefore, lastWeekStart } from '../../src/demo/week-split.ts';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { incrementalOf, readModels, weeksOf } from '../../src/models/model-files.ts';
import { modelLine } from '../../src/cli/commands/models.ts';
import { extentFilter, modelTouched, nextYear, partitionFilter, previousYear, unionExtents } from '../../src/models/incremental.ts';
import { runDescription, runModels, type ModelRunReport } from '../../src/models/run-models.ts';
import { runRefresh } from '../../src/refresh/refresh.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';
import { sqlDir } from '../helpers/sql-dir.ts';

type Row = Record<string, string>;

function readCsv(file: string): { fields: string[]; rows: Row[] } {
  const parsed = Papa.parse<Row>(readFileSync(file, 'utf-8'), { header: true, skipEmptyLines: true });
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

function writeCsv(file: string, fields: string[], rows: Row[]): void {
  writeFileSync(file, `${Papa.unparse(rows, { columns: fields, newline: '\n' })}\n`);
}

/** Edits one export file in place. */
function edit(file: string, change: (rows: Row[]) => Row[]): void {
  const { fields, rows } = readCsv(file);
  writeCsv(file, fields, change(rows));
}

const fakeBuild = async (_db: string, outDir: string) => {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'index.html'), 'built');
};

/** A fresh warehouse from `exports`, every model built whole. */
async function fullBuild(db: string, exports: string): Promise<ModelRunReport> {
  return withWarehouse(db, async (c) => {
    await ingest(c, [exports], { allowRemovals: true });
    return runModels(c, { full: true });
  });
}

/** Every model of `db` equals, row for row, a full build of `exports` made at `reference`. */
async function expectSameAsFullBuild(db: string, exports: string, reference: string): Promise<void> {
  const names = readModels().map((m) => m.name);
  await fullBuild(reference, exports);
  const same = await withWarehouse(db, (c) => compareWarehouses(c, reference, { names }));
  expect(same.compared).toHaveLength(names.length);
  expect(same.differences).toEqual([]);
}

describe('the incremental header', () => {
  it('reads the partitioning, the year expression and the years each input is read for', () => {
    expect(incrementalOf('select 1')).toBeNull();
    expect(incrementalOf('-- incremental: school\nselect 1')).toEqual({ by: 'school', yearExpression: 'academic_year', allYearsOf: [], previousYearOf: [] });
    expect(incrementalOf('-- incremental: school_year by academic_year_of(date); all years of a, b; previous year of c\nselect 1')).toEqual({
      by: 'school_year',
      yearExpression: 'academic_year_of(date)',
      allYearsOf: ['a', 'b'],
      previousYearOf: ['c'],
    });
    expect(() => incrementalOf('-- incremental: per pupil\nselect 1', 'x.sql')).toThrow(/x\.sql: cannot read/);
    expect(() => incrementalOf('-- incremental: school_year; some years of a\nselect 1', 'x.sql')).toThrow(/cannot read "some years of a"/);
  });

  it('every model that names an input in its header reads that input', () => {
    for (const model of readModels()) {
      for (const dep of [...(model.incremental?.allYearsOf ?? []), ...(model.incremental?.previousYearOf ?? [])]) {
        expect(model.sql, `${model.name} names ${dep}`).toMatch(new RegExp(`\\b${dep}\\b`));
      }
    }
  });
});

describe('which partitions a run touches, on hand-made rows', () => {
  const dir = sqlDir({
    // Per school and academic year (Sept–Aug): rebuilt by partition.
    'marts/by_year.sql':
      "-- incremental: school_year\nselect school_id, (case when month(date) >= 9 then year(date) else year(date) - 1 end)::VARCHAR || '/' || " +
      "lpad(((case when month(date) >= 9 then year(date) else year(date) - 1 end + 1) % 100)::VARCHAR, 2, '0') as academic_year, count(*)::INTEGER as n, sum(v)::INTEGER as v from raw.events group by all",
    // Reads the partitioned model: per school, across its years.
    'marts/by_school.sql': '-- incremental: school\nselect school_id, sum(n)::INTEGER as n from by_year group by all',
    // No header: rebuilt whole when anything it reads changed.
    'marts/everything.sql': 'select count(*)::INTEGER as n, sum(v)::INTEGER as v from raw.events',
    'marts/constant.sql': 'select 1 as k',
  });
  const rows = (c: Parameters<typeof queryRows>[0], sql: string) => queryRows(c, sql);

  it('updates only the partitions whose rows changed, widening to every year of a school when an older year or a new year is involved', async () => {
    const w = await openTempWarehouse();
    const c = w.connection;
    try {
      await c.run('CREATE SCHEMA raw');
      await c.run('CREATE TABLE raw.events (school_id VARCHAR, id INTEGER, date DATE, v INTEGER)');
      await c.run(`INSERT INTO raw.events VALUES ('A', 1, '2024-10-01', 1), ('A', 2, '2025-10-01', 2), ('A', 3, '2026-03-02', 4), ('B', 4, '2025-11-03', 8)`);
      const first = await runModels(c, { sqlDir: dir });
      expect(first.fullReason).toBe('no earlier run to compare with');
      expect(first.touched).toEqual({});

      // A new row in A's latest year (2025/26): that partition alone; B untouched.
      await c.run(`INSERT INTO raw.events VALUES ('A', 5, '2026-06-01', 16)`);
      const week = await runModels(c, { sqlDir: dir });
      expect(week.fullReason).toBeNull();
      expect(week.touched).toEqual({ A: ['2025/26'] });
      expect(week.modes).toEqual({ by_year: 'partitions', by_school: 'partitions', everything: 'full', constant: 'unchanged' });
      expect(await rows(c, 'SELECT * FROM by_year ORDER BY ALL')).toEqual([
        { school_id: 'A', academic_year: '2024/25', n: 1, v: 1 },
        { school_id: 'A', academic_year: '2025/26', n: 3, v: 22 },
        { school_id: 'B', academic_year: '2025/26', n: 1, v: 8 },
      ]);
      expect(await rows(c, 'SELECT * FROM by_school ORDER BY ALL')).toEqual([{ school_id: 'A', n: 4 }, { school_id: 'B', n: 1 }]);
      expect(await rows(c, 'SELECT * FROM everything')).toEqual([{ n: 5, v: 31 }]);
      expect(runDescription(week)).toBe('Rebuilt what changed: 2 model(s) updated for A 2025/26, 1 rebuilt whole, 1 unchanged (--full rebuilds everything)');

      // A correction to A's older year: every year of A.
      await c.run(`UPDATE raw.events SET v = 32 WHERE id = 1`);
      const older = await runModels(c, { sqlDir: dir });
      expect(older.touched).toEqual({ A: ['2024/25', '2025/26'] });
      expect(await rows(c, "SELECT n, v FROM by_year WHERE school_id = 'A' AND academic_year = '2024/25'")).toEqual([{ n: 1, v: 32 }]);

      // B's first row of a new academic year: every year of B (its latest year changed).
      await c.run(`INSERT INTO raw.events VALUES ('B', 6, '2026-09-07', 64)`);
      const newYear = await runModels(c, { sqlDir: dir });
      expect(newYear.touched).toEqual({ B: ['2025/26', '2026/27'] });
      expect(await rows(c, "SELECT academic_year, n, v FROM by_year WHERE school_id = 'B' ORDER BY 1")).toEqual([
        { academic_year: '2025/26', n: 1, v: 8 },
        { academic_year: '2026/27', n: 1, v: 64 },
      ]);

      // A deleted row: its partition. Nothing changed: nothing rebuilt.
      await c.run('DELETE FROM raw.events WHERE id = 3');
      expect((await runModels(c, { sqlDir: dir })).touched).toEqual({ A: ['2025/26'] });
      expect(await rows(c, "SELECT n, v FROM by_year WHERE school_id = 'A' AND academic_year = '2025/26'")).toEqual([{ n: 2, v: 18 }]);
      const idle = await runModels(c, { sqlDir: dir });
      expect(Object.values(idle.modes)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);

      // Another setting, or --full: every model whole.
      const settings = await runModels(c, { sqlDir: dir, settings: { smallCountThreshold: 3 } });
      expect(Object.values(settings.modes)).toEqual(['full', 'full', 'full', 'full']);
      const full = await runModels(c, { sqlDir: dir, settings: { smallCountThreshold: 3 }, full: true });
      expect(full.fullReason).toBe('asked for a full rebuild');
      expect(runDescription(full)).toBe('Every model built whole (asked for a full rebuild)');
    } finally {
      w.close();
    }
  });

  it('a model whose SQL changed is built whole, and so is what reads it', async () => {
    const w = await openTempWarehouse();
    const c = w.connection;
    try {
      await c.run('CREATE SCHEMA raw');
      await c.run(`CREATE TABLE raw.events AS SELECT * FROM (VALUES ('A', 1, DATE '2025-10-01', 1)) t(school_id, id, date, v)`);
      await runModels(c, { sqlDir: dir });
      const changed = sqlDir({
        'marts/by_year.sql': readFileSync(path.join(dir, 'marts', 'by_year.sql'), 'utf-8').replace('sum(v)', 'sum(v) + 0'),
        'marts/by_school.sql': readFileSync(path.join(dir, 'marts', 'by_school.sql'), 'utf-8'),
        'marts/everything.sql': readFileSync(path.join(dir, 'marts', 'everything.sql'), 'utf-8'),
        'marts/constant.sql': readFileSync(path.join(dir, 'marts', 'constant.sql'), 'utf-8'),
      });
      const report = await runModels(c, { sqlDir: changed });
      expect(report.modes).toEqual({ by_year: 'full', by_school: 'full', everything: 'unchanged', constant: 'unchanged' });
    } finally {
      w.close();
    }
  });

  it('refuses a header that names a model the model does not read', async () => {
    const stray = sqlDir({
      'marts/by_year.sql': readFileSync(path.join(dir, 'marts', 'by_year.sql'), 'utf-8'),
      'marts/by_school.sql': readFileSync(path.join(dir, 'marts', 'by_school.sql'), 'utf-8').replace('-- incremental: school', '-- incremental: school_year; all years of constant'),
    });
    const w = await openTempWarehouse();
    try {
      await w.connection.run('CREATE SCHEMA raw');
      await w.connection.run(`CREATE TABLE raw.events AS SELECT * FROM (VALUES ('A', 1, DATE '2025-10-01', 1)) t(school_id, id, date, v)`);
      await expect(runModels(w.connection, { sqlDir: stray })).rejects.toThrow(/by_school: its "-- incremental:" line names constant, which it does not read/);
    } finally {
      w.close();
    }
  });

  it('writes the partition filter per year, with the year before when asked', () => {
    const touched = new Map([['B', ['2025/26']], ['A', ['2024/25', '2025/26']]]);
    expect(previousYear('2025/26')).toBe('2024/25');
    expect(previousYear('2000/01')).toBe('1999/00');
    expect(partitionFilter(touched, 'academic_year')).toBe(
      "(((academic_year) = '2024/25' AND school_id = 'A') OR ((academic_year) = '2025/26' AND list_contains(['A', 'B'], school_id)))",
    );
    expect(partitionFilter(new Map([['A', ['2025/26']]]), 'y', true)).toBe("(((y) = '2024/25' AND school_id = 'A') OR ((y) = '2025/26' AND school_id = 'A'))");
    // The word says how the model was brought up to date; the columns stay where a built line has them.
    const timing = { name: 'mart_pupil_week', rows: 1200, seconds: 0.5, cpuSeconds: 0.4 };
    const updated = modelLine({ ...timing, mode: 'partitions' });
    expect(updated).toMatch(/^ {2}updated mart_pupil_week +1,200 rows +0\.50 s {2}\(CPU 0\.40 s\)$/);
    expect(modelLine({ ...timing, mode: 'unchanged' })).toMatch(/^ {2}kept mart_pupil_week /);
    expect(updated.indexOf(' rows')).toBe(modelLine(timing).indexOf(' rows'));
  });
});

describe('the weekly refresh rebuilds only what changed', () => {
  it('gives the marts a full rebuild gives, row for row (a new week, a corrected and a deleted older row, then an older year corrected)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-incremental-'));
    const full = path.join(root, 'full');
    await generateDemo({ outDir: full, pupils: 100, years: 2, schools: 2, seed: 7, workers: 1 });
    const cutoff = lastWeekStart(full);
    const before = path.join(root, 'before');
    const split = copyExportsBefore(full, before, cutoff);
    expect(split.dropped).toBeGreaterThan(0);

    // The week's inbox: the whole exports, with one older behaviour event corrected (DEMO1) and
    // one older behaviour event deleted in the MIS (DEMO2), both earlier this academic year.
    const inbox = path.join(root, 'inbox');
    copyExportsBefore(full, inbox, '9999-12-31');
    const older = (r: Row) => r.date >= '2026-01-05' && r.date < '2026-02-01' && r.polarity === 'negative';
    let corrected = '';
    edit(path.join(inbox, 'DEMO1', 'behaviour.csv'), (rows) => {
      const row = rows.find(older) as Row;
      corrected = row.event_id;
      row.severity = row.severity === '5' ? '1' : '5';
      row.location = 'Corrected corridor';
      return rows;
    });
    let deleted = '';
    edit(path.join(inbox, 'DEMO2', 'behaviour.csv'), (rows) => {
      deleted = (rows.find(older) as Row).event_id;
      return rows.filter((r) => r.event_id !== deleted);
    });
    expect(corrected).not.toBe('');
    expect(deleted).not.toBe('');

    const db = path.join(root, 'incremental.duckdb');
    const out = path.join(root, 'site');
    const first = await runRefresh({ inbox: before, db, out, build: fakeBuild });
    expect(first.models?.fullReason).toBe('no earlier run to compare with');

    const second = await runRefresh({ inbox, db, out, build: fakeBuild });
    const report = second.models as ModelRunReport;
    expect(second.summary.changes.find((c) => c.type === 'behaviour')).toMatchObject({ corrected: 1, removed: 1 });
    expect(report.fullReason).toBeNull();
    expect(report.touched).toEqual({ DEMO1: ['2025/26'], DEMO2: ['2025/26'] });
    // The big per-pupil-week models were updated by partition; the cross-year ones rebuilt whole.
    expect(report.modes.int_attendance_by_pupil_week).toBe('partitions');
    expect(report.modes.int_pupil_week_indexed).toBe('partitions');
    expect(report.modes.mart_pupil_week).toBe('view');
    expect(report.modes.mart_pupils_of_concern).toBe('partitions');
    expect(report.modes.mart_intervention_impact).toBe('partitions');
    expect(report.modes.ref_attendance_codes).toBe('unchanged');

    const names = readModels().map((m) => m.name);
    const reference = path.join(root, 'reference.duckdb');
    const whole = await fullBuild(reference, inbox);
    expect(whole.failures).toEqual([]);
    const same = await withWarehouse(db, (c) => compareWarehouses(c, reference, { names }));
    expect(same.compared).toHaveLength(names.length);
    expect(same.differences).toEqual([]);

    // A correction to last year's data (a detention's status in DEMO1, 2024/25) rebuilds every
    // year of DEMO1 and nothing of DEMO2.
    edit(path.join(inbox, 'DEMO1', 'detentions.csv'), (rows) => {
      const row = rows.find((r) => r.date < '2025-06-01' && r.date >= '2025-01-01') as Row;
      row.status = row.status === 'attended' ? 'missed' : 'attended';
      return rows;
    });
    const third = await runRefresh({ inbox, db, out, build: fakeBuild });
    expect(third.models?.touched).toEqual({ DEMO1: ['2024/25', '2025/26'] });
    const reference2 = path.join(root, 'reference2.duckdb');
    await fullBuild(reference2, inbox);
    const again = await withWarehouse(db, (c) => compareWarehouses(c, reference2, { names }));
    expect(again.differences).toEqual([]);

    // Nothing new: every model is left as it was.
    const idle = await withWarehouse(db, (c) => runModels(c));
    expect(new Set(Object.values(idle.modes))).toEqual(new Set(['unchanged', 'view']));
  }, 600_000);
});

describe('the weeks header', () => {
  it('reads where rows lie and which inputs are read by week, and refuses what it cannot read', () => {
    expect(weeksOf('-- incremental: school_year\nselect 1')).toBeNull();
    expect(weeksOf('-- incremental weeks: by week_start\nselect 1')).toEqual({ kind: 'by', expression: 'week_start', sameWeekOf: [] });
    expect(weeksOf('-- incremental weeks: by date; same week of a, b\nselect 1')).toEqual({ kind: 'by', expression: 'date', sameWeekOf: ['a', 'b'] });
    expect(weeksOf('-- incremental weeks: compared by week_start\nselect 1')).toEqual({ kind: 'compared', expression: 'week_start' });
    expect(weeksOf('-- incremental weeks: compared\nselect 1')).toEqual({ kind: 'compared', expression: null });
    expect(weeksOf('-- incremental weeks: compared by changes_from; Left_In_Year by its own week\nselect 1')).toEqual({
      kind: 'compared',
      expression: 'changes_from',
      ownWeek: ['left_in_year'],
    });
    // A column by its own week needs the row's week (by EXPR) for the rest of the row.
    expect(() => weeksOf('-- incremental weeks: compared; left_in_year by its own week\nselect 1', 'x.sql')).toThrow(/x\.sql: cannot read "left_in_year by its own week"/);
    expect(() => weeksOf('-- incremental weeks: compared by d; same week of a\nselect 1', 'x.sql')).toThrow(/cannot read "same week of a"/);
    expect(() => weeksOf('-- incremental weeks: per day\nselect 1', 'x.sql')).toThrow(/x\.sql: cannot read "-- incremental weeks: per day"/);
    expect(() => weeksOf('-- incremental weeks: by date; later weeks of a\nselect 1', 'x.sql')).toThrow(/cannot read "later weeks of a"/);
    // The weeks line is not the incremental line: each parser reads its own.
    expect(incrementalOf('-- incremental weeks: by date\nselect 1')).toBeNull();
  });

  it('every model that reads an input by week reads it, and that input says where its rows lie', () => {
    const models = new Map(readModels().map((m) => [m.name, m]));
    for (const model of models.values()) {
      if (model.weeks) expect(model.incremental, `${model.name} has a weeks line without an incremental line`).not.toBeNull();
      for (const dep of model.weeks?.kind === 'by' ? model.weeks.sameWeekOf : []) {
        expect(model.sql, `${model.name} names ${dep}`).toMatch(new RegExp(`\\b${dep}\\b`));
        expect(models.get(dep)?.weeks?.expression, `${dep} says where its rows lie`).toBeTruthy();
      }
    }
  });

  it('writes the filter from the first changed week, whole years where a week is not known', () => {
    const touched = new Map([['A', ['2025/26']], ['B', ['2024/25', '2025/26']]]);
    const extent = unionExtents(
      [new Map([['A', new Map([['2025/26', '2026-02-02']])]]), new Map([['A', new Map([['2025/26', '2026-01-12']])], ['B', new Map([['2025/26', '2026-03-02']])]])],
      touched,
      new Set(['A']),
    );
    // A: the earlier of the two weeks; B is not updated by week (an older year changed), so every touched year whole.
    expect(extent).toEqual(
      new Map<string, Map<string, string | null>>([
        ['A', new Map([['2025/26', '2026-01-12']])],
        ['B', new Map([['2025/26', null], ['2024/25', null]])],
      ]),
    );
    expect(extentFilter(extent, { yearSql: 'academic_year', weekSql: 'week_start' })).toBe(
      "((school_id = 'A' AND (academic_year) = '2025/26' AND (week_start) >= DATE '2026-01-12') OR " +
        "(school_id = 'B' AND (academic_year) = '2024/25') OR (school_id = 'B' AND (academic_year) = '2025/26'))",
    );
    expect(extentFilter(extent, { yearSql: null, weekSql: 'date' })).toBe("((school_id = 'A' AND (date) >= DATE '2026-01-12') OR (school_id = 'B'))");
    // Schools whose conditions are the same share one clause (A's 2025/26 and B's, both whole with the year before).
    expect(extentFilter(extent, { yearSql: 'y', withPrevious: true })).toBe(
      "((list_contains(['A', 'B'], school_id) AND (y) IN ('2024/25', '2025/26')) OR (school_id = 'B' AND (y) IN ('2023/24', '2024/25')))",
    );
    expect(extentFilter(new Map(), { yearSql: 'y' })).toBe('false');
    // Every school from a week on: the earliest week also outside the OR, for the scan.
    const trust = new Map([
      ['A', new Map([['2025/26', '2026-06-08']])],
      ['C', new Map([['2025/26', '2026-06-01']])],
    ]);
    expect(extentFilter(trust, { yearSql: 'academic_year', weekSql: 'date' })).toBe(
      "(date) >= DATE '2026-06-01' AND ((school_id = 'A' AND (academic_year) = '2025/26' AND (date) >= DATE '2026-06-08') OR " +
        "(school_id = 'C' AND (academic_year) = '2025/26' AND (date) >= DATE '2026-06-01'))",
    );
    // A trust's week: every school from the same week, one clause for them all (a conjunction:
    // its week goes down to the scan with no copy outside).
    const week = new Map(['A', 'B', 'C'].map((school) => [school, new Map([['2025/26', '2026-06-01']])]));
    expect(extentFilter(week, { yearSql: 'academic_year', weekSql: 'date' })).toBe(
      "((list_contains(['A', 'B', 'C'], school_id) AND (academic_year) = '2025/26' AND (date) >= DATE '2026-06-01'))",
    );
  });

  it('on hand-made rows: updates from the first changed week (a new row, an older week corrected, a week emptied), a term change whole', async () => {
    const year = (d: string) =>
      `(case when month(${d}) >= 9 then year(${d}) else year(${d}) - 1 end)::VARCHAR || '/' || lpad(((case when month(${d}) >= 9 then year(${d}) else year(${d}) - 1 end + 1) % 100)::VARCHAR, 2, '0')`;
    const dir = sqlDir({
      'staging/stg_events.sql': `-- incremental: school_year\n-- incremental weeks: by date\nselect school_id, ${year('date')} as academic_year, id, date, v from raw.events`,
      'marts/by_week.sql':
        '-- incremental: school_year\n-- incremental weeks: by week_start; same week of stg_events\n' +
        "select school_id, academic_year, date_trunc('week', date)::DATE as week_start, sum(v)::INTEGER as v from stg_events group by all",
      'marts/to_date.sql':
        '-- incremental: school_year\n-- incremental weeks: by week_start\n' +
        'select *, sum(v) over (partition by school_id, academic_year order by week_start rows unbounded preceding)::INTEGER as v_to_date from by_week',
      'marts/with_terms.sql':
        '-- incremental: school_year\n-- incremental weeks: by week_start\n' +
        'select b.school_id, b.academic_year, b.week_start, t.term from by_week b left join raw.terms t ' +
        'on t.school_id = b.school_id and t.academic_year = b.academic_year and b.week_start between t.start_date and t.end_date',
      // A week's row depends on a later week (is it the last?): compared, not rebuilt by week.
      'marts/last_week.sql':
        '-- incremental: school\n-- incremental weeks: compared by week_start\n' +
        'select school_id, academic_year, week_start, week_start = max(week_start) over (partition by school_id) as is_last from by_week',
      'marts/last_week_rows.sql':
        '-- incremental: school_year\n-- incremental weeks: by week_start; same week of last_week\nselect * from last_week where is_last',
    });
    const w = await openTempWarehouse();
    const c = w.connection;
    const toDate = () => queryRows(c, "SELECT strftime(week_start, '%Y-%m-%d') AS week, v, v_to_date FROM to_date WHERE school_id = 'A' ORDER BY week_start");
    try {
      await c.run('CREATE SCHEMA raw');
      await c.run('CREATE TABLE raw.events (school_id VARCHAR, id INTEGER, date DATE, v INTEGER)');
      await c.run('CREATE TABLE raw.terms (school_id VARCHAR, academic_year VARCHAR, term VARCHAR, start_date DATE, end_date DATE)');
      await c.run(`INSERT INTO raw.events VALUES ('A', 1, '2025-10-07', 1), ('A', 2, '2026-01-06', 2), ('A', 3, '2026-03-03', 4), ('B', 5, '2026-01-06', 16)`);
      await c.run(`INSERT INTO raw.terms VALUES ('A', '2025/26', 'Autumn', '2025-09-01', '2025-12-31'), ('A', '2025/26', 'Spring', '2026-01-01', '2026-04-01')`);
      await runModels(c, { sqlDir: dir });

      // A new row in the last week: that week on.
      await c.run(`INSERT INTO raw.events VALUES ('A', 4, '2026-03-04', 8)`);
      const week = await runModels(c, { sqlDir: dir });
      expect(week.touched).toEqual({ A: ['2025/26'] });
      expect(week.fromWeeks).toEqual({ A: { '2025/26': '2026-03-02' } });
      expect(week.updatedByWeek).toEqual(['stg_events', 'by_week', 'to_date', 'with_terms']);
      // The last week is still the last: compared, nothing differs, so its reader is kept.
      expect(week.modes.last_week).toBe('partitions');
      expect(week.modes.last_week_rows).toBe('unchanged');
      expect(await toDate()).toEqual([
        { week: '2025-10-06', v: 1, v_to_date: 1 },
        { week: '2026-01-05', v: 2, v_to_date: 3 },
        { week: '2026-03-02', v: 12, v_to_date: 15 },
      ]);

      // An older week corrected: from that week on, the running total carried forward.
      await c.run('UPDATE raw.events SET v = 32 WHERE id = 1');
      const corrected = await runModels(c, { sqlDir: dir });
      expect(corrected.fromWeeks).toEqual({ A: { '2025/26': '2025-10-06' } });
      expect((await toDate()).map((r) => r.v_to_date)).toEqual([32, 34, 46]);

      // A week's only row removed: the week's rows go, the later weeks' totals follow.
      await c.run('DELETE FROM raw.events WHERE id = 2');
      const removed = await runModels(c, { sqlDir: dir });
      expect(removed.fromWeeks).toEqual({ A: { '2025/26': '2026-01-05' } });
      expect(await toDate()).toEqual([
        { week: '2025-10-06', v: 32, v_to_date: 32 },
        { week: '2026-03-02', v: 12, v_to_date: 44 },
      ]);
      expect(await queryRows(c, "SELECT v, v_to_date FROM to_date WHERE school_id = 'B'")).toEqual([{ v: 16, v_to_date: 16 }]);

      // A term's dates (a row with no week of its own): the whole year, no model by week.
      await c.run("UPDATE raw.terms SET end_date = DATE '2025-10-01' WHERE term = 'Autumn'");
      await c.run("UPDATE raw.terms SET start_date = DATE '2025-10-02' WHERE term = 'Spring'");
      const terms = await runModels(c, { sqlDir: dir });
      expect(terms.touched).toEqual({ A: ['2025/26'] });
      expect(terms.updatedByWeek).toEqual([]);
      expect(terms.modes.with_terms).toBe('partitions');
      expect(terms.modes.to_date).toBe('unchanged');
      expect(await queryRows(c, "SELECT strftime(week_start, '%Y-%m-%d') AS week, term FROM with_terms WHERE school_id = 'A' ORDER BY week_start")).toEqual([
        { week: '2025-10-06', term: 'Spring' },
        { week: '2026-03-02', term: 'Spring' },
      ]);

      // A new week: the week before stops being the last, which the comparison finds.
      await c.run(`INSERT INTO raw.events VALUES ('A', 6, '2026-03-10', 64)`);
      const next = await runModels(c, { sqlDir: dir });
      expect(next.fromWeeks).toEqual({ A: { '2025/26': '2026-03-09' } });
      expect(next.updatedByWeek).toContain('last_week_rows');
      expect(next.updatedByWeek).not.toContain('last_week');
      expect(await queryRows(c, "SELECT strftime(week_start, '%Y-%m-%d') AS week FROM last_week_rows WHERE school_id = 'A'")).toEqual([{ week: '2026-03-09' }]);
    } finally {
      w.close();
    }
  });

  it('a mark corrected in a week mid-year updates the weekly models from that week on, and gives the marts a full rebuild gives', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-weekgrain-'));
    const exports = path.join(root, 'exports');
    await generateDemo({ outDir: exports, pupils: 100, years: 2, schools: 2, seed: 11, workers: 1 });
    const db = path.join(root, 'incremental.duckdb');
    const weekOf = (c: Parameters<typeof queryRows>[0], student: string) =>
      queryRows<{ attending_sessions: number; unauthorised_sessions: number }>(
        c,
        `SELECT attending_sessions, unauthorised_sessions FROM mart_pupil_week WHERE school_id = 'DEMO2' AND student_id = '${student}' AND week_start = DATE '2026-02-02'`,
      );
    await withWarehouse(db, async (c) => {
      await ingest(c, [exports], { allowRemovals: true });
      await runModels(c);
    });

    // One mark in a week of February this year (DEMO2): a present pupil marked absent (unauthorised).
    let changed: Row | undefined;
    edit(path.join(exports, 'DEMO2', 'attendance.csv'), (rows) => {
      changed = rows.find((r) => r.date === '2026-02-04' && r.code === '/');
      (changed as Row).code = 'O';
      return rows;
    });
    expect(changed).toBeDefined();
    const student = (changed as Row).student_id;
    const [before] = await withWarehouse(db, (c) => weekOf(c, student));
    const report = await withWarehouse(db, async (c) => {
      await ingest(c, [exports], { allowRemovals: true });
      return runModels(c);
    });
    const [after] = await withWarehouse(db, (c) => weekOf(c, student));
    expect(after).toEqual({ attending_sessions: before.attending_sessions - 1, unauthorised_sessions: before.unauthorised_sessions + 1 });
    expect(report.fullReason).toBeNull();
    expect(report.touched).toEqual({ DEMO2: ['2025/26'] });
    // From the Monday of that week, not the whole year.
    expect(report.fromWeeks).toEqual({ DEMO2: { '2025/26': '2026-02-02' } });
    for (const model of ['int_attendance_by_pupil_week', 'int_attendance_thresholds_by_pupil_week', 'int_pupil_week_indexed', 'mart_attendance_yeargroup_week']) {
      expect(report.updatedByWeek, model).toContain(model);
      expect(report.modes[model], model).toBe('partitions');
    }
    // mart_pupil_week is a view of int_pupil_week_indexed: nothing stored to update.
    expect(report.modes.mart_pupil_week).toBe('view');
    // The school's days and weeks did not change: nothing read them as changed (the terms read
    // the weeks alone; the pupils on roll each week are a view of the pupil-years and the weeks).
    expect(report.modes.mart_termly_terms).toBe('unchanged');
    expect(report.modes.int_pupil_weeks).toBe('view');
    expect(runDescription(report)).toMatch(/updated for DEMO2 2025\/26 \(\d+ of them from the week of 2026-02-02\)/);
    // The marts are a full build's.
    await expectSameAsFullBuild(db, exports, path.join(root, 'reference.duckdb'));
  }, 600_000);
});

describe('a model whose rows read the next year (next year of)', () => {
  it('reads the clause, the filter with the year after, and widens what it rebuilds one year back', () => {
    expect(incrementalOf('-- incremental: school_year; previous year of a; next year of a, b\nselect 1')).toEqual({
      by: 'school_year',
      yearExpression: 'academic_year',
      allYearsOf: [],
      previousYearOf: ['a'],
      nextYearOf: ['a', 'b'],
    });
    expect(nextYear('2024/25')).toBe('2025/26');
    expect(nextYear('1999/00')).toBe('2000/01');
    expect(partitionFilter(new Map([['A', ['2025/26']]]), 'y', true, true)).toBe(
      "(((y) = '2024/25' AND school_id = 'A') OR ((y) = '2025/26' AND school_id = 'A') OR ((y) = '2026/27' AND school_id = 'A'))",
    );
    const base = new Map([['A', ['2025/26']], ['B', ['2025/26']]]);
    // An input rebuilt for A 2025/26, read a year ahead: A 2024/25 too; B as the run touched it.
    expect(modelTouched(base, [], [new Map([['A', ['2025/26']]])])).toEqual(new Map([['A', ['2024/25', '2025/26']], ['B', ['2025/26']]]));
    // Without the clause, the run's partitions and those its inputs rebuilt.
    expect(modelTouched(base, [new Map([['A', ['2024/25', '2025/26']]])])).toEqual(new Map([['A', ['2024/25', '2025/26']], ['B', ['2025/26']]]));
  });

  it('a change in the latest year rebuilds the intervention of the year before whose after-window reads it, as a full rebuild would', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-next-year-'));
    const exports = path.join(root, 'exports');
    await generateDemo({ outDir: exports, pupils: 100, years: 2, schools: 1, seed: 7, workers: 1 });
    const terms = readCsv(path.join(exports, 'calendar.csv')).rows;
    const lastDay = terms.filter((t) => t.academic_year === '2024/25').map((t) => t.end_date).sort().at(-1) as string;
    const firstDay = terms.filter((t) => t.academic_year === '2025/26').map((t) => t.start_date).sort()[0];
    // A pupil on roll in both years, supported from two weeks before the summer: their six
    // school weeks after the start run into September.
    const pupil = readCsv(path.join(exports, 'students.csv')).rows.find(
      (r) => !r.leaving_date && Number(r.year_group) >= 8 && Number(r.year_group) <= 10 && (r.admission_date ?? '') < '2024-09-01',
    ) as Row;
    const start = new Date(`${lastDay}T00:00:00Z`);
    start.setUTCDate(start.getUTCDate() - 13);
    edit(path.join(exports, 'interventions.csv'), (rows) => [
      ...rows,
      { intervention_id: 'ITEST', student_id: pupil.student_id, type: 'Mentoring', start_date: start.toISOString().slice(0, 10), focus: 'behaviour', status: 'completed' },
    ]);
    const afterRate = (c: Parameters<typeof queryRows>[0]) =>
      queryRows<{ after: number; year: string }>(c, "SELECT after_negative_per_week::DOUBLE AS after, academic_year AS year FROM mart_intervention_impact WHERE intervention_id = 'ITEST'");
    const db = path.join(root, 'incremental.duckdb');
    const [before] = await withWarehouse(db, async (c) => {
      await ingest(c, [exports]);
      await runModels(c);
      return afterRate(c);
    });
    expect(before.year).toBe('2024/25');

    // The week's change: one negative event of that pupil on the first school day of 2025/26.
    edit(path.join(exports, 'behaviour.csv'), (rows) => [
      ...rows,
      { event_id: 'ETEST', student_id: pupil.student_id, date: firstDay, time: '10:00', polarity: 'negative', category: 'Disruption', points: '-1', severity: '2' },
    ]);
    const { report, after, school } = await withWarehouse(db, async (c) => {
      await ingest(c, [exports]);
      const run = await runModels(c);
      const [{ school_id }] = await queryRows<{ school_id: string }>(c, 'SELECT DISTINCT school_id FROM raw.students');
      return { report: run, after: (await afterRate(c))[0], school: school_id };
    });
    // Only 2025/26 changed, yet the 2024/25 intervention's after-window read it.
    expect(report.touched).toEqual({ [school]: ['2025/26'] });
    expect(report.modes.int_intervention_matches).toBe('partitions');
    expect(report.modes.mart_intervention_impact).toBe('partitions');
    expect(after.after).toBeGreaterThan(before.after);

    await expectSameAsFullBuild(db, exports, path.join(root, 'reference.duckdb'));
  }, 600_000);
});
