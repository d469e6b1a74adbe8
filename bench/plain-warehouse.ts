import { openWarehouse, type OpenOptions, type Warehouse } from '../src/warehouse/warehouse.ts';

/**
 * The warehouse the benches' yardstick (a plain DuckDB `read_csv` of the exports into tables)
 * writes to: openWarehouse's memory limit, temporary folder and threads, but storage as DuckDB
 * has it out of the box: its default file format (0.10.2) and compression. openWarehouse writes
 * text without FSST (session 28) and new files in the 1.5 format (session 45,
 * docs/performance.md): those are the pipeline's settings, and the yardstick would move with them.
 */
export async function openPlainWarehouse(dbPath: string, options: OpenOptions = {}): Promise<Warehouse> {
  const warehouse = await openWarehouse(dbPath, { ...options, storageVersion: null });
  await warehouse.connection.run('RESET disabled_compression_methods');
  return warehouse;
}
