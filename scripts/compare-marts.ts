/**
 * `npx tsx scripts/compare-marts.ts BEFORE.duckdb AFTER.duckdb [model…]`: are the models of two
 * warehouses identical, row for row? For checking that a faster model gives the same marts:
 * build the models on a copy of the warehouse before the change and after it, then compare.
 * Exit 0 when identical, 1 when anything differs (each difference printed).
 */
import { compareWarehouses } from '../src/models/compare-warehouses.ts';
import { withWarehouse } from '../src/warehouse/warehouse.ts';

const [before, after, ...names] = process.argv.slice(2);
if (!before || !after) {
  process.stderr.write('usage: npx tsx scripts/compare-marts.ts BEFORE.duckdb AFTER.duckdb [model…]\n');
  process.exit(2);
}
const result = await withWarehouse(before, (c) => compareWarehouses(c, after, { names: names.length > 0 ? names : undefined }), { readOnly: true });
for (const d of result.differences) process.stdout.write(`DIFFERS ${d.name}: ${d.reason}\n`);
process.stdout.write(`${result.compared.length - result.differences.length} of ${result.compared.length} relations identical\n`);
process.exit(result.differences.length > 0 ? 1 : 0);
