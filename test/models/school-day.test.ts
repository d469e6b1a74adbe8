import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { runModels } from '../../src/models/run-models.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { modelledSchool, registers, weekdays, writeSchool, type SchoolFiles } from '../helpers/school-builder.ts';
import { fixture, openTempWarehouse } from '../helpers/warehouse.ts';

/**
 * Times become periods (docs/data-contract.md, "The school day"): an event with no period of
 * its own is placed in the school's day (periods.csv, else the default English day) by its
 * time. Every expected period below is read off the day by hand.
 */

let warehouse: Warehouse | null = null;
afterEach(() => {
  warehouse?.close();
  warehouse = null;
});

const students = [
  { student_id: 'S1', first_name: 'Ada', last_name: 'Lovelace', year_group: 9, form: '9R' },
  { student_id: 'S2', first_name: 'Alan', last_name: 'Turing', year_group: 9, form: '9R' },
];

/** Present every session of the fortnight, so every pupil is on roll (events need a pupil-year). */
const fortnight = weekdays('2025-09-08', '2025-09-19');
const onRoll = (ids: readonly string[]) => registers(ids, fortnight);

/** One negative event per time, all for S1 on the given date, with no period column unless given. */
function events(date: string, times: Array<string | { time: string; period: string }>) {
  return times.map((t, i) => ({
    event_id: `E${date}-${i}`,
    student_id: 'S1',
    date,
    time: typeof t === 'string' ? t : t.time,
    period: typeof t === 'string' ? '' : t.period,
    category: 'Disruption',
    points: -1,
  }));
}

async function periodsOf(w: Warehouse): Promise<Array<{ date: string; time: string | null; period: string; period_source: string }>> {
  return queryRows(
    w.connection,
    `SELECT strftime(date, '%Y-%m-%d') AS date, left(time::VARCHAR, 8) AS time, period, period_source
     FROM stg_behaviour ORDER BY date, time NULLS LAST, event_id`,
  );
}

describe('the default English day (no periods.csv)', () => {
  it('places each time in its period; a time exactly at a start is in that period, exactly at an end in the next', async () => {
    // Monday 8 September 2025.
    const files: SchoolFiles = {
      students,
      attendance: onRoll(['S1', 'S2']),
      behaviour: [
        ...events('2025-09-08', ['07:50', '08:39:59', '08:40', '08:54:59', '08:55', '10:35', '10:54', '12:35', '13:20', '14:59:59', '15:00', '17:30']),
        // The export's own period wins over its time; "Period 2" is spelt P2.
        ...events('2025-09-09', [{ time: '09:00', period: 'Lunchtime' }, { time: '', period: 'Period 2' }]),
        // No period and no time, or a date-only value's midnight: Unknown.
        ...events('2025-09-10', ['', '00:00']),
      ],
    };
    warehouse = await modelledSchool(files);
    const source = 'time in default day';
    expect(await periodsOf(warehouse)).toEqual([
      { date: '2025-09-08', time: '07:50:00', period: 'Before school', period_source: source },
      { date: '2025-09-08', time: '08:39:59', period: 'Before school', period_source: source },
      { date: '2025-09-08', time: '08:40:00', period: 'Registration', period_source: source },
      { date: '2025-09-08', time: '08:54:59', period: 'Registration', period_source: source },
      { date: '2025-09-08', time: '08:55:00', period: 'P1', period_source: source },
      { date: '2025-09-08', time: '10:35:00', period: 'Break', period_source: source },
      { date: '2025-09-08', time: '10:54:00', period: 'Break', period_source: source },
      { date: '2025-09-08', time: '12:35:00', period: 'Lunch', period_source: source },
      { date: '2025-09-08', time: '13:20:00', period: 'P5', period_source: source },
      { date: '2025-09-08', time: '14:59:59', period: 'P6', period_source: source },
      { date: '2025-09-08', time: '15:00:00', period: 'After school', period_source: source },
      { date: '2025-09-08', time: '17:30:00', period: 'After school', period_source: source },
      { date: '2025-09-09', time: '09:00:00', period: 'Lunch', period_source: 'export' },
      { date: '2025-09-09', time: null, period: 'P2', period_source: 'export' },
      { date: '2025-09-10', time: '00:00:00', period: 'Unknown', period_source: 'none' },
      { date: '2025-09-10', time: null, period: 'Unknown', period_source: 'none' },
    ]);
  });
});

