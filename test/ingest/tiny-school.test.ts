import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { fixture, openTempWarehouse, rawSnapshot } from '../helpers/warehouse.ts';

/** A copy of the tiny school in a temp folder (named like the fixture, so the school id matches). */
function copyTinySchool(files?: readonly string[]): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-tiny-')), 'tiny-school');
  mkdirSync(dir);
  for (const f of files ?? readdirSync(fixture('tiny-school'))) copyFileSync(fixture('tiny-school', f), path.join(dir, f));
  return dir;
}

describe('ingest of the tiny hand-made school', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await openTempWarehouse();
  });
  afterEach(() => warehouse.close());

  it('loads every row and reconciles read = loaded + rejected per file', async () => {
    const report = await ingest(warehouse.connection, [fixture('tiny-school')]);
    const counts = Object.fromEntries(report.files.map((f) => [f.fileName, [f.rowsRead, f.rowsLoaded, f.rowsRejected]]));
    expect(counts).toEqual({
      'students.csv': [5, 5, 0],
      'behaviour.csv': [6, 6, 0],
      'attendance.csv': [68, 68, 0],
      'bsc.csv': [1, 1, 0],
      'detentions.csv': [3, 3, 0],
      'suspensions.csv': [1, 1, 0],
    });
    for (const f of report.files) expect(f.rowsRead).toBe(f.rowsLoaded + f.rowsRejected);
    const [row] = await queryRows<{ n: number }>(warehouse.connection, 'SELECT count(*)::INTEGER AS n FROM raw.attendance');
    expect(row.n).toBe(68);
    // Every row carries its school, named after the folder.
    const schools = await queryRows<{ school_id: string }>(warehouse.connection, 'SELECT DISTINCT school_id FROM raw.behaviour');
    expect(schools).toEqual([{ school_id: 'tiny-school' }]);
  });

  it('keeps free text exactly, markup included (it is never rendered as HTML)', async () => {
    await ingest(warehouse.connection, [fixture('tiny-school')]);
    const [row] = await queryRows<{ comment: string }>(warehouse.connection, "SELECT comment FROM raw.behaviour WHERE event_id = 'E4'");
    expect(row.comment).toBe('<b>said "x"</b>, then left');
  });

  it('is idempotent: importing the same export twice changes nothing', async () => {
    await ingest(warehouse.connection, [fixture('tiny-school')]);
    const before = await rawSnapshot(warehouse.connection);
    const second = await ingest(warehouse.connection, [fixture('tiny-school')]);
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);
    for (const f of second.files) {
      expect(f.rowsNew).toBe(0);
      expect(f.rowsChanged).toBe(0);
      expect(f.rowsUnchanged).toBe(f.rowsLoaded);
    }
  });

  it('treats a later export of the same key as a correction, and an overlapping one as no change', async () => {
    await ingest(warehouse.connection, [fixture('tiny-school')]);
    const dir = copyTinySchool(['students.csv']);
    // D2 was missed; the corrected export says attended. D4 is new. D1 is unchanged (overlap).
    // The export covers 10–18 September (its first to last date): D3, on the 19th, is outside
    // its window and stays.
    writeFileSync(
      path.join(dir, 'detentions.csv'),
      'detention_id,student_id,date,type,minutes,reason,issued_by,event_id,status\n' +
        'D1,A,2025-09-10,after school,30,Disruption,ABC,E1,attended\n' +
        'D2,B,2025-09-18,lunch,30,Uniform,MNO,E6,attended\n' +
        'D4,A,2025-09-18,break,15,Homework,ABC,,pending\n',
    );
    const report = await ingest(warehouse.connection, [dir]);
    const det = report.files.find((f) => f.fileName === 'detentions.csv');
    expect([det?.rowsNew, det?.rowsChanged, det?.rowsUnchanged]).toEqual([1, 1, 1]);
    const rows = await queryRows<{ detention_id: string; status: string }>(
      warehouse.connection,
      'SELECT detention_id, status FROM raw.detentions ORDER BY detention_id',
    );
    expect(rows).toEqual([
      { detention_id: 'D1', status: 'attended' },
      { detention_id: 'D2', status: 'attended' },
      { detention_id: 'D3', status: 'cancelled' },
      { detention_id: 'D4', status: 'pending' },
    ]);
  });

  it('rolls back the whole import when it fails part-way, leaving the warehouse as it was', async () => {
    await ingest(warehouse.connection, [fixture('tiny-school')]);
    const before = await rawSnapshot(warehouse.connection);
    const logBefore = await queryRows(warehouse.connection, 'SELECT count(*)::INTEGER AS n FROM raw.import_log');
    const dir = copyTinySchool();
    writeFileSync(path.join(dir, 'bsc.csv'), readFileSync(fixture('tiny-school', 'bsc.csv'), 'utf-8') + 'R2,B,2025-09-19,Defiance,E6,1,partial,poor,escalated,N,\n');
    await expect(
      ingest(warehouse.connection, [dir], {
        afterFile: (r) => {
          if (r.fileName === 'bsc.csv') throw new Error('simulated failure after bsc.csv');
        },
      }),
    ).rejects.toThrow('simulated failure');
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);
    expect(await queryRows(warehouse.connection, 'SELECT count(*)::INTEGER AS n FROM raw.import_log')).toEqual(logBefore);
  });

  it('check (dry run) reports the same counts and loads nothing', async () => {
    const report = await ingest(warehouse.connection, [fixture('tiny-school')], { dryRun: true });
    expect(report.committed).toBe(false);
    expect(report.files.find((f) => f.fileName === 'attendance.csv')?.rowsLoaded).toBe(68);
    const [row] = await queryRows<{ n: number }>(warehouse.connection, 'SELECT count(*)::INTEGER AS n FROM raw.students');
    expect(row.n).toBe(0);
  });

  it('pastoral check with no warehouse yet creates no warehouse file nor its folder', async () => {
    const { checkCmd } = await import('../../src/cli/commands/ingest.ts');
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-check-')), 'data');
    const db = path.join(dir, 'pastoral.duckdb');
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let code: number;
    try {
      code = await checkCmd.run([fixture('tiny-school'), '--db', db, '--rejects-dir', path.join(dir, '..', 'rejects')]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    expect(readdirSync(path.dirname(dir))).toEqual([]);
  });

  it('records each file in the import log with size and content hash', async () => {
    await ingest(warehouse.connection, [fixture('tiny-school')]);
    const log = await queryRows<{ file_name: string; size_bytes: number; sha256: string; rows_loaded: number }>(
      warehouse.connection,
      "SELECT file_name, size_bytes::INTEGER AS size_bytes, sha256, rows_loaded FROM raw.import_log WHERE file_name = 'students.csv'",
    );
    const bytes = readFileSync(fixture('tiny-school', 'students.csv'));
    expect(log).toEqual([{ file_name: 'students.csv', size_bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), rows_loaded: 5 }]);
  });
});

