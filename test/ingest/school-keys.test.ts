// The raw rows are stored with the school as a number (raw_rows.<type>, raw.school_keys) and read
// through raw.<type>, which shows the school's id as before (src/warehouse/raw-rows.ts). These check
// the numbering, that rejects still name file, line and column, and the direct path's exact check
// for repeated register marks (one bit per day of the year: load-direct.ts, repeatsSql).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse, rawSnapshot } from '../helpers/warehouse.ts';

const STUDENTS = 'student_id,first_name,last_name,year_group,form\nP1,Ada,Lovelace,7,7B\nP2,Ben,Okri,8,8A\n';

/** A trust folder of school folders, each a map of file name → content. */
function trust(schools: Record<string, Record<string, string>>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-keys-'));
  for (const [school, files] of Object.entries(schools)) {
    mkdirSync(path.join(root, school));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, school, name), text);
  }
  return root;
}

let warehouse: Warehouse;
beforeEach(async () => {
  warehouse = await openTempWarehouse();
});
afterEach(() => warehouse.close());
const rows = (sql: string) => queryRows(warehouse.connection, sql);

describe('the school as a number in the stored rows', () => {
  it('numbers each school once, stores the number and shows the id through raw.<type>; a second import changes nothing', async () => {
    const dir = trust({
      URN200: { 'students.csv': STUDENTS, 'attendance.csv': 'student_id,date,session,code\nP1,2025-09-08,AM,/\nP2,2025-09-08,AM,N\n' },
      URN100: { 'students.csv': STUDENTS },
    });
    await ingest(warehouse.connection, [dir]);
    expect(await rows('SELECT school_key, school_id FROM raw.school_keys ORDER BY school_key')).toEqual([
      { school_key: 1, school_id: 'URN100' },
      { school_key: 2, school_id: 'URN200' },
    ]);
    expect(await rows('SELECT DISTINCT school_key FROM raw_rows.attendance')).toEqual([{ school_key: 2 }]);
    expect(await rows('SELECT school_id, student_id, code FROM raw.attendance ORDER BY ALL')).toEqual([
      { school_id: 'URN200', student_id: 'P1', code: '/' },
      { school_id: 'URN200', student_id: 'P2', code: 'N' },
    ]);
    // The view's columns are the raw table's as they always were: the school's id first, no number.
    const columns = await rows("SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = 'attendance' ORDER BY ordinal_position");
    expect(columns.map((c) => c.column_name)).toEqual(['school_id', 'student_id', 'date', 'session', 'code', 'minutes_late', 'extra']);

    const before = await rawSnapshot(warehouse.connection);
    await ingest(warehouse.connection, [dir]);
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);

    // A school imported later gets the next number, whatever its id.
    await ingest(warehouse.connection, [trust({ URN050: { 'students.csv': STUDENTS } })]);
    expect(await rows("SELECT school_key FROM raw.school_keys WHERE school_id = 'URN050'")).toEqual([{ school_key: 3 }]);
  });

  it('a rejected row of a numbered school still names its file, line, column and school; a correction replaces the stored row', async () => {
    const dir = trust({ URN300: { 'students.csv': STUDENTS, 'attendance.csv': 'student_id,date,session,code\nP1,2025-09-08,AM,/\nP2,08/09/2025,PM,ZZ\n' } });
    const report = await ingest(warehouse.connection, [dir]);
    const attendance = report.files.find((f) => f.fileName === 'attendance.csv');
    expect(attendance?.rejects.map((r) => [r.line, r.column, r.value, r.reason])).toEqual([[3, 'code', 'ZZ', 'unknown attendance code (not a DfE register code)']]);
    expect(await rows('SELECT school_id, file_name, line, "column", value FROM raw.rejects')).toEqual([
      { school_id: 'URN300', file_name: 'attendance.csv', line: 3, column: 'code', value: 'ZZ' },
    ]);

    // The same mark corrected: the stored row is replaced, the old one kept (as the view showed it) in raw.removed_rows.
    writeFileSync(path.join(dir, 'URN300', 'attendance.csv'), 'student_id,date,session,code\nP1,2025-09-08,AM,L\n');
    const corrected = await ingest(warehouse.connection, [dir]);
    expect(corrected.files.find((f) => f.fileName === 'attendance.csv')?.rowsChanged).toBe(1);
    expect(await rows('SELECT school_id, student_id, code FROM raw.attendance')).toEqual([{ school_id: 'URN300', student_id: 'P1', code: 'L' }]);
    const [audit] = await rows("SELECT school_id, change, json_extract_string(\"row\", '$.school_id') AS row_school, json_extract_string(\"row\", '$.code') AS code FROM raw.removed_rows");
    expect(audit).toEqual({ school_id: 'URN300', change: 'corrected', row_school: 'URN300', code: '/' });
  });
});

describe('repeated register marks on the direct path (one bit per day of the year)', () => {
  /** Imports one school's students and attendance, recording whether the checked path read the attendance. */
  async function importMarks(marks: string): Promise<{ checked: boolean; rejects: Array<[number | null, string]>; loaded: number }> {
    const dir = trust({ URN400: { 'students.csv': STUDENTS, 'attendance.csv': `student_id,date,session,code\n${marks}` } });
    const statements: string[] = [];
    const run = warehouse.connection.run.bind(warehouse.connection);
    warehouse.connection.run = ((sql: string, ...rest: unknown[]) => {
      statements.push(sql);
      return (run as (...a: unknown[]) => ReturnType<typeof run>)(sql, ...rest);
    }) as typeof run;
    const report = await ingest(warehouse.connection, [dir]);
    warehouse.connection.run = run;
    const file = report.files.find((f) => f.fileName === 'attendance.csv');
    return {
      // The checked path reads the file into src_read; the direct path inserts straight from the reader.
      checked: statements.some((s) => s.includes('CREATE TEMP TABLE src_read') && s.includes('attendance.csv')),
      rejects: (file?.rejects ?? []).map((r) => [r.line, r.reason]),
      loaded: file?.rowsLoaded ?? 0,
    };
  }

  it('loads the same day of the year in two years, two sessions of a day and two pupils directly', async () => {
    // 5 January is day 5 of both years; 31 December is day 366 of a leap year and day 365 of the next.
    const result = await importMarks('P1,2024-01-05,AM,/\nP1,2025-01-05,AM,/\nP1,2024-12-31,AM,/\nP1,2025-12-31,AM,/\nP1,2025-01-05,PM,/\nP2,2025-01-05,AM,/\n');
    expect(result).toEqual({ checked: false, rejects: [], loaded: 6 });
  });

  it('sends a file with a repeated mark to the checked path, which rejects the repeat by line', async () => {
    const result = await importMarks('P1,2024-12-31,PM,/\nP2,2024-12-31,PM,/\nP1,2025-01-05,AM,/\nP1,2024-12-31,PM,N\n');
    expect(result).toEqual({ checked: true, rejects: [[5, 'duplicate key (student_id, date, session): same key as line 2']], loaded: 3 });
  });
});
