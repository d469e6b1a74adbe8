import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest, type ImportReport } from '../../data-loaders/ingest.ts';
import type { FileReport } from '../../data-loaders/load-file.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { fixture, openTempWarehouse, rawSnapshot } from '../helpers/warehouse.ts';

/**
 * One hand-written export per vendor profile (test/fixtures/profiles/<profile>/, made-up pupils),
 * each read without --profile: the profile must be chosen from the headers, and the counts and
 * rejects are what a person reading the CSV would expect.
 */

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openTempWarehouse();
});
afterEach(() => warehouse.close());

async function load(profile: string): Promise<{ report: ImportReport; file: FileReport }> {
  const report = await ingest(warehouse.connection, [fixture('profiles', profile)]);
  expect(report.stopped).toEqual([]);
  const vendor = report.files.filter((f) => f.recordType !== 'students');
  expect(vendor.map((f) => f.profile)).toEqual([profile]);
  const file = vendor[0];
  expect(file.rowsRead).toBe(file.rowsLoaded + file.rowsRejected);
  return { report, file };
}

const counts = (f: FileReport) => ({ records: f.recordsInFile, read: f.rowsRead, loaded: f.rowsLoaded, rejected: f.rowsRejected });
const rejects = (f: FileReport) => f.rejects.map((r) => [r.line, r.column, r.value, r.reason]);
const rows = (sql: string) => queryRows(warehouse.connection, sql);

describe('Arbor BI connector', () => {
  it('ATTENDANCE: RAW_MARK is the code, MORNING/AFTERNOON the session', async () => {
    const { file } = await load('arbor-bi-attendance');
    expect(file.fileName).toBe('ATTENDANCE.csv');
    expect(counts(file)).toEqual({ records: 10, read: 10, loaded: 6, rejected: 4 });
    expect(rejects(file)).toEqual([
      [7, 'RAW_MARK', null, 'required value is empty'],
      [8, 'STUDENT_ID', '9999', 'unknown pupil: not in students.csv for school arbor-bi-attendance'],
      [9, 'PERIOD', 'EVENING', 'not a session (use AM or PM)'],
      [11, null, null, 'duplicate key (student_id, date, session): same key as line 3'],
    ]);
    expect(file.warnings).toContain('retired attendance code H found 1 times: read as authorised holiday (retired; now C)');
    expect(
      await rows("SELECT student_id, strftime(date, '%Y-%m-%d') AS date, session, code, minutes_late FROM raw.attendance ORDER BY student_id, session"),
    ).toEqual([
      { student_id: '1001', date: '2025-09-08', session: 'AM', code: '/', minutes_late: null },
      { student_id: '1001', date: '2025-09-08', session: 'PM', code: '\\', minutes_late: null },
      { student_id: '1002', date: '2025-09-08', session: 'AM', code: 'L', minutes_late: 12 },
      { student_id: '1002', date: '2025-09-08', session: 'PM', code: 'I', minutes_late: null },
      { student_id: '1003', date: '2025-09-08', session: 'AM', code: 'H', minutes_late: null },
      // A date-time in DATE keeps its date.
      { student_id: '1004', date: '2025-09-08', session: 'AM', code: '/', minutes_late: null },
    ]);
    // What the contract has no column for stays in the raw layer.
    const [extra] = await rows("SELECT extra->>'MARK_CODE' AS mark_code FROM raw.attendance WHERE student_id = '1002' AND session = 'AM'");
    expect(extra).toEqual({ mark_code: 'LATE_BEFORE_REGISTER_CLOSED' });
  });

  it('BEHAVIOUR_INCIDENTS: one row per pupil involvement, signed severity → polarity + severity', async () => {
    const { file } = await load('arbor-bi-behaviour');
    expect(counts(file)).toEqual({ records: 8, read: 8, loaded: 4, rejected: 4 });
    expect(rejects(file)).toEqual([
      [6, 'SEVERITY', '-7', "severity outside Arbor's scale of −5 to +5"],
      [7, 'SEVERITY', 'abc', 'not a whole number'],
      [8, 'STUDENT_ID', '1099', 'unknown pupil: not in students.csv for school arbor-bi-behaviour'],
      [9, 'INCIDENT_DT', '31/09/2025 10:00', 'not a date (use 2025-09-03 or 03/09/2025, day first)'],
    ]);
    expect(
      await rows("SELECT event_id, student_id, strftime(date, '%Y-%m-%d') AS date, time::VARCHAR AS time, polarity, severity, category, staff, comment FROM raw.behaviour ORDER BY event_id, student_id"),
    ).toEqual([
      // Incident 7001 involved two pupils: the key is incident + pupil.
      { event_id: '7001', student_id: '1001', date: '2025-09-09', time: '11:25:00', polarity: 'negative', severity: 2, category: 'Arbor severity -2', staff: '21', comment: 'Shouting across the room' },
      { event_id: '7001', student_id: '1002', date: '2025-09-09', time: '11:25:00', polarity: 'negative', severity: 2, category: 'Arbor severity -2', staff: '21', comment: 'Shouting across the room' },
      { event_id: '7002', student_id: '1003', date: '2025-09-10', time: '09:05:00', polarity: 'positive', severity: 3, category: 'Arbor severity 3', staff: '22', comment: 'Excellent presentation' },
      { event_id: '7003', student_id: '1004', date: '2025-09-10', time: '10:00:00', polarity: 'neutral', severity: null, category: 'Arbor severity 0', staff: '22', comment: 'Note for the record' },
    ]);
  });
});

