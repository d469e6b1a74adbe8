import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { readModels } from '../../src/models/model-files.ts';
import { runModels } from '../../src/models/run-models.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from './warehouse.ts';

/**
 * The models of `warehouse` (brought up to date incrementally) whose rows differ from a full
 * build of the same exports in a fresh warehouse, `load` importing them there: none, when
 * incremental = full. Every model is compared, row for row.
 */
export async function differencesFromFullBuild(warehouse: Warehouse, load: (reference: Warehouse) => Promise<void>): Promise<string[]> {
  const reference = await openTempWarehouse();
  try {
    await load(reference);
    await runModels(reference.connection, { full: true });
    const names = readModels().map((m) => m.name);
    const same = await compareWarehouses(warehouse.connection, reference.path, { names });
    if (same.compared.length !== names.length) throw new Error(`compared ${same.compared.length} of ${names.length} models`);
    return same.differences.map((d) => `${d.name}: ${d.reason}`);
  } finally {
    reference.close();
  }
}
