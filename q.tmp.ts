import { withWarehouse, queryRows } from './src/warehouse/warehouse.ts';
await withWarehouse(process.argv[2], async (c) => {
  console.log(await queryRows(c, process.argv[3]));
});
