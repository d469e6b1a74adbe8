import { openWarehouse, type OpenOptions, type Warehouse } from '../src/warehouse/warehouse.ts';

/**
 * The warehouse the benches' yardstick (a plain DuckDB `read_csv` of the exports into tables)
 * writes to: openWarehouse's memory limit, temporary folder and threads, but storage as DuckDB
 * has it out of the box. openWarehouse writes text without FSST (session 28,
 * docs/performance.md): that is the pipeline's setting, and the yardstick would move with it.
 */
export async function openPlainWarehouse(dbPath: string, options: OpenOptions = {}): Promise<Warehouse> {
  const warehouse = await openWarehouse(dbPath, options);
  await warehouse.connection.run('RESET disabled_compression_methods');
  return warehouse;
}
