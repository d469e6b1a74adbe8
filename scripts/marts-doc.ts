// Regenerates docs/marts.md and src/warehouse/mart-types.generated.ts: builds the models on
// the tiny fixture school in a temporary warehouse, then describes every mart.
// Run: npm run docs:marts
// (It uses the parts themselves, not test/helpers: nothing outside test/ imports test code.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../data-loaders/ingest.ts';
import { renderMartsDoc, renderMartTypes } from '../src/models/marts-doc.ts';
import { runModels } from '../src/models/run-models.ts';
import { openWarehouse } from '../src/warehouse/warehouse.ts';

const tinySchool = fileURLToPath(new URL('../test/fixtures/tiny-school/', import.meta.url));
const warehouse = await openWarehouse(path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-marts-doc-')), 'marts.duckdb'));
try {
  const imported = await ingest(warehouse.connection, [tinySchool]);
  const rejects = imported.files.flatMap((f) => f.rejects);
  if (rejects.length > 0 || imported.stopped.length > 0) throw new Error(`fixture rejected: ${JSON.stringify([...rejects, ...imported.stopped])}`);
  const models = await runModels(warehouse.connection);
  if (models.failures.length > 0) throw new Error(`data tests failed: ${JSON.stringify(models.failures)}`);
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
