// Regenerates docs/marts.md and src/warehouse/mart-types.generated.ts: builds the models on
// the tiny fixture school in a temporary warehouse, then describes every mart.
// Run: npm run docs:marts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMartsDoc, renderMartTypes } from '../src/models/marts-doc.ts';
import { modelledExports } from '../test/helpers/school-builder.ts';
import { fixture } from '../test/helpers/warehouse.ts';

const warehouse = await modelledExports([fixture('tiny-school')]);
try {
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