describe('Arbor list exports: pupils named, matched on name + form', () => {
  it('detentions list: attendance words → contract statuses, no pupil / several pupils rejected', async () => {
    const { file } = await load('arbor-detentions');
    expect(file.fileName).toBe('Detentions list 2025-09.csv');
    expect(counts(file)).toEqual({ records: 7, read: 7, loaded: 4, rejected: 3 });
    expect(rejects(file)).toEqual([
      [4, 'Student', 'Alan Turing', 'name matches 2 pupils in students.csv (A2, A4): add the form or a pupil id to tell them apart'],
      [7, 'Student', 'Charles Babbage (form 11T)', 'no pupil of this name in this form in students.csv for school arbor-detentions'],
      [8, 'Detention Attendance', 'Excused', 'not one of: pending, attended, missed, cancelled, rescheduled, escalated'],
    ]);
    expect(await rows("SELECT student_id, strftime(date, '%Y-%m-%d') AS date, type, status FROM raw.detentions ORDER BY date")).toEqual([
      // "Wed 10 Sep 2025": the weekday is dropped.
      { student_id: 'A1', date: '2025-09-10', type: 'Lunch', status: 'attended' },
      // "Turing, Alan" in 9R is A2, not the Alan Turing in 10S.
      { student_id: 'A2', date: '2025-09-11', type: 'After school', status: 'missed' },
      // "Zoe Bronte" is Zoë Brontë; "Late" is attended.
      { student_id: 'A5', date: '2025-09-15', type: 'Break', status: 'attended' },
      // No attendance yet: pending.
      { student_id: 'A3', date: '2025-09-16', type: 'Lunch', status: 'pending' },
    ]);
  });

  it('detentions list: the same export again changes nothing; attendance taken later is a correction', async () => {
    await load('arbor-detentions');
    const before = await rawSnapshot(warehouse.connection);
    const again = await ingest(warehouse.connection, [fixture('profiles', 'arbor-detentions')]);
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);
    const det = again.files.find((f) => f.recordType === 'detentions');
    expect([det?.rowsNew, det?.rowsChanged, det?.rowsUnchanged]).toEqual([0, 0, 4]);

    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-arbor-')), 'arbor-detentions');
    mkdirSync(dir);
    copyFileSync(fixture('profiles', 'arbor-detentions', 'students.csv'), path.join(dir, 'students.csv'));
    writeFileSync(
      path.join(dir, 'detentions later.csv'),
      'Student,Year,Reg. Form,House,Reason,Detention Type,Issued Date,Issued By,Detention Date,Detention Attendance\n' +
        'Grace Hopper,Year 10,10S,Darwin,Equipment,Lunch,10/09/2025,Ms Curie,16/09/2025,Did not attend\n',
    );
    const later = await ingest(warehouse.connection, [dir]);
    const corrected = later.files.find((f) => f.recordType === 'detentions');
    expect([corrected?.rowsNew, corrected?.rowsChanged, corrected?.rowsUnchanged]).toEqual([0, 1, 0]);
    expect(await rows("SELECT status FROM raw.detentions WHERE student_id = 'A3'")).toEqual([{ status: 'missed' }]);
  });

  it('detentions list: names in any script are matched whole, never on their Latin words alone', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-arbor-')), 'scripts');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'students.csv'), 'student_id,first_name,last_name,year_group,form\nS1,Ling,李,9,9R\nS2,Olga,Иванова,9,9R\nS3,Siobhán,O\'Neill,9,9R\n');
    writeFileSync(
      path.join(dir, 'Detentions list.csv'),
      'Student,Year,Reg. Form,House,Reason,Detention Type,Issued Date,Issued By,Detention Date,Detention Attendance\n' +
        'Ling 王,Year 9,9R,Newton,Homework,Lunch,08/09/2025,Mr Smith,10/09/2025,Attended\n' +
        'Olga Петрова,Year 9,9R,Newton,Homework,Lunch,08/09/2025,Mr Smith,10/09/2025,Attended\n' +
        'Ling 李,Year 9,9R,Newton,Homework,Lunch,08/09/2025,Mr Smith,11/09/2025,Attended\n' +
        'ИВАНОВА Olga,Year 9,9R,Newton,Homework,Lunch,08/09/2025,Mr Smith,11/09/2025,Attended\n' +
        'Siobhan O’Neill,Year 9,9R,Newton,Homework,Lunch,08/09/2025,Mr Smith,11/09/2025,Attended\n',
    );
    const report = await ingest(warehouse.connection, [dir]);
    const file = report.files.find((f) => f.recordType === 'detentions') as FileReport;
    expect(rejects(file)).toEqual([
      [2, 'Student', 'Ling 王 (form 9R)', 'no pupil of this name in this form in students.csv for school scripts'],
      [3, 'Student', 'Olga Петрова (form 9R)', 'no pupil of this name in this form in students.csv for school scripts'],
    ]);
    expect(await rows("SELECT student_id FROM raw.detentions ORDER BY student_id")).toEqual([{ student_id: 'S1' }, { student_id: 'S2' }, { student_id: 'S3' }]);
  });

  it('internal exclusions (BSC) list', async () => {
    const { file } = await load('arbor-internal-exclusions');
    expect(counts(file)).toEqual({ records: 5, read: 5, loaded: 2, rejected: 3 });
    expect(rejects(file)).toEqual([
      [4, 'Date', '31/09/2025', 'not a date (use 2025-09-03 or 03/09/2025, day first)'],
      // The same placement exported twice: same pupil, date, type and start time.
      [5, null, null, 'duplicate key (referral_id): same key as line 2'],
      [6, 'Student', 'Alan Turing', 'name matches 2 pupils in students.csv (A2, A4): add the form or a pupil id to tell them apart'],
    ]);
    expect(
      await rows("SELECT student_id, strftime(date, '%Y-%m-%d') AS date, referred_by, reason, start_time::VARCHAR AS start_time, end_time::VARCHAR AS end_time FROM raw.bsc ORDER BY date"),
    ).toEqual([
      { student_id: 'A1', date: '2025-09-15', referred_by: 'Mr Smith', reason: 'Defiance', start_time: '08:40:00', end_time: '15:10:00' },
      { student_id: 'A2', date: '2025-09-16', referred_by: 'Ms Jones', reason: 'Disruption', start_time: '08:40:00', end_time: '10:40:00' },
    ]);
  });
});

