// The data tests in an incremental run (src/models/run-models.ts, planDataTests), on hand-made
// rows and a throwaway sql/ folder: a test that passed last run and reads nothing that changed is
// not run; a test whose file says `-- test partitions: school_year` is run over the (school, year)
// partitions that changed, and one that says `-- test partitions: school_week` over the raw rows of
// the weeks that changed; every other test whose inputs changed is run whole. A failing test
// must still fail the run: when its failing rows lie in the partitions a refresh touched, when
// they lie in a model rebuilt whole, and in every run after until they are fixed (a test that
// failed has no pass kept, so it is never skipped).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureRawSchema } from '../../data-loaders/raw-schema.ts';
import { readDataTests, testPartitionLocal, testPartitions } from '../../src/models/model-files.ts';
import { runModels } from '../../src/models/run-models.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { insertRaw } from '../helpers/raw-rows.ts';
import { sqlDir } from '../helpers/sql-dir.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const YEAR = `(CASE WHEN month(date) >= 9 THEN year(date) ELSE year(date) - 1 END)::VARCHAR || '/' || lpad(((CASE WHEN month(date) >= 9 THEN year(date) ELSE year(date) - 1 END + 1) % 100)::VARCHAR, 2, '0')`;

const FILES = {
  'marts/m_events.sql': `-- incremental: school_year\nselect school_id, ${YEAR} as academic_year, event_id, student_id, points from raw.behaviour`,
  'marts/m_pupils.sql': `-- incremental: school_year\nselect school_id, academic_year, student_id from raw.students`,
  'marts/m_totals.sql': `select school_id, sum(points)::INTEGER as points from raw.behaviour group by all`,
  // Partition-local: a check of each row.
  'tests/events_points_in_range.sql': `-- test partitions: school_year\nselect * from m_events where points > 10`,
  // The same check with no promise: run whole whenever m_events changed.
  'tests/events_points_whole.sql': `select * from m_events where points > 10`,
  'tests/pupils_unique.sql': `-- test partitions: school_year\nselect school_id, academic_year, student_id, count(*) as n from m_pupils group by all having count(*) > 1`,
  'tests/totals_bounded.sql': `select * from m_totals where points > 100`,
  'tests/raw_points.sql': `select * from raw.behaviour where points > 10`,
  // Week-local: an event id occurs once a day (its key holds the date).
  'tests/raw_event_days.sql': `-- test partitions: school_week\nselect school_id, event_id, date, count(*) as n from raw.behaviour group by all having count(*) > 1`,
};

