import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
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
});
