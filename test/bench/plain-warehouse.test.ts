// The benches' yardstick writes as DuckDB does out of the box, not with openWarehouse's storage
// settings (text without FSST, a new file in the 1.5 format: test/warehouse/open-warehouse.test.ts):
// a change to the pipeline's storage must not move the yardstick.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPlainWarehouse } from '../../bench/plain-warehouse.ts';
import { queryRows } from '../../src/warehouse/warehouse.ts';

/** How a new plain warehouse stores the text of `select` (one column, t): its compressions. */
async function plainTextCompression(select: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-plain-'));
  const plain = await openPlainWarehouse(path.join(dir, 'plain.duckdb'));
  try {
    await plain.connection.run(`CREATE TABLE t AS ${select}`);
    await plain.connection.run('CHECKPOINT');
    const rows = await queryRows<{ compression: string }>(plain.connection, "SELECT DISTINCT compression FROM pragma_storage_info('t') WHERE segment_type = 'VARCHAR'");
    return rows.map((r) => r.compression);
  } finally {
    plain.close();
  }
}

describe('openPlainWarehouse', () => {
  it("writes comment-like text (every value different) as DuckDB's default does: FSST", async () => {
    expect(await plainTextCompression("SELECT 'Called out in lesson ' || i || ', then left the room without permission' AS t FROM range(100000) r(i)")).toContain('FSST');
  });

  it("creates its file in DuckDB's default format (0.10.2): low-cardinality text as Dictionary, not DICT_FSST", async () => {
    expect(await plainTextCompression("SELECT 'Year ' || (7 + i % 5) AS t FROM range(300000) r(i)")).toEqual(['Dictionary']);
  });
});
