import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { MAX_LINE_BYTES, physicalLinesOfRecords, recordSpans, rowRecords } from '../../data-loaders/record-lines.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

describe('recordSpans: where records lie, the way a CSV reader splits records', () => {
  const text = 'id,comment\r\n1,"two\nlines"\r\n2,"a ""quoted"" word"\n3,"never closed\n4,x\n';
  it.each([
    [0, 'id,comment', true],
    [1, '1,"two\nlines"', true],
    [2, '2,"a ""quoted"" word"', true],
    [3, '3,"never closed\n4,x\n', false],
  ])('record %i is %j (quotes closed: %s)', (record, expected, closed) => {
    const span = recordSpans(text, [record]).get(record);
    expect(span && [text.slice(span.start, span.end), span.closed]).toEqual([expected, closed]);
  });
  it('finds several in one pass, and none past the end', () => {
    const spans = recordSpans(text, [3, 1, 4]);
    expect([...spans.keys()].sort()).toEqual([1, 3]);
    expect(recordSpans('id\n1\n', [2]).size).toBe(0);
  });
});

describe('lines of many rejects at once (a file whose every row names a pupil not loaded)', () => {
  it('maps 300,000 rows to their lines, more numbers than a call can take as arguments', () => {
    const n = 300_000;
    const text = `id,b\n${'1,2\n'.repeat(n)}`;
    const rows = Array.from({ length: n }, (_, i) => i + 1);
    const records = rowRecords(text, rows, []);
    expect([records.size, records.get(n)]).toEqual([n, n]);
    const lines = physicalLinesOfRecords(text, rows);
    expect([lines.size, lines.get(n)]).toEqual([n, n + 1]);
  });
});

describe('a row longer than the maximum line size is reported as such, whatever its size', () => {
  let warehouse: Warehouse;
  let dir: string;
  beforeEach(async () => {
    warehouse = await openTempWarehouse();
    dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-long-'));
  });
  afterEach(() => {
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // 3 MB: DuckDB itself says "maximum line size exceeded". 40 MB: more than DuckDB's read
  // buffer, and DuckDB says "unterminated quote" (measured with DuckDB 1.5: from about 30 MB).
  it.each([3, 40])('a %i MB comment: the row is rejected for its size, the rows around it load', async (megabytes) => {
    const school = path.join(dir, 'school');
    mkdirSync(school);
    writeFileSync(path.join(school, 'students.csv'), 'student_id,first_name,year_group\nP1,Zoë,9\n');
    const field = Buffer.alloc(megabytes * 1024 * 1024, 'x');
    writeFileSync(
      path.join(school, 'behaviour.csv'),
      Buffer.concat([
        Buffer.from('event_id,student_id,date,category,comment\nB1,P1,2025-09-03,Praise,fine\nB2,P1,2025-09-03,Disruption,"'),
        field,
        Buffer.from('"\nB3,P1,2025-09-04,Praise,after\n'),
      ]),
    );
    const report = await ingest(warehouse.connection, [school]);
    const file = report.files.find((f) => f.fileName === 'behaviour.csv');
    expect([file?.rowsRead, file?.rowsLoaded, file?.rowsRejected]).toEqual([3, 2, 1]);
    const bytes = (megabytes * 1024 * 1024 + 'B2,P1,2025-09-03,Disruption,""'.length).toLocaleString('en-GB');
    expect(file?.rejects).toEqual([
      {
        line: 3,
        column: null,
        value: `B2,P1,2025-09-03,Disruption,"${'x'.repeat(71)}… (${bytes} bytes)`,
        reason: `maximum line size exceeded: the row is ${bytes} bytes long, more than the ${MAX_LINE_BYTES.toLocaleString('en-GB')} a row may have (look for a value pasted in by mistake)`,
      },
    ]);
    const loaded = await queryRows<{ event_id: string }>(warehouse.connection, 'SELECT event_id FROM raw.behaviour ORDER BY event_id');
    expect(loaded.map((r) => r.event_id)).toEqual(['B1', 'B3']);
  });

  it('more than 8 MB of rows that cannot be split, then good rows: every row is read and accounted for (DuckDB\'s parallel reader stopped there)', async () => {
    const school = path.join(dir, 'school');
    mkdirSync(school);
    writeFileSync(path.join(school, 'students.csv'), 'student_id,year_group\nP1,9\n');
    // 9,000 rows a field too long (1 KB each: every row has a comment the header lacks), then 100 good rows.
    const day = (i: number) => new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10);
    const bad = Array.from({ length: 9000 }, (_, i) => `P1,${day(i)},AM,/,${'x'.repeat(1000)}`);
    const good = Array.from({ length: 100 }, (_, i) => `P1,${day(i)},PM,/`);
    writeFileSync(path.join(school, 'attendance.csv'), `student_id,date,session,code\n${[...bad, ...good].join('\n')}\n`);
    const report = await ingest(warehouse.connection, [school]);
    const file = report.files.find((f) => f.fileName === 'attendance.csv');
    expect([file?.rowsRead, file?.rowsLoaded, file?.rowsRejected]).toEqual([9100, 100, 9000]);
    expect(file?.rejects.at(-1)?.line).toBe(9001);
    const [loaded] = await queryRows<{ n: number }>(warehouse.connection, 'SELECT count(*)::INTEGER AS n FROM raw.attendance');
    expect(loaded.n).toBe(100);
  });

  it('a quote that is never closed is still reported as an unterminated quote', async () => {
    const school = path.join(dir, 'school');
    mkdirSync(school);
    writeFileSync(path.join(school, 'students.csv'), 'student_id,first_name,year_group\nP1,Zoë,9\n');
    writeFileSync(path.join(school, 'behaviour.csv'), 'event_id,student_id,date,category,comment\nB1,P1,2025-09-03,Praise,fine\nB2,P1,2025-09-03,Disruption,"never closed\n');
    const report = await ingest(warehouse.connection, [school]);
    const file = report.files.find((f) => f.fileName === 'behaviour.csv');
    expect([file?.rowsRead, file?.rowsLoaded, file?.rowsRejected]).toEqual([2, 1, 1]);
    expect(file?.rejects[0]?.reason).toMatch(/^row cannot be split into 5 columns: .*unterminated quote/);
  });
});