describe('Class Charts', () => {
  it('activity: several pupils in one cell become one row each, keyed by event + pupil', async () => {
    const { file } = await load('classcharts-activity');
    // 6 records naming 10 pupils.
    expect(counts(file)).toEqual({ records: 6, read: 10, loaded: 7, rejected: 3 });
    expect(rejects(file)).toEqual([
      [4, 'type', 'detention', 'not a behaviour point: other Class Charts activity (detention, notice, attendance_event, …) is not loaded as behaviour'],
      [6, 'pupil_name', 'Charles Babbage', 'no pupil of this name in students.csv for school classcharts-activity'],
      [7, null, null, 'duplicate key (event_id, student_id): the same pupil is named twice in this record'],
    ]);
    expect(
      await rows('SELECT event_id, student_id, polarity, points, category, time::VARCHAR AS time FROM raw.behaviour ORDER BY event_id, student_id'),
    ).toEqual([
      { event_id: '101', student_id: 'A1', polarity: 'negative', points: -1, category: 'Disruption', time: '09:15:00' },
      { event_id: '102', student_id: 'A1', polarity: 'positive', points: 2, category: 'Great effort', time: '10:20:00' },
      { event_id: '102', student_id: 'A3', polarity: 'positive', points: 2, category: 'Great effort', time: '10:20:00' },
      { event_id: '102', student_id: 'A5', polarity: 'positive', points: 2, category: 'Great effort', time: '10:20:00' },
      // "blank" polarity is neutral.
      { event_id: '104', student_id: 'A3', polarity: 'neutral', points: 0, category: 'Note', time: '11:00:00' },
      // The known pupil of record 105 loads; the unknown one is rejected.
      { event_id: '105', student_id: 'A1', polarity: 'negative', points: -1, category: 'Uniform', time: '08:45:00' },
      { event_id: '106', student_id: 'A1', polarity: 'negative', points: -1, category: 'Talking', time: '13:30:00' },
    ]);
  });

  it('detentions: attended yes / no / upscaled / pending → attended / missed / escalated / pending', async () => {
    const { file } = await load('classcharts-detentions');
    expect(counts(file)).toEqual({ records: 7, read: 7, loaded: 4, rejected: 3 });
    expect(rejects(file)).toEqual([
      [6, 'pupil_first_name + pupil_last_name', 'Alan Turing', 'name matches 2 pupils in students.csv (A2, A4): add the form or a pupil id to tell them apart'],
      [7, 'attended', 'maybe', 'not one of: pending, attended, missed, cancelled, rescheduled, escalated'],
      [8, 'length', 'half an hour', 'not a whole number'],
    ]);
    expect(await rows('SELECT detention_id, student_id, minutes, status FROM raw.detentions ORDER BY detention_id')).toEqual([
      { detention_id: '201', student_id: 'A1', minutes: 30, status: 'attended' },
      { detention_id: '202', student_id: 'A3', minutes: 20, status: 'missed' },
      { detention_id: '203', student_id: 'A5', minutes: 60, status: 'escalated' },
      { detention_id: '204', student_id: 'A1', minutes: 20, status: 'pending' },
    ]);
  });

  it('attendance: the code, or the present / late status, per AM / PM session', async () => {
    const { file } = await load('classcharts-attendance');
    expect(counts(file)).toEqual({ records: 8, read: 8, loaded: 5, rejected: 3 });
    expect(rejects(file)).toEqual([
      // Absent with no code: the status does not say which absence code.
      [7, 'code', null, 'required value is empty'],
      [8, 'session', 'Period 1', 'not a session (use AM or PM)'],
      [9, 'code', null, 'required value is empty'],
      [9, 'status', 'ignore', 'not a register mark: Class Charts status "ignore"'],
    ]);
    expect(await rows('SELECT student_id, session, code, minutes_late FROM raw.attendance ORDER BY student_id, session')).toEqual([
      { student_id: 'A1', session: 'AM', code: '/', minutes_late: null },
      { student_id: 'A1', session: 'PM', code: '\\', minutes_late: null },
      { student_id: 'A3', session: 'AM', code: 'L', minutes_late: 7 },
      { student_id: 'A3', session: 'PM', code: 'L', minutes_late: 5 },
      { student_id: 'A5', session: 'AM', code: 'I', minutes_late: null },
    ]);
  });
});

