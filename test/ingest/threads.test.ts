import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { fixture, openTempWarehouse, rawSnapshot } from '../helpers/warehouse.ts';

const threadsNow = async (warehouse: Warehouse) =>
  (await queryRows<{ n: number }>(warehouse.connection, "SELECT current_setting('threads')::INTEGER AS n"))[0].n;

/**
 * Small files load on one DuckDB thread (ingest.ts, ONE_THREAD_BELOW_BYTES); the import hands the
 * warehouse back with the threads it had, whether it commits, is a check, or fails.
 */
describe('the threads an import loads small files on', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await openTempWarehouse();
    await warehouse.connection.run('SET threads = 3');
  });
  afterEach(() => warehouse.close());

  it('loads each small file on one thread, then puts the threads back', async () => {
    const during: number[] = [];
    const report = await ingest(warehouse.connection, [fixture('tiny-school')], { afterFile: async () => void during.push(await threadsNow(warehouse)) });
    expect(report.files.length).toBeGreaterThan(0);
    expect(during).toEqual(report.files.map(() => 1));
    expect(await threadsNow(warehouse)).toBe(3);
  });

  it('puts the threads back after a check (dry run) and after a failed import, which changes nothing', async () => {
    await ingest(warehouse.connection, [fixture('tiny-school')], { dryRun: true });
    expect(await threadsNow(warehouse)).toBe(3);
    const before = await rawSnapshot(warehouse.connection);
    await expect(
      ingest(warehouse.connection, [fixture('tiny-school')], {
        afterFile: () => {
          throw new Error('stopped');
        },
      }),
    ).rejects.toThrow('stopped');
    expect(await threadsNow(warehouse)).toBe(3);
    expect(await rawSnapshot(warehouse.connection)).toEqual(before);
  });
});