describe('data tests in an incremental run', () => {
  let warehouse: Warehouse;
  let dir: string;
  const event = (id: string, date: string, points: number) =>
    insertRaw(warehouse.connection, 'behaviour', `SELECT 's1' AS school_id, '${id}' AS event_id, 'P1' AS student_id, DATE '${date}' AS date, ${points} AS points`);
  const failing = (report: Awaited<ReturnType<typeof runModels>>) => report.failures.map((f) => f.test).sort();

  beforeEach(async () => {
    warehouse = await openTempWarehouse();
    await ensureRawSchema(warehouse.connection);
    dir = sqlDir(FILES);
    await insertRaw(warehouse.connection, 'students', `SELECT 's1' AS school_id, 'P1' AS student_id, y AS academic_year FROM (VALUES ('2024/25'), ('2025/26')) t(y)`);
    await event('E1', '2024-10-07', 1);
    await event('E2', '2025-10-06', 2);
    const first = await runModels(warehouse.connection, { sqlDir: dir });
    expect(first.fullReason).not.toBeNull();
    expect(first.testsSkipped).toEqual([]);
    expect(first.testsByPartition).toEqual([]);
    expect(first.failures).toEqual([]);
  });
  afterEach(() => warehouse?.close());

  it('reads the header, and refuses a promise the models cannot keep', async () => {
    expect(testPartitionLocal('-- test partitions: school_year\nselect 1')).toBe(true);
    expect(testPartitionLocal('-- a test\nselect 1')).toBe(false);
    expect(() => testPartitionLocal('-- test partitions: school\nselect 1')).toThrow(/expected school_year/);
    expect(readDataTests(dir).filter((t) => t.partitionLocal).map((t) => t.name)).toEqual(['events_points_in_range', 'pupils_unique']);
    const bad = sqlDir({ ...FILES, 'tests/totals_local.sql': '-- test partitions: school_year\nselect * from m_totals where points > 100' });
    await expect(runModels(warehouse.connection, { sqlDir: bad })).rejects.toThrow(/totals_local.sql: "-- test partitions: school_year" needs to read models alone, at least one of them partitioned by school_year \(it reads m_totals\)/);
    const raw = sqlDir({ ...FILES, 'tests/raw_local.sql': '-- test partitions: school_year\nselect e.* from m_events e join raw.students s using (school_id, student_id) where e.points > 10' });
    await expect(runModels(warehouse.connection, { sqlDir: raw })).rejects.toThrow(/raw_local.sql: "-- test partitions: school_year" needs to read models alone, at least one of them partitioned by school_year \(raw.students\)/);
  });

  it('runs a test by partition beside a model it reads whole while that model is unchanged, and whole once it changes', async () => {
    // Each event's points against its school's cap (a model by school: read whole). While the cap
    // is unchanged, a row of an unchanged partition gives what it gave when the test passed.
    const capped = sqlDir({
      ...FILES,
      'marts/m_cap.sql': `-- incremental: school\nselect school_id, coalesce(min(year_group), 99)::INTEGER as cap from raw.students group by all`,
      'tests/events_under_cap.sql': `-- test partitions: school_year\nselect e.* from m_events e join m_cap c using (school_id) where e.points > c.cap`,
    });
    expect(failing(await runModels(warehouse.connection, { sqlDir: capped }))).toEqual([]);
    await event('E3', '2026-03-02', 3);
    const week = await runModels(warehouse.connection, { sqlDir: capped });
    expect(week.modes).toMatchObject({ m_events: 'partitions', m_cap: 'unchanged' });
    expect(week.testsByPartition).toContain('events_under_cap');
    expect(failing(week)).toEqual([]);
    // The cap falls to 0 by a change to the latest year's pupils alone: every event is over it,
    // the older year's too, though no partition of m_events changed. Run whole, it finds all three.
    await warehouse.connection.run(`UPDATE raw_rows.students SET year_group = 0 WHERE academic_year = '2025/26'`);
    const lowered = await runModels(warehouse.connection, { sqlDir: capped });
    expect(lowered.modes.m_cap).not.toBe('unchanged');
    expect(lowered.testsByPartition).not.toContain('events_under_cap');
    expect(lowered.testsSkipped).not.toContain('events_under_cap');
    expect(lowered.failures.find((f) => f.test === 'events_under_cap')).toMatchObject({ failingRows: 3 });
  });

  it('runs nothing again when nothing changed, and checks the changed partitions only where the test allows', async () => {
    const again = await runModels(warehouse.connection, { sqlDir: dir });
    expect(again.testsRun).toBe(6);
    expect(again.testsSkipped).toEqual(Object.keys(FILES).filter((f) => f.startsWith('tests/')).map((f) => f.slice(6, -4)).sort());
    await event('E3', '2026-03-02', 3);
    const week = await runModels(warehouse.connection, { sqlDir: dir });
    expect(week.touched).toEqual({ s1: ['2025/26'] });
    expect(week.modes).toMatchObject({ m_events: 'partitions', m_pupils: 'unchanged', m_totals: 'full' });
    // m_pupils did not change: its test passed on these very rows.
    expect(week.testsSkipped).toEqual(['pupils_unique']);
    expect(week.testsByPartition).toEqual(['events_points_in_range', 'raw_event_days']);
    expect(week.failures).toEqual([]);
    // No temporary view is left shadowing a model.
    expect(await queryRows(warehouse.connection, `SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal`)).toEqual([]);
  });

  it('fails a refresh whose failing rows lie in the touched partitions, and every run after until they are fixed', async () => {
    await event('E3', '2026-03-02', 50);
    const week = await runModels(warehouse.connection, { sqlDir: dir });
    expect(week.testsByPartition).toEqual(['events_points_in_range', 'raw_event_days']);
    expect(failing(week)).toEqual(['events_points_in_range', 'events_points_whole', 'raw_points']);
    expect(week.failures.find((f) => f.test === 'events_points_in_range')).toMatchObject({ failingRows: 1, sample: [{ event_id: 'E3', points: 50 }] });
    // Nothing changed since, but a test that failed has no pass kept: it is run whole, and fails again.
    const again = await runModels(warehouse.connection, { sqlDir: dir });
    expect(failing(again)).toEqual(['events_points_in_range', 'events_points_whole', 'raw_points']);
    expect(again.testsSkipped).toEqual(['pupils_unique', 'raw_event_days', 'totals_bounded']);
    // Fixed: the tests pass, and are skipped once more the run after.
    await warehouse.connection.run(`UPDATE raw_rows.behaviour SET points = 5 WHERE event_id = 'E3'`);
    expect(failing(await runModels(warehouse.connection, { sqlDir: dir }))).toEqual([]);
    expect((await runModels(warehouse.connection, { sqlDir: dir })).testsSkipped).toHaveLength(6);
  });

  it('checks a raw table by week: the changed weeks of the latest year, whole years elsewhere, and raw.<table> as it was after', async () => {
    expect(testPartitions('-- test partitions: school_week\nselect 1')).toBe('school_week');
    expect(testPartitions('-- test partitions: school_year\nselect 1')).toBe('school_year');
    expect(testPartitions('select 1')).toBeNull();
    expect(readDataTests(dir).filter((t) => t.weekLocal).map((t) => t.name)).toEqual(['raw_event_days']);
    // An event id twice on one day of the week the refresh brings: found.
    await event('E3', '2026-03-02', 3);
    await event('E3', '2026-03-02', 4);
    const week = await runModels(warehouse.connection, { sqlDir: dir });
    expect(week.testsByPartition).toContain('raw_event_days');
    expect(week.failures.find((f) => f.test === 'raw_event_days')).toMatchObject({ failingRows: 1, sample: [{ event_id: 'E3', date: new Date('2026-03-02T00:00:00Z') }] });
    await warehouse.connection.run(`DELETE FROM raw_rows.behaviour WHERE event_id = 'E3' AND points = 4`);
    expect(failing(await runModels(warehouse.connection, { sqlDir: dir }))).toEqual([]);
    // Twice on a day of an older year: not confined to the latest year, so every year of the
    // school is read, and it is found.
    await event('E1', '2024-10-07', 1);
    const older = await runModels(warehouse.connection, { sqlDir: dir });
    expect(older.failures.find((f) => f.test === 'raw_event_days')).toMatchObject({ failingRows: 1, sample: [{ event_id: 'E1' }] });
    // raw.behaviour is itself again, every row, and nothing was left beside it.
    const [{ n }] = await queryRows<{ n: number }>(warehouse.connection, 'SELECT count(*)::INTEGER AS n FROM raw.behaviour');
    expect(n).toBe(4);
    expect(await queryRows(warehouse.connection, `SELECT view_name FROM duckdb_views() WHERE schema_name = 'raw' AND view_name LIKE '%all_rows%'`)).toEqual([]);
  });

  it('gives a test by week every row of a raw table as raw.<table>__all_rows beside the changed weeks\' rows, and every row as both when run whole', async () => {
    // A key repeated across weeks: each key of the changed weeks counted over every row.
    const keys = sqlDir({
      ...FILES,
      'tests/raw_event_keys.sql': `-- test partitions: school_week
select a.school_id, a.event_id, count(*) as n from raw.behaviour__all_rows a
semi join raw.behaviour k on k.school_id = a.school_id and k.event_id = a.event_id
group by all having count(*) > 1`,
    });
    // New, so run whole: raw.behaviour__all_rows made as every row, and dropped after.
    const first = await runModels(warehouse.connection, { sqlDir: keys });
    expect(first.testsByPartition).not.toContain('raw_event_keys');
    expect(first.testsSkipped).not.toContain('raw_event_keys');
    expect(failing(first)).toEqual([]);
    // E1 again in the week the refresh brings, its twin in a week of the year before: the test
    // reads this week's rows, and finds the twin among every row.
    await event('E1', '2026-03-02', 1);
    const week = await runModels(warehouse.connection, { sqlDir: keys });
    expect(week.touched).toEqual({ s1: ['2025/26'] });
    expect(week.testsByPartition).toContain('raw_event_keys');
    expect(week.failures.find((f) => f.test === 'raw_event_keys')).toMatchObject({ failingRows: 1, sample: [{ event_id: 'E1', n: 2n }] });
    // Whole, it finds the same.
    const whole = await runModels(warehouse.connection, { sqlDir: keys, full: true });
    expect(whole.failures.find((f) => f.test === 'raw_event_keys')).toMatchObject({ failingRows: 1, sample: [{ event_id: 'E1', n: 2n }] });
    // raw.behaviour is itself again, and nothing was left beside it.
    const [{ n }] = await queryRows<{ n: number }>(warehouse.connection, 'SELECT count(*)::INTEGER AS n FROM raw.behaviour');
    expect(n).toBe(3);
    expect(await queryRows(warehouse.connection, `SELECT view_name FROM duckdb_views() WHERE schema_name = 'raw' AND view_name LIKE '%all_rows%'`)).toEqual([]);
  });

  it('reads only the changed weeks when it runs by week (a test breaking its promise shows it), and refuses a week test that reads a model', async () => {
    // Fails when a school has more than 3 events: not week-local, so a refresh reading only its
    // new week sees 2 of the school's 4 events and passes, where the whole table fails.
    const counting = sqlDir({ ...FILES, 'tests/raw_event_days.sql': '-- test partitions: school_week\nselect school_id, count(*) as n from raw.behaviour group by all having count(*) > 3' });
    expect((await runModels(warehouse.connection, { sqlDir: counting })).failures).toEqual([]);
    await event('E3', '2026-03-02', 3);
    await event('E4', '2026-03-03', 3);
    const week = await runModels(warehouse.connection, { sqlDir: counting });
    expect(week.testsByPartition).toContain('raw_event_days');
    expect(failing(week)).toEqual([]);
    expect(failing(await runModels(warehouse.connection, { sqlDir: counting, full: true }))).toEqual(['raw_event_days']);
    const bad = sqlDir({ ...FILES, 'tests/raw_event_days.sql': '-- test partitions: school_week\nselect * from m_events where points > 10' });
    await expect(runModels(warehouse.connection, { sqlDir: bad })).rejects.toThrow(/raw_event_days.sql: "-- test partitions: school_week" needs every relation it reads to be a raw table \(m_events\)/);
  });

  it('runs a test whole, and fails it, when a model it reads was rebuilt whole', async () => {
    // Points of an older year over the line in a model rebuilt whole (its SQL changed): the
    // partition-local test reads every partition, not only the ones the raw layer touched.
    const changed = sqlDir({ ...FILES, 'marts/m_events.sql': FILES['marts/m_events.sql'].replace('points from', "CASE WHEN event_id = 'E1' THEN 99 ELSE points END AS points from") });
    const report = await runModels(warehouse.connection, { sqlDir: changed });
    expect(report.modes.m_events).toBe('full');
    expect(report.testsByPartition).toEqual([]);
    expect(failing(report)).toEqual(['events_points_in_range', 'events_points_whole']);
    // An older year's row, in a model whose totals (rebuilt whole) cross the line: run whole, fails.
    await event('E0', '2024-10-08', 9);
    await event('E00', '2024-10-09', 9);
    await warehouse.connection.run(`UPDATE raw_rows.behaviour SET points = 95 WHERE event_id = 'E00'`);
    expect(failing(await runModels(warehouse.connection, { sqlDir: changed }))).toEqual(['events_points_in_range', 'events_points_whole', 'raw_points', 'totals_bounded']);
  });

  it('runs a test whole when its SQL changed, and when a run stopped before its tests (its pass is forgotten with the COMMIT)', async () => {
    const edited = sqlDir({ ...FILES, 'tests/pupils_unique.sql': `-- edited\n${FILES['tests/pupils_unique.sql']}` });
    const report = await runModels(warehouse.connection, { sqlDir: edited });
    expect(report.testsSkipped).not.toContain('pupils_unique');
    // A data test that cannot run (an error, as a killed process would leave it) after the
    // COMMIT: the passes of the tests this run was to check were forgotten with it.
    await event('E3', '2026-03-02', 3);
    const broken = sqlDir({ ...FILES, 'tests/zz_broken.sql': "select error('stopped') from m_events" });
    await expect(runModels(warehouse.connection, { sqlDir: broken })).rejects.toThrow(/stopped/);
    const kept = await queryRows<{ test: string }>(warehouse.connection, 'SELECT test FROM model_state.tests ORDER BY test');
    expect(kept.map((r) => r.test)).not.toContain('events_points_whole');
    const next = await runModels(warehouse.connection, { sqlDir: dir });
    expect(next.testsSkipped).not.toContain('events_points_whole');
    expect(next.testsSkipped).not.toContain('events_points_in_range');
  });
});
