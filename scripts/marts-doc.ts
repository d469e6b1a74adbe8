// Regenerates docs/marts.md: builds the models on the tiny fixture school in a temporary
// warehouse and writes each mart's definition and columns. Run: npm run docs:marts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ingest } from '../data-loaders/ingest.ts';
import { renderMartsDoc } from '../src/models/marts-doc.ts';
import { runModels } from '../src/models/run-models.ts';
import { openWarehouse } from '../src/warehouse/warehouse.ts';
import { tempDbPath, fixture } from '../test/helpers/warehouse.ts';

const warehouse = await openWarehouse(tempDbPath());
try {
  await ingest(warehouse.connection, [fixture('tiny-school')]);
  await runModels(warehouse.connection);
  const out = fileURLToPath(new URL('../docs/marts.md', import.meta.url));
  writeFileSync(out, await renderMartsDoc(warehouse.connection));
  console.log(`wrote ${out}`);
} finally {
  warehouse.close();
}
