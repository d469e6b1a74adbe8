import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMartsDoc, renderMartTypes } from '../../src/models/marts-doc.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { modelledExports } from '../helpers/school-builder.ts';
import { fixture } from '../helpers/warehouse.ts';

const committed = (file: string) => readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf-8');

describe('generated mart documentation and types (run npm run docs:marts to update)', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await modelledExports([fixture('tiny-school')]);
  });
  afterAll(() => warehouse?.close());

  it('docs/marts.md lists every mart with its definition and exactly the columns it builds', async () => {
    expect(committed('../../docs/marts.md')).toBe(await renderMartsDoc(warehouse.connection));
  });

  it('src/warehouse/mart-types.generated.ts types exactly those columns', async () => {
    expect(committed('../../src/warehouse/mart-types.generated.ts')).toBe(await renderMartTypes(warehouse.connection));
  });
});
