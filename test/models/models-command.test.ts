// The model runner reads raw.* but does not create it (the loaders own the raw schema):
// `pastoral models` creates the empty raw layer first, so it still works on a warehouse
// nothing was imported into.
import { describe, expect, it } from 'vitest';
import { modelsCmd } from '../../src/cli/commands/models.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { tempDbPath } from '../helpers/warehouse.ts';

describe('pastoral models on an empty warehouse', () => {
  it('creates the raw layer, builds every model and passes the data tests', async () => {
    const db = tempDbPath();
    expect(await modelsCmd.run(['--db', db, '--quiet'])).toBe(0);
    const [{ n }] = await withWarehouse(db, (c) => queryRows<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'raw'"));
    expect(n).toBeGreaterThan(0);
    const [marts] = await withWarehouse(db, (c) => queryRows<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name LIKE 'mart\\_%' ESCAPE '\\'"));
    expect(marts.n).toBeGreaterThan(0);
  });
});
