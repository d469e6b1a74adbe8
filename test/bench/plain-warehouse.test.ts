// The benches' yardstick writes as DuckDB does out of the box, not with openWarehouse's storage
// settings (text without FSST, a new file in the 1.5 format: test/warehouse/open-warehouse.test.ts):
// a change to the pipeline's storage must not move the yardstick.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPlainWarehouse } from '../../bench/plain-warehouse.ts';
import { queryRows } from '../../src/warehouse/warehouse.ts';

describe('openPlainWarehouse', () => {
  it("writes comment-like text (every value different) as DuckDB's default does: FSST", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-plain-'));
    const plain = await openPlainWarehouse(path.join(dir, 'plain.duckdb'));
    try {
      await plain.connection.run("CREATE TABLE t AS SELECT 'Called out in lesson ' || i || ', then left the room without permission' AS t FROM range(100000) r(i)");
      await plain.connection.run('CHECKPOINT');
      const rows = await queryRows<{ compression: string }>(plain.connection, "SELECT DISTINCT compression FROM pragma_storage_info('t') WHERE segment_type = 'VARCHAR'");
      expect(rows.map((r) => r.compression)).toContain('FSST');
    } finally {
      plain.close();
    }
  });

  it("creates its file in DuckDB's default format (0.10.2): low-cardinality text as Dictionary, not DICT_FSST", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-plain-'));
    const plain = await openPlainWarehouse(path.join(dir, 'plain.duckdb'));
    try {
      await plain.connection.run("CREATE TABLE t AS SELECT 'Year ' || (7 + i % 5) AS t FROM range(300000) r(i)");
      await plain.connection.run('CHECKPOINT');
      const rows = await queryRows<{ compression: string }>(plain.connection, "SELECT DISTINCT compression FROM pragma_storage_info('t') WHERE segment_type = 'VARCHAR'");
      expect(rows.map((r) => r.compression)).toEqual(['Dictionary']);
    } finally {
      plain.close();
    }
  });
});
