// compareWarehouses (src/models/compare-warehouses.ts) on hand-made relations: row for row, and
// with `fingerprintFirst` (the bench's: a row count and the sum and xor of a hash per row, row for
// row only where those differ). Each case is a relation holding rows that differ in one way a
// broken incremental build could make them differ; both ways must find the same differences.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { openWarehouse, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { tempDbPath } from '../helpers/warehouse.ts';

/** Each relation's rows in the base warehouse and in the other, as a VALUES list (columns a, b, c). */
const CASES: Record<string, { base: string; other: string }> = {
  same: { base: `(1, 'x', 1.5), (2, NULL, NULL)`, other: `(2, NULL, NULL), (1, 'x', 1.5)` },
  one_value_changed: { base: `(1, 'x', 1.5), (2, 'y', 2.5)`, other: `(1, 'x', 1.5), (2, 'z', 2.5)` },
  // An xor alone would miss this: two equal rows cancel out.
  duplicate_for_distinct: { base: `(1, 'x', 1.5), (1, 'x', 1.5)`, other: `(1, 'x', 1.5), (3, 'w', 0.5)` },
  row_repeated: { base: `(1, 'x', 1.5), (1, 'x', 1.5), (2, 'y', 2.5)`, other: `(1, 'x', 1.5), (2, 'y', 2.5)` },
  row_missing: { base: `(1, 'x', 1.5), (2, 'y', 2.5)`, other: `(1, 'x', 1.5)` },
  null_for_value: { base: `(1, 'x', 1.5)`, other: `(1, NULL, 1.5)` },
  // The same values in other columns (a hash of the row's values as a set would miss it).
  values_swapped: { base: `(1, '2', 1.5), (2, '1', 1.5)`, other: `(2, '2', 1.5), (1, '1', 1.5)` },
  // Within 9 decimal places: a parallel sum's last bits, not a difference.
  float_last_bits: { base: `(1, 'x', 0.1::DOUBLE + 0.2::DOUBLE)`, other: `(1, 'x', 0.3::DOUBLE)` },
  float_changed: { base: `(1, 'x', 0.30001)`, other: `(1, 'x', 0.3)` },
};

const EXPECTED = {
  same: null,
  one_value_changed: '1 row(s) only in the first, 1 only in the second',
  duplicate_for_distinct: '1 row(s) only in the first, 1 only in the second',
  row_repeated: '1 row(s) only in the first, 0 only in the second',
  row_missing: '1 row(s) only in the first, 0 only in the second',
  null_for_value: '1 row(s) only in the first, 1 only in the second',
  values_swapped: '2 row(s) only in the first, 2 only in the second',
  float_last_bits: null,
  float_changed: '1 row(s) only in the first, 1 only in the second',
};

describe('compareWarehouses', () => {
  let base: Warehouse;
  const otherPath = tempDbPath();

  beforeAll(async () => {
    const other = await openWarehouse(otherPath);
    base = await openWarehouse(tempDbPath());
    try {
      for (const [name, rows] of Object.entries(CASES)) {
        const create = (values: string) => `CREATE TABLE ${name} AS SELECT a::INTEGER AS a, b::VARCHAR AS b, c::DOUBLE AS c FROM (VALUES ${values}) AS t(a, b, c)`;
        await base.connection.run(create(rows.base));
        await other.connection.run(create(rows.other));
      }
      // Same rows, columns of another type: not compared row for row.
      await base.connection.run(`CREATE TABLE other_type AS SELECT 1::INTEGER AS a`);
      await other.connection.run(`CREATE TABLE other_type AS SELECT 1::BIGINT AS a`);
    } finally {
      other.close();
    }
  });
  afterAll(() => base?.close());

  for (const fingerprintFirst of [false, true]) {
    it(`finds each difference ${fingerprintFirst ? 'by fingerprint first' : 'row for row'}`, async () => {
      const names = [...Object.keys(CASES), 'other_type'];
      const { compared, differences } = await compareWarehouses(base.connection, otherPath, { names, fingerprintFirst });
      expect(compared).toEqual(names);
      const found = Object.fromEntries(differences.map((d) => [d.name, d.reason]));
      for (const [name, reason] of Object.entries(EXPECTED)) expect([name, found[name] ?? null]).toEqual([name, reason]);
      expect(found.other_type).toBe('columns differ: (a INTEGER) vs (a BIGINT)');
      expect(differences).toHaveLength(Object.values(EXPECTED).filter((r) => r !== null).length + 1);
    });
  }
});
