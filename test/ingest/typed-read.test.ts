import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapCanonicalColumns } from '../../data-loaders/column-mapping.ts';
import { CONTRACT } from '../../data-loaders/contract.ts';
import { planFile } from '../../data-loaders/file-plan.ts';
import { ingest } from '../../data-loaders/ingest.ts';
import { inspectSourceFile } from '../../data-loaders/source-file.ts';
import { queryRows } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

// The direct path (a first import of a clean file) lets DuckDB's CSV reader type plain ISO dates
// and whole numbers, and uses some columns untrimmed; any value it cannot take sends the file to
// the checked path. Whatever the path, a value must load as the checked path reads it, and a value
// the checked path rejects must be rejected, on its line, for its reason. Each case below is a
// file of 210 clean rows (so the sample of its first rows makes the reader type the date and
// minutes_late columns) and one row more, on line 212, holding the value.

const GOOD_ROWS = 210;
const EDGE_LINE = GOOD_ROWS + 2;
const NOT_A_DATE = 'not a date (use 2025-09-03 or 03/09/2025, day first)';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-typed-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function attendanceFile(dir: string, edge: { student_id?: string; date?: string; session?: string; code?: string; minutes_late?: string }): string {
  const school = path.join(dir, 'school');
  mkdirSync(school, { recursive: true });
  writeFileSync(path.join(school, 'students.csv'), 'student_id,year_group\nP1,9\n');
  const rows = ['student_id,date,session,code,minutes_late'];
  for (let i = 0; i < GOOD_ROWS; i++) {
    const day = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
    rows.push(`P1,${day},AM,L,${i % 30}`);
  }
  const e = { student_id: 'P1', date: '2026-06-01', session: 'PM', code: 'L', minutes_late: '', ...edge };
  const cell = (v: string) => (/[", ]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  rows.push([e.student_id, e.date, e.session, e.code, e.minutes_late].map(cell).join(','));
  writeFileSync(path.join(school, 'attendance.csv'), `${rows.join('\n')}\n`);
  return school;
}

type Expected = { stored: string } | { reject: string };

async function loadEdge(column: 'student_id' | 'date' | 'session' | 'code' | 'minutes_late', value: string) {
  const dir = mkdtempSync(path.join(root, 'case-'));
  const school = attendanceFile(dir, { [column]: value });
  const warehouse = await openTempWarehouse();
  try {
    const report = await ingest(warehouse.connection, [school]);
    const file = report.files.find((f) => f.recordType === 'attendance');
    const [edge] = await queryRows<{ v: string | null }>(
      warehouse.connection,
      `SELECT ${column}::VARCHAR AS v FROM raw.attendance WHERE session = 'PM' OR date NOT BETWEEN DATE '2025-01-01' AND DATE '2025-07-29'`,
    );
    return { file, edge };
  } finally {
    warehouse.close();
  }
}

describe('the direct path loads what the checked path loads, and rejects what it rejects', () => {
  it('types the date and minutes_late columns of such a file (so the cases below go through the typed reader first)', () => {
    const school = attendanceFile(mkdtempSync(path.join(root, 'plan-')), {});
    const source = inspectSourceFile(path.join(school, 'attendance.csv'));
    const spec = CONTRACT.attendance;
    const plan = planFile({ schoolId: 'school', schoolKey: 1, spec, source, mapping: mapCanonicalColumns(spec, source.headers), profile: 'canonical' });
    expect([...plan.direct.typed].sort()).toEqual(['date', 'minutes_late']);
    expect([...plan.direct.asWritten].sort()).toEqual(['code', 'minutes_late', 'session', 'student_id']);
    expect(plan.directReader).toContain("'c2': 'DATE'");
    expect(plan.reader).not.toContain("'DATE'");
  });

  it('types a date column only where its sampled values are plain ISO dates', () => {
    const dir = mkdtempSync(path.join(root, 'uk-'));
    mkdirSync(path.join(dir, 'school'));
    const file = path.join(dir, 'school', 'attendance.csv');
    writeFileSync(file, 'student_id,date,session,code,minutes_late\nP1,03/09/2025,AM,/,\nP1,2025-09-04,AM,/,x\nP1,2025-09-05,AM,/,\n');
    const source = inspectSourceFile(file);
    const spec = CONTRACT.attendance;
    const plan = planFile({ schoolId: 'school', schoolKey: 1, spec, source, mapping: mapCanonicalColumns(spec, source.headers), profile: 'canonical' });
    expect([...plan.direct.typed]).toEqual([]);
  });

  it.each<[string, string, Expected]>([
    // Read by DuckDB's typed reader as the checked path reads them.
    ['date', '2025-09-03', { stored: '2025-09-03' }],
    ['date', '2025-9-3', { stored: '2025-09-03' }],
    ['date', ' 2025-09-03', { stored: '2025-09-03' }],
    ['date', '1900-01-01', { stored: '1900-01-01' }],
    ['date', '0025-09-03', { stored: '0025-09-03' }],
    // The reader cannot type these: the checked path reads them.
    ['date', '03/09/2025', { stored: '2025-09-03' }],
    ['date', '2025-09-03 10:00', { stored: '2025-09-03' }],
    ['date', '5 Sep 2025', { stored: '2025-09-05' }],
    // The reader would take these (the year 25; "infinity" as 1900-01-01): the checked path rejects them.
    ['date', '25-09-03', { reject: NOT_A_DATE }],
    ['date', 'infinity', { reject: NOT_A_DATE }],
    ['date', 'epoch', { reject: NOT_A_DATE }],
    ['date', '1-1-1', { reject: NOT_A_DATE }],
    ['date', '2025-02-30', { reject: NOT_A_DATE }],
    // Whole numbers: DuckDB's integer cast, the same in the reader as in the checked path.
    ['minutes_late', ' 5', { stored: '5' }],
    ['minutes_late', '+7', { stored: '7' }],
    ['minutes_late', '5.5', { stored: '6' }],
    ['minutes_late', '1_000', { reject: 'above the maximum of 600' }],
    ['minutes_late', '99999999999', { reject: 'not a whole number' }],
    ['minutes_late', 'five', { reject: 'not a whole number' }],
    ['minutes_late', '-1', { reject: 'below the minimum of 0' }],
    // Used untrimmed by the direct path: spaces around a value send the file to the checked path, which trims.
    ['session', ' AM', { stored: 'AM' }],
    ['session', 'pm', { stored: 'PM' }],
    ['session', 'noon', { reject: 'not a session (use AM or PM)' }],
    ['code', 'L ', { stored: 'L' }],
    ['code', ' l', { stored: 'L' }],
    ['code', 'ZZ', { reject: 'unknown attendance code (not a DfE register code)' }],
    ['student_id', ' P1', { stored: 'P1' }],
    ['student_id', 'P1\u00a0', { stored: 'P1' }],
    ['student_id', 'P2', { reject: 'unknown pupil: not in students.csv for school school' }],
  ])('%s %j', async (column, value, expected) => {
    const { file, edge } = await loadEdge(column as 'date', value);
    if ('stored' in expected) {
      expect([file?.rowsLoaded, file?.rowsRejected, file?.rejects]).toEqual([GOOD_ROWS + 1, 0, []]);
      expect(edge?.v).toBe(expected.stored);
    } else {
      expect([file?.rowsLoaded, file?.rowsRejected]).toEqual([GOOD_ROWS, 1]);
      expect(file?.rejects).toEqual([{ line: EDGE_LINE, column, value: value.trim(), reason: expected.reject }]);
      expect(edge).toBeUndefined();
    }
  });
});
