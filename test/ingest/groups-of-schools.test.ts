import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { fixture, openTempWarehouse, rawSnapshot } from '../helpers/warehouse.ts';

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openTempWarehouse();
});
afterEach(() => warehouse.close());

const rows = (sql: string) => queryRows(warehouse.connection, sql);

describe('a trust: a folder of school folders', () => {
  it('loads each school under its folder name; the same student_id in two schools is two pupils', async () => {
    const report = await ingest(warehouse.connection, [fixture('trust')]);
    expect(report.files.map((f) => [f.schoolId, f.fileName, f.rowsRead, f.rowsLoaded, f.rowsRejected])).toEqual([
      ['100001', 'students.csv', 2, 2, 0],
      ['100001', 'behaviour.csv', 2, 2, 0],
      ['100002', 'students.csv', 2, 2, 0],
      ['100002', 'behaviour.csv', 2, 1, 1],
      ['100002', 'attendance.csv', 3, 3, 0],
    ]);
    expect(await rows('SELECT school_id, student_id, first_name FROM raw.students ORDER BY ALL')).toEqual([
      { school_id: '100001', student_id: 'P1', first_name: 'Ada' },
      { school_id: '100001', student_id: 'P2', first_name: 'Ben' },
      { school_id: '100002', student_id: 'P1', first_name: 'Cara' },
      { school_id: '100002', student_id: 'P3', first_name: 'Dan' },
    ]);
    // Event E1 of pupil P1 exists in both schools: two events, keyed within their school.
    expect(await rows("SELECT school_id, event_id, student_id, category FROM raw.behaviour WHERE event_id = 'E1' ORDER BY school_id")).toEqual([
      { school_id: '100001', event_id: 'E1', student_id: 'P1', category: 'Disruption' },
      { school_id: '100002', event_id: 'E1', student_id: 'P1', category: 'Uniform' },
    ]);
    // P2 is a pupil of 100001 only: an event for P2 in 100002's export is an unknown pupil there.
    expect(report.files[3].rejects.map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
      [3, 'student_id', 'P2', 'unknown pupil: not in students.csv for school 100002'],
    ]);
  });

  it('every loaded row carries its school', async () => {
    await ingest(warehouse.connection, [fixture('trust')]);
    const tables = await rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' AND table_name NOT IN ('import_log', 'rejects', 'refresh_log') ORDER BY 1");
    for (const { table_name } of tables as { table_name: string }[]) {
      const schools = await rows(`SELECT DISTINCT school_id FROM raw."${table_name}" ORDER BY 1`);
      for (const s of schools) expect(['100001', '100002']).toContain(s.school_id);
    }
    expect(await rows('SELECT school_id, count(*)::INTEGER AS n FROM raw.attendance GROUP BY ALL')).toEqual([{ school_id: '100002', n: 3 }]);
    expect(await rows('SELECT DISTINCT school_id FROM raw.import_log ORDER BY 1')).toEqual([{ school_id: '100001' }, { school_id: '100002' }]);
  });

  it('importing the trust again changes nothing', async () => {
    await ingest(warehouse.connection, [fixture('trust')]);
    const before = await rawSnapshot(warehouse.connection);
    const again = await ingest(warehouse.connection, [fixture('trust')]);
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);
    expect(again.files.every((f) => f.rowsNew === 0 && f.rowsChanged === 0)).toBe(true);
  });

  it('one school folder of the trust can be imported on its own, next to the others', async () => {
    await ingest(warehouse.connection, [fixture('trust')]);
    const before = await rawSnapshot(warehouse.connection);
    const report = await ingest(warehouse.connection, [fixture('trust', '100002')]);
    expect(report.files.map((f) => f.schoolId)).toEqual(['100002', '100002', '100002']);
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);
  });
});

describe('a school_id column overrides the folder name', () => {
  it('rows carry their own school; an empty school_id falls back to the folder', async () => {
    const report = await ingest(warehouse.connection, [fixture('school-column', 'trust-export')]);
    const [students, attendance] = report.files;
    expect(students.schools).toEqual(['100001', '100002', 'trust-export']);
    expect(students.warnings).toContain('rows name their own school (column school_id): 100001, 100002, trust-export');
    expect(await rows('SELECT school_id, student_id, first_name FROM raw.students ORDER BY ALL')).toEqual([
      { school_id: '100001', student_id: 'P1', first_name: 'Ada' },
      { school_id: '100002', student_id: 'P1', first_name: 'Cara' },
      { school_id: 'trust-export', student_id: 'P9', first_name: 'Eve' },
    ]);
    // Pupils are checked against their own school: P9 is a pupil of the folder's school, not of 100002.
    expect([attendance.rowsRead, attendance.rowsLoaded, attendance.rowsRejected]).toEqual([4, 3, 1]);
    expect(attendance.rejects.map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
      [4, 'Student ID', 'P9', 'unknown pupil: not in students.csv for school 100002'],
    ]);
    expect(await rows('SELECT school_id, student_id, code FROM raw.attendance ORDER BY ALL')).toEqual([
      { school_id: '100001', student_id: 'P1', code: '/' },
      { school_id: '100002', student_id: 'P1', code: 'N' },
      { school_id: 'trust-export', student_id: 'P9', code: '/' },
    ]);
  });
});
