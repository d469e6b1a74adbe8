// The raw layer's fingerprints (src/models/incremental.ts: rawChanges), on hand-made rows. They
// are summed per (school, date) before the year and week are named, so these check that a
// correction, a deletion and an addition still show up in the week they happened, two rows of one
// date changing in opposite ways still show, and that nothing shows when nothing changed. The rows
// are changed where they are stored (raw_rows.*, the school as a number): raw.* is a view of them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureRawSchema } from '../../data-loaders/raw-schema.ts';
import { ensureStateTables, keepModelHashes, keepRawFingerprints, rawChanges } from '../../src/models/incremental.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { insertRaw } from '../helpers/raw-rows.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

const TABLES = ['behaviour', 'students'];

describe('raw fingerprints', () => {
  let warehouse: Warehouse;
  const run = (sql: string) => warehouse.connection.run(sql);
  const event = (id: string, student: string, date: string, points: number) =>
    insertRaw(warehouse.connection, 'behaviour', `SELECT 's1' AS school_id, '${id}' AS event_id, '${student}' AS student_id, DATE '${date}' AS date, ${points} AS points`);
  /** What changed since the fingerprints were last kept; keeps the new ones, as a model run does. */
  const changes = async () => {
    const found = await rawChanges(warehouse.connection, TABLES);
    await keepRawFingerprints(warehouse.connection);
    return { known: found.known, tables: [...found.changedTables].sort(), touched: Object.fromEntries(found.touched), behaviour: Object.fromEntries([...(found.tableExtents.get('behaviour') ?? new Map())].map(([s, y]) => [s, Object.fromEntries(y)])) };
  };

  beforeEach(async () => {
    warehouse = await openTempWarehouse();
    await ensureRawSchema(warehouse.connection);
    await ensureStateTables(warehouse.connection);
    await keepModelHashes(warehouse.connection, new Map([['m', 'h']]));
    await insertRaw(warehouse.connection, 'students', `SELECT 's1' AS school_id, 'P1' AS student_id, '2025/26' AS academic_year`);
    await event('E1', 'P1', '2025-09-08', 1);
    await event('E2', 'P1', '2026-03-02', 2);
    await event('E3', 'P1', '2026-03-04', 3);
    await event('E4', 'P1', '2026-06-10', 4);
    expect((await changes()).known).toBe(false);
  });
  afterEach(() => warehouse?.close());

  it('sees nothing when nothing changed', async () => {
    expect(await changes()).toEqual({ known: true, tables: [], touched: {}, behaviour: {} });
  });

  it('sees a corrected row from its week on, and a deleted one from its week', async () => {
    await run(`UPDATE raw_rows.behaviour SET points = 5 WHERE event_id = 'E3'`);
    expect(await changes()).toEqual({ known: true, tables: ['behaviour'], touched: { s1: ['2025/26'] }, behaviour: { s1: { '2025/26': '2026-03-02' } } });
    await run(`DELETE FROM raw_rows.behaviour WHERE event_id = 'E4'`);
    expect(await changes()).toEqual({ known: true, tables: ['behaviour'], touched: { s1: ['2025/26'] }, behaviour: { s1: { '2025/26': '2026-06-08' } } });
  });

  it('sees two rows of one date swapping a value (the count and one of the sums alike), and a row moved to another date', async () => {
    await event('E5', 'P1', '2026-03-04', 7);
    await changes();
    await run(`UPDATE raw_rows.behaviour SET points = CASE event_id WHEN 'E3' THEN 7 ELSE 3 END WHERE event_id IN ('E3', 'E5')`);
    expect((await changes()).behaviour).toEqual({ s1: { '2025/26': '2026-03-02' } });
    await run(`UPDATE raw_rows.behaviour SET date = DATE '2026-03-05' WHERE event_id = 'E3'`);
    expect((await changes()).behaviour).toEqual({ s1: { '2025/26': '2026-03-02' } });
  });

  it('sees a row of an older year touch every year of the school, a pupil of the latest year that year alone', async () => {
    await event('E0', 'P1', '2025-06-02', 1);
    expect((await changes()).touched).toEqual({ s1: ['2024/25', '2025/26'] });
    await run(`UPDATE raw_rows.students SET year_group = 9`);
    const pupil = await changes();
    expect(pupil.tables).toEqual(['students']);
    expect(pupil.touched).toEqual({ s1: ['2025/26'] });
  });
});
