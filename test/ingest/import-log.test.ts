import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { skippedLine } from '../../src/cli/import-report-lines.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { fixture, openTempWarehouse } from '../helpers/warehouse.ts';

/**
 * The import log is written once, at the end of an import (one statement for every file): what
 * it holds, and the refresh's "imported before" (skipImported), must be as when each file was
 * logged as it loaded, including for a file whose content an earlier file of the same import had.
 */
describe('the import log, written at the end of the import', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await openTempWarehouse();
  });
  afterEach(() => warehouse.close());

  /** The Arbor detentions fixture with the same export saved twice under two names. */
  function twiceSaved(): string {
    const from = fixture('profiles', 'arbor-detentions');
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-log-')), 'arbor-school');
    mkdirSync(dir);
    copyFileSync(path.join(from, 'students.csv'), path.join(dir, 'students.csv'));
    copyFileSync(path.join(from, 'Detentions list 2025-09.csv'), path.join(dir, 'Detentions list 2025-09.csv'));
    copyFileSync(path.join(from, 'Detentions list 2025-09.csv'), path.join(dir, 'Detentions list (copy).csv'));
    return dir;
  }

  it('logs every loaded file, in order, with its counts', async () => {
    const report = await ingest(warehouse.connection, [twiceSaved()]);
    const log = await queryRows<{ file_name: string; rows_new: number; rows_unchanged: number }>(
      warehouse.connection,
      `SELECT file_name, rows_new, rows_unchanged FROM raw.import_log WHERE import_id = '${report.importId}' ORDER BY rowid`,
    );
    expect(log.map((l) => l.file_name)).toEqual(report.files.map((f) => f.fileName));
    expect(log.map((l) => [l.rows_new, l.rows_unchanged])).toEqual(report.files.map((f) => [f.rowsNew, f.rowsUnchanged]));
    // The second copy changes nothing: its rows are the first's.
    expect(report.files.map((f) => f.fileName)).toEqual(['students.csv', 'Detentions list (copy).csv', 'Detentions list 2025-09.csv']);
    expect(report.files[2].rowsNew).toBe(0);
    expect(report.files[2].rowsUnchanged).toBe(report.files[1].rowsLoaded);
  });

  it('with skipImported, a file whose content an earlier file of the same import had is skipped, as one imported before', async () => {
    const report = await ingest(warehouse.connection, [twiceSaved()], { skipImported: true });
    expect(report.files.map((f) => f.fileName)).toEqual(['students.csv', 'Detentions list (copy).csv']);
    expect(report.skipped.map((s) => [s.fileName, s.recordType])).toEqual([['Detentions list 2025-09.csv', 'detentions']]);
    expect(report.skipped[0].importedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    // And the next import skips all three.
    const again = await ingest(warehouse.connection, [twiceSaved()], { skipImported: true });
    expect(again.files).toEqual([]);
    expect(again.skipped).toHaveLength(3);
  });

  it('a skipped file whose earlier import rejected rows says so, and how to load them once fixed', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-log-')), 'school');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'students.csv'), 'student_id,year_group,gender\nP1,9,F\nP2,9,U\n');
    writeFileSync(path.join(dir, 'behaviour.csv'), 'event_id,student_id,date,category\nB1,P1,2025-09-08,Disruption\nB2,P2,2025-09-08,Uniform\nB3,P2,2025-09-09,Effort\n');
    const first = await ingest(warehouse.connection, [dir], { skipImported: true });
    expect(first.files.map((f) => [f.fileName, f.rowsRejected])).toEqual([['students.csv', 1], ['behaviour.csv', 2]]);
    // The pupil's row is fixed; behaviour.csv is the same export, so it is skipped (by design).
    writeFileSync(path.join(dir, 'students.csv'), 'student_id,year_group,gender\nP1,9,F\nP2,9,X\n');
    const second = await ingest(warehouse.connection, [dir], { skipImported: true });
    expect(second.files.map((f) => f.fileName)).toEqual(['students.csv']);
    expect(second.skipped.map((s) => [s.fileName, s.rejectedBefore, s.rejectedIn])).toEqual([['behaviour.csv', 2, first.importId]]);
    const line = skippedLine(second.skipped[0], 'my school/pastoral.duckdb');
    expect(line).toContain(
      `, same content; that import rejected 2 rows (listed in rejects-${first.importId}.csv and raw.rejects), ` +
        "still not loaded: once their cause is fixed (e.g. the pupils' rows in students.csv), load them with: " +
        `pastoral ingest ${dir} --db "my school/pastoral.duckdb"`,
    );
    expect(line.endsWith('"my school/pastoral.duckdb"')).toBe(true);
    // A file whose earlier import rejected nothing says only that it was skipped.
    const third = await ingest(warehouse.connection, [dir], { skipImported: true });
    const students = third.skipped.find((s) => s.fileName === 'students.csv');
    expect(students?.rejectedBefore).toBe(0);
    expect(skippedLine(students as NonNullable<typeof students>).endsWith('SKIPPED: imported before (' + students?.importedAt + '), same content')).toBe(true);
  });
});
