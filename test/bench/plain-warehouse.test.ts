// The benches' yardstick writes as DuckDB does out of the box, not with openWarehouse's storage
// setting (text without FSST): a change to the pipeline's storage must not move the yardstick.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPlainWarehouse } from '../../bench/plain-warehouse.ts';
import { openWarehouse, queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';

/** The compression of a comment-like text column (every value different) once written. */
async function textCompression(warehouse: Warehouse): Promise<string[]> {
  await warehouse.connection.run("CREATE TABLE t AS SELECT 'Called out in lesson ' || i || ', then left the room without permission' AS t FROM range(100000) r(i)");
  await warehouse.connection.run('CHECKPOINT');
  const rows = await queryRows<{ compression: string }>(warehouse.connection, "SELECT DISTINCT compression FROM pragma_storage_info('t') WHERE segment_type = 'VARCHAR' ORDER BY 1");
  return rows.map((r) => r.compression);
}

describe('openPlainWarehouse', () => {
  it("writes text as DuckDB's default does (FSST here), where the pipeline's warehouse does not", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-plain-'));
    const plain = await openPlainWarehouse(path.join(dir, 'plain.duckdb'));
    const pipeline = await openWarehouse(path.join(dir, 'pipeline.duckdb'));
    try {
      expect(await textCompression(plain)).toContain('FSST');
      expect((await textCompression(pipeline)).some((c) => c.includes('FSST'))).toBe(false);
    } finally {
      plain.close();
      pipeline.close();
    }
  });
});