describe('SIMS reports (common column titles)', () => {
  it('behaviour incidents: Adno identifies the pupil, pupils of one incident share its id, targets are not actors', async () => {
    const { file } = await load('sims-behaviour');
    expect(counts(file)).toEqual({ records: 7, read: 7, loaded: 3, rejected: 4 });
    expect(rejects(file)).toEqual([
      [5, 'Role', 'Target', "not this pupil's behaviour: SIMS lists everyone involved, and a target or witness is not loaded as a behaviour event"],
      [6, 'Adno', '001299', 'unknown pupil: not in students.csv for school sims-behaviour'],
      [7, 'Incident Date', '31/09/2025', 'not a date (use 2025-09-03 or 03/09/2025, day first)'],
      [8, 'Points', 'x', 'not a whole number'],
    ]);
    const loaded = await rows('SELECT event_id, student_id, category, points, subject, action, comment FROM raw.behaviour ORDER BY student_id');
    expect(loaded.map((r) => r.student_id)).toEqual(['001234', '001235', '001236']);
    // Ada and Alan were in one incident (same date, time, type, activity, location): one event id.
    expect(loaded[0].event_id).toBe(loaded[1].event_id);
    expect(loaded[2].event_id).not.toBe(loaded[0].event_id);
    expect(loaded[0]).toMatchObject({ category: 'Disruption', points: -2, subject: 'Maths', action: 'Detention', comment: 'Talking, repeatedly' });
  });

  it('attendance marks', async () => {
    const { file } = await load('sims-attendance');
    expect(counts(file)).toEqual({ records: 8, read: 8, loaded: 6, rejected: 2 });
    expect(rejects(file)).toEqual([
      [7, 'Mark', '*', 'unknown attendance code (not a DfE register code)'],
      [9, 'Session', 'XX', 'not a session (use AM or PM)'],
    ]);
    expect(await rows("SELECT student_id, session, code, minutes_late FROM raw.attendance WHERE student_id = '001237'")).toEqual([
      // 8/9/25 is 8 September 2025.
      { student_id: '001237', session: 'AM', code: 'U', minutes_late: 25 },
    ]);
  });
});