describe("a school's own periods.csv", () => {
  // Every day: registration, two lessons with a 5-minute changeover, break, a third lesson.
  // Friday (its own rows replace the every-day ones): two lessons, home at 10:30.
  const periods = [
    { period: 'Registration', start_time: '08:30', end_time: '08:50', day: '' },
    { period: 'Period 1', start_time: '08:50', end_time: '09:50', day: '' },
    { period: 'Period 2', start_time: '09:55', end_time: '10:55', day: '' },
    { period: 'Break', start_time: '10:55', end_time: '11:15', day: '' },
    { period: 'Period 3', start_time: '11:15', end_time: '12:15', day: '' },
    { period: 'P1', start_time: '08:30', end_time: '09:30', day: 'Fri' },
    { period: 'P2', start_time: '09:30', end_time: '10:30', day: 'Friday' },
  ];

  it('replaces the default day, with its own names, its gaps, and a day of its own', async () => {
    const files: SchoolFiles = {
      students,
      attendance: onRoll(['S1', 'S2']),
      periods,
      behaviour: [
        // Tuesday 9 September.
        ...events('2025-09-09', ['08:29', '08:30', '09:49', '09:50', '09:54:59', '09:55', '12:14', '12:15', '13:00']),
        // Friday 12 September.
        ...events('2025-09-12', ['08:30', '09:29', '09:30', '10:29:59', '10:30', '11:00']),
      ],
    };
    warehouse = await modelledSchool(files);
    const own = 'time in periods.csv';
    expect((await periodsOf(warehouse)).map((r) => [r.date, r.time, r.period, r.period_source])).toEqual([
      ['2025-09-09', '08:29:00', 'Before school', own],
      ['2025-09-09', '08:30:00', 'Registration', own],
      ['2025-09-09', '09:49:00', 'P1', own],
      // The changeover the school's day leaves between 09:50 and 09:55.
      ['2025-09-09', '09:50:00', 'Between periods', own],
      ['2025-09-09', '09:54:59', 'Between periods', own],
      ['2025-09-09', '09:55:00', 'P2', own],
      ['2025-09-09', '12:14:00', 'P3', own],
      ['2025-09-09', '12:15:00', 'After school', own],
      ['2025-09-09', '13:00:00', 'After school', own],
      ['2025-09-12', '08:30:00', 'P1', own],
      ['2025-09-12', '09:29:00', 'P1', own],
      ['2025-09-12', '09:30:00', 'P2', own],
      ['2025-09-12', '10:29:59', 'P2', own],
      ['2025-09-12', '10:30:00', 'After school', own],
      ['2025-09-12', '11:00:00', 'After school', own],
    ]);
    // The day as the models hold it: Friday's own two periods, in order.
    expect(
      await queryRows(warehouse.connection, "SELECT period, left(start_time::VARCHAR, 5) AS start, left(end_time::VARCHAR, 5) AS finish, period_order FROM stg_school_day WHERE weekday = 5 ORDER BY period_order"),
    ).toEqual([
      { period: 'P1', start: '08:30', finish: '09:30', period_order: 1 },
      { period: 'P2', start: '09:30', finish: '10:30', period_order: 2 },
    ]);
    // The heatmap's columns follow the school's day: periods by their average start over the week
    // (P1 starts 08:50 Monday–Thursday and at weekends, 08:30 on Friday: still after registration at 08:30).
    expect(
      await queryRows(warehouse.connection, "SELECT DISTINCT period, period_order FROM mart_behaviour_hotspots WHERE dimension = 'weekday_period' ORDER BY period_order"),
    ).toEqual([
      { period: 'Before school', period_order: 0 },
      { period: 'Registration', period_order: 1 },
      { period: 'P1', period_order: 2 },
      { period: 'P2', period_order: 3 },
      { period: 'P3', period_order: 5 },
      { period: 'Between periods', period_order: 900 },
      { period: 'After school', period_order: 950 },
    ]);
  });

  it('checks every row: times, the day, an end before the start, a repeated period; each reject with line, column and reason', async () => {
    const dir = writeSchool({
      students,
      periods: [
        { period: 'P1', start_time: '08:50', end_time: '09:50', day: '' },
        { period: 'P2', start_time: '9.55', end_time: '10:55', day: '' },
        { period: 'P3', start_time: '11:15', end_time: '11:15', day: '' },
        { period: 'P4', start_time: '12:15', end_time: '11:15', day: '' },
        { period: 'P5', start_time: 'after lunch', end_time: '14:00', day: '' },
        { period: 'P1', start_time: '08:30', end_time: '09:30', day: 'Funday' },
        { period: '', start_time: '08:30', end_time: '09:30', day: 'Mon' },
        { period: 'P1', start_time: '09:00', end_time: '09:50', day: '' },
      ],
    });
    warehouse = await openTempWarehouse();
    const report = await ingest(warehouse.connection, [dir]);
    const file = report.files.find((f) => f.recordType === 'periods');
    expect(file && [file.rowsRead, file.rowsLoaded, file.rowsRejected]).toEqual([8, 2, 6]);
    expect(file?.rejects.map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
      [4, 'end_time', '11:15', 'the period ends at or before its start'],
      [5, 'end_time', '11:15', 'the period ends at or before its start'],
      [6, 'start_time', 'after lunch', 'not a time (use HH:MM)'],
      [7, 'day', 'Funday', `not one of: monday, tuesday, wednesday, thursday, friday, saturday, sunday, mon, tue, tues, wed, weds, thu, thur, thurs, fri, sat, sun`],
      [8, 'period', null, 'required value is empty'],
      [9, null, null, 'duplicate key (day, period): same key as line 2'],
    ]);
    // "9.55" is read as 09:55, as elsewhere in the contract.
    expect(await queryRows(warehouse.connection, "SELECT period, start_time::VARCHAR AS start_time FROM raw.periods ORDER BY period")).toEqual([
      { period: 'P1', start_time: '08:50:00' },
      { period: 'P2', start_time: '09:55:00' },
    ]);
  });
});

