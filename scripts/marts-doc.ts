// Regenerates docs/marts.md and src/warehouse/mart-types.generated.ts: builds the models on
// the tiny fixture school in a temporary warehouse, then describes every mart.
// Run: npm run docs:marts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ingest } from '../data-loaders/ingest.ts';
import { renderMartsDoc, renderMartTypes } from '../src/models/marts-doc.ts';
import { runModels } from '../src/models/run-models.ts';
import { openWarehouse } from '../src/warehouse/warehouse.ts';
import { fixture, tempDbPath } from '../test/helpers/warehouse.ts';

const warehouse = await openWarehouse(tempDbPath());
try {
  await ingest(warehouse.connection, [fixture('tiny-school')]);
  await runModels(warehouse.connection);
  for (const [file, render] of [
    ['../docs/marts.md', renderMartsDoc],
    ['../src/warehouse/mart-types.generated.ts', renderMartTypes],
  ] as const) {
    const out = fileURLToPath(new URL(file, import.meta.url));
    writeFileSync(out, await render(warehouse.connection));
    console.log(`wrote ${out}`);
  }
} finally {
  warehouse.close();
}
