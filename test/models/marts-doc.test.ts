import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { renderMartsDoc } from '../../src/models/marts-doc.ts';
import { runModels } from '../../src/models/run-models.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { fixture, openTempWarehouse } from '../helpers/warehouse.ts';

describe('docs/marts.md', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    await ingest(warehouse.connection, [fixture('tiny-school')]);
    await runModels(warehouse.connection);
  });
  afterAll(() => warehouse.close());

  it('lists every mart with its definition and exactly the columns it builds (run npm run docs:marts to update)', async () => {
    const committed = readFileSync(fileURLToPath(new URL('../../docs/marts.md', import.meta.url)), 'utf-8');
    expect(committed).toBe(await renderMartsDoc(warehouse.connection));
  });
});