describe('warehouses made before the key index was dropped, and before the stored rows numbered their school', () => {
  it('are rebuilt without it on the next import, every row kept, and corrections still apply', async () => {
    const warehouse = await openTempWarehouse();
    try {
      await ingest(warehouse.connection, [fixture('tiny-school')]);
      // Recreate raw.detentions the way the first version did: a table with the school's id on
      // every row (not a view of raw_rows.detentions), and a PRIMARY KEY.
      await warehouse.connection.run(`CREATE TABLE raw.detentions_old AS SELECT * FROM raw.detentions;
        DROP VIEW raw.detentions; DROP TABLE raw_rows.detentions;
        CREATE TABLE raw.detentions (school_id VARCHAR NOT NULL, detention_id VARCHAR NOT NULL, student_id VARCHAR, date DATE, type VARCHAR,
          minutes INTEGER, reason VARCHAR, issued_by VARCHAR, event_id VARCHAR, status VARCHAR, extra JSON, PRIMARY KEY (school_id, detention_id));
        INSERT INTO raw.detentions SELECT * FROM raw.detentions_old; DROP TABLE raw.detentions_old;`);
      const before = await rawSnapshot(warehouse.connection);
      const keyed = "SELECT count(*)::INTEGER AS n FROM duckdb_constraints() WHERE schema_name = 'raw' AND constraint_type = 'PRIMARY KEY'";
      expect(await queryRows(warehouse.connection, keyed)).toEqual([{ n: 1 }]);

      // `check` changes nothing, not even the table's shape.
      await ingest(warehouse.connection, [fixture('tiny-school')], { dryRun: true });
      expect(await queryRows(warehouse.connection, keyed)).toEqual([{ n: 1 }]);

      await ingest(warehouse.connection, [fixture('tiny-school')]);
      expect(await queryRows(warehouse.connection, keyed)).toEqual([{ n: 0 }]);
      expect(await rawSnapshot(warehouse.connection)).toEqual(before);

      const dir = copyTinySchool(['students.csv']);
      writeFileSync(path.join(dir, 'detentions.csv'), 'detention_id,student_id,date,status\nD2,B,2025-09-18,attended\n');
      const report = await ingest(warehouse.connection, [dir]);
      expect(report.files.find((f) => f.fileName === 'detentions.csv')?.rowsChanged).toBe(1);
    } finally {
      warehouse.close();
    }
  });
});