describe('Bromcom', () => {
  it('behaviour events: "Affected Students" split into one row per pupil, a "(form)" after a name used to match', async () => {
    const { file } = await load('bromcom-behaviour');
    expect(counts(file)).toEqual({ records: 5, read: 6, loaded: 3, rejected: 3 });
    expect(rejects(file)).toEqual([
      [4, 'Affected Students', 'Alan Turing', 'name matches 2 pupils in students.csv (A2, A4): add the form or a pupil id to tell them apart'],
      [5, 'Affected Students', null, 'required value is empty'],
      [6, 'Date/Time', '10/09/2025 9am', 'not a date (use 2025-09-03 or 03/09/2025, day first)'],
    ]);
    expect(await rows('SELECT student_id, category, points, action, staff, time::VARCHAR AS time FROM raw.behaviour ORDER BY student_id')).toEqual([
      { student_id: 'A1', category: 'Disruption', points: -2, action: 'Detention', staff: 'Mr Smith', time: '09:15:00' },
      { student_id: 'A2', category: 'Disruption', points: -2, action: 'Detention', staff: 'Mr Smith', time: '09:15:00' },
      { student_id: 'A3', category: 'Excellent work', points: 3, action: null, staff: 'Ms Curie', time: '11:00:00' },
    ]);
    // Internal comments stay in the raw layer only, never in a contract column.
    const [ada] = await rows("SELECT comment, extra->>'Internal Comments' AS internal FROM raw.behaviour WHERE student_id = 'A1'");
    expect(ada).toEqual({ comment: 'Talking over the teacher', internal: 'Parent aware' });
  });

  it('registration marks: "AM Reg" / "PM Reg", pupils by name + tutor group', async () => {
    const { file } = await load('bromcom-attendance');
    expect(counts(file)).toEqual({ records: 7, read: 7, loaded: 5, rejected: 2 });
    expect(rejects(file)).toEqual([
      [7, null, null, 'duplicate key (student_id, date, session): same key as line 6'],
      [8, 'Student Name', 'Mary Shelley (form 9R)', 'no pupil of this name in this form in students.csv for school bromcom-attendance'],
    ]);
    expect(await rows('SELECT student_id, session, code FROM raw.attendance ORDER BY student_id, session')).toEqual([
      { student_id: 'A1', session: 'AM', code: '/' },
      { student_id: 'A1', session: 'PM', code: '\\' },
      // Two Alan Turings, told apart by tutor group.
      { student_id: 'A2', session: 'AM', code: 'L' },
      { student_id: 'A3', session: 'AM', code: 'Z' },
      { student_id: 'A4', session: 'AM', code: 'O' },
    ]);
  });
});