describe('a school day file under another name', () => {
  it('is recognised from its headers (Period, Start, End) like any canonical layout', async () => {
    const dir = writeSchool({ students });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'timetable.csv'), 'Period,Start,End,Day\nPeriod 1,08:50,09:50,\nPeriod 2,09:50,10:50,\n');
    warehouse = await openTempWarehouse();
    const report = await ingest(warehouse.connection, [dir]);
    expect(report.files.map((f) => [f.fileName, f.recordType, f.rowsLoaded, f.rowsRejected])).toEqual([
      ['students.csv', 'students', 2, 0],
      ['timetable.csv', 'periods', 2, 0],
    ]);
  });
});

/**
 * Vendor exports that record a time, not a period: each profile's fixture (test/fixtures/profiles)
 * imported and modelled. Every loaded event gets a real period from the default day, so the
 * weekday × period hotspot has no "Unknown".
 */
describe('vendor exports with times: the hotspot shows periods, not "Unknown"', () => {
  /** The fixture's files, with a register for its pupils, in a school folder of the same name. */
  function withRegisters(profile: string, extra: SchoolFiles = {}): string {
    const from = fixture('profiles', profile);
    const pupils = Papa.parse<{ student_id: string }>(readFileSync(path.join(from, 'students.csv'), 'utf-8'), { header: true, skipEmptyLines: true }).data;
    const dir = writeSchool({ attendance: onRoll(pupils.map((p) => p.student_id)), ...extra }, profile);
    for (const f of readdirSync(from)) copyFileSync(path.join(from, f), path.join(dir, f));
    return dir;
  }
  async function modelledFixture(profile: string, extra: SchoolFiles = {}): Promise<Warehouse> {
    const w = await openTempWarehouse();
    await ingest(w.connection, [withRegisters(profile, extra)]);
    const models = await runModels(w.connection);
    expect(models.failures).toEqual([]);
    return w;
  }
  const placed = (w: Warehouse) =>
    queryRows<{ event_id: string; student_id: string; time: string; weekday: number; period: string }>(
      w.connection,
      'SELECT event_id, student_id, left(time::VARCHAR, 5) AS time, weekday, period FROM int_behaviour_events ORDER BY event_id, student_id',
    );
  const hotspotPeriods = async (w: Warehouse) =>
    (await queryRows<{ cell: string }>(w.connection, "SELECT weekday || ' ' || period || ' ' || negative_events AS cell FROM mart_behaviour_hotspots WHERE dimension = 'weekday_period' ORDER BY weekday, period")).map((r) => r.cell);

  it('Arbor BI Connector (INCIDENT_DT)', async () => {
    warehouse = await modelledFixture('arbor-bi-behaviour');
    expect(await placed(warehouse)).toEqual([
      // Tuesday 11:25: P3 runs 10:55–11:45.
      { event_id: '7001', student_id: '1001', time: '11:25', weekday: 2, period: 'P3' },
      { event_id: '7001', student_id: '1002', time: '11:25', weekday: 2, period: 'P3' },
      // Wednesday 09:05: P1 (08:55–09:45); 10:00: P2 (09:45–10:35).
      { event_id: '7002', student_id: '1003', time: '09:05', weekday: 3, period: 'P1' },
      { event_id: '7003', student_id: '1004', time: '10:00', weekday: 3, period: 'P2' },
    ]);
    expect(await hotspotPeriods(warehouse)).toEqual(['2 P3 2']);
  });

  it('Class Charts activity (timestamp)', async () => {
    warehouse = await modelledFixture('classcharts-activity');
    expect((await placed(warehouse)).map((r) => `${r.event_id} ${r.student_id} ${r.time} ${r.period}`)).toEqual([
      '101 A1 09:15 P1',
      '102 A1 10:20 P2',
      '102 A3 10:20 P2',
      '102 A5 10:20 P2',
      '104 A3 11:00 P3',
      // 08:45: registration (08:40–08:55).
      '105 A1 08:45 Registration',
      '106 A1 13:30 P5',
    ]);
    expect(await hotspotPeriods(warehouse)).toEqual(['1 P1 1', '2 Registration 1', '3 P5 1']);
  });

  it('Bromcom event records (Date/Time)', async () => {
    warehouse = await modelledFixture('bromcom-behaviour');
    expect((await placed(warehouse)).map((r) => `${r.student_id} ${r.time} ${r.period}`).sort()).toEqual(['A1 09:15 P1', 'A2 09:15 P1', 'A3 11:00 P3']);
    expect(await hotspotPeriods(warehouse)).toEqual(['1 P1 2']);
  });

  it('SIMS incidents report (Incident Time)', async () => {
    warehouse = await modelledFixture('sims-behaviour');
    expect((await placed(warehouse)).map((r) => `${r.student_id} ${r.time} ${r.weekday} ${r.period}`).sort()).toEqual([
      '001234 10:15 2 P2',
      '001235 10:15 2 P2',
      // 12:30: still P4 (11:45–12:35).
      '001236 12:30 3 P4',
    ]);
    expect(await hotspotPeriods(warehouse)).toEqual(['2 P2 2', '3 P4 1']);
  });

  it("a school's periods.csv beside a vendor export is used for its times", async () => {
    warehouse = await modelledFixture('arbor-bi-behaviour', {
      periods: [
        { period: 'Lesson 1', start_time: '09:00', end_time: '10:00' },
        { period: 'Lesson 2', start_time: '10:00', end_time: '11:00' },
        { period: 'Lesson 3', start_time: '11:20', end_time: '12:20' },
      ],
    });
    expect((await placed(warehouse)).map((r) => `${r.event_id} ${r.student_id} ${r.time} ${r.period}`)).toEqual([
      // 11:25 is in the school's own Lesson 3 (11:20–12:20), spelt P3.
      '7001 1001 11:25 P3',
      '7001 1002 11:25 P3',
      // 09:05 in Lesson 1; 10:00 exactly is the start of Lesson 2.
      '7002 1003 09:05 P1',
      '7003 1004 10:00 P2',
    ]);
  });
});