describe('choosing how to read each file', () => {
  it('every fixture folder holds students.csv and one vendor export, and nothing is ignored', () => {
    for (const profile of readdirSync(fixture('profiles'))) {
      expect(readdirSync(fixture('profiles', profile)).length).toBe(2);
    }
  });

  it('records the profile in the import log', async () => {
    await load('classcharts-detentions');
    expect(await rows("SELECT file_name, record_type, profile FROM raw.import_log WHERE record_type <> 'students'")).toEqual([
      { file_name: 'classcharts_detentions.csv', record_type: 'detentions', profile: 'classcharts-detentions' },
    ]);
  });

  it('lists files it cannot read as ignored, with the reason, and loads the rest', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-mixed-')), 'mixed');
    mkdirSync(dir);
    copyFileSync(fixture('tiny-school', 'students.csv'), path.join(dir, 'students.csv'));
    copyFileSync(fixture('tiny-school', 'detentions.csv'), path.join(dir, 'Detentions 2025 (copy).csv'));
    writeFileSync(path.join(dir, 'notes.txt'), 'not an export\n');
    // (Period,Start,End would now be read as the school day, periods.csv: rooms are no export.)
    writeFileSync(path.join(dir, 'rooms.csv'), 'Room,Capacity,Building\nM1,30,Maths block\n');
    const report = await ingest(warehouse.connection, [dir]);
    // A canonical layout under another name is recognised from its headers.
    expect(report.files.map((f) => [f.fileName, f.recordType, f.profile, f.rowsLoaded])).toEqual([
      ['students.csv', 'students', 'canonical', 5],
      ['Detentions 2025 (copy).csv', 'detentions', 'canonical', 3],
    ]);
    expect(report.ignored.map((f) => [f.fileName, f.reason])).toEqual([
      ['notes.txt', 'not a .csv file'],
      [
        'rooms.csv',
        'not a known layout: the headers match no contract file and no vendor profile; columns found: Room, Capacity, Building. Name it after its record type (behaviour.csv, attendance.csv, …) or choose a profile with --profile NAME',
      ],
    ]);
  });

  it('reads a vendor export saved under a canonical name with its vendor profile', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-renamed-')), 'renamed');
    mkdirSync(dir);
    copyFileSync(fixture('profiles', 'arbor-bi-attendance', 'students.csv'), path.join(dir, 'students.csv'));
    copyFileSync(fixture('profiles', 'arbor-bi-attendance', 'ATTENDANCE.csv'), path.join(dir, 'attendance.csv'));
    const report = await ingest(warehouse.connection, [dir]);
    expect(report.files.map((f) => [f.fileName, f.profile, f.rowsLoaded])).toEqual([
      ['students.csv', 'canonical', 4],
      ['attendance.csv', 'arbor-bi-attendance', 6],
    ]);
  });

  it('asks for --profile when headers fit two layouts equally, and --profile settles it', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-ambiguous-')), 'ambiguous');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'students.csv'), 'student_id,first_name,last_name,year_group,form\n001234,Ada,Lovelace,9,9R\n');
    // Adno + Session + Mark is a SIMS report; Student Name + Date + Session + Mark a Bromcom one.
    writeFileSync(path.join(dir, 'marks.csv'), 'Adno,Student Name,Date,Session,Mark\n001234,Ada Lovelace,08/09/2025,AM,/\n');
    const unsure = await ingest(warehouse.connection, [dir], { dryRun: true });
    expect(unsure.ignored.map((f) => f.reason)).toEqual(['headers fit several layouts equally (sims-attendance, bromcom-attendance): choose one with --profile NAME']);
    const forced = await ingest(warehouse.connection, [dir], { profiles: ['sims-attendance'] });
    expect(forced.files.map((f) => [f.fileName, f.profile, f.rowsLoaded, f.rowsRejected])).toEqual([
      ['students.csv', 'canonical', 1, 0],
      ['marks.csv', 'sims-attendance', 1, 0],
    ]);
  });

  it('rejects an unknown --profile name, listing the known ones', async () => {
    await expect(ingest(warehouse.connection, [fixture('tiny-school')], { profiles: ['arbor'] })).rejects.toThrow(/unknown profile "arbor": known profiles are arbor-bi-attendance, /);
  });

  it('a forced profile that does not fit stops the file, naming the missing columns', async () => {
    const report = await ingest(warehouse.connection, [fixture('profiles', 'sims-attendance')], { profiles: ['classcharts-detentions'] });
    expect(report.files.map((f) => f.fileName)).toEqual(['students.csv']);
    expect(report.stopped).toEqual([
      expect.objectContaining({
        fileName: 'Attendance marks.csv',
        profile: 'classcharts-detentions',
        reason:
          'missing required columns detention_id (id or detention_id), status (attended) for profile classcharts-detentions (detentions); columns found: Adno, Surname, Forename, Reg Group, Date, Session, Mark, Minutes Late',
      }),
    ]);
  });
});
