import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED, generatedBlock } from '../../data-loaders/docs.ts';
import { PROFILES } from '../../data-loaders/profiles/index.ts';

describe('docs/data-contract.md and docs/vendor-profiles.md stay true', () => {
  it.each(GENERATED.map((d) => [d.name, d] as const))('the %s reference matches the code (else: npx tsx data-loaders/docs.ts --write)', (_name, doc) => {
    expect(generatedBlock(readFileSync(doc.file, 'utf-8'), doc.name)).toBe(doc.render().trim());
  });

  it('every profile cites a source in its file header, has a fixture and is documented', () => {
    const docs = readFileSync(GENERATED[1].file, 'utf-8');
    for (const p of PROFILES) {
      const source = readFileSync(new URL(`../../data-loaders/profiles/${p.name}.ts`, import.meta.url), 'utf-8');
      expect(source.startsWith('/**'), `${p.name}.ts starts with its sources`).toBe(true);
      expect(p.sources.length).toBeGreaterThan(0);
      for (const s of p.sources.filter((x) => x.startsWith('http'))) expect(source).toContain(s);
      expect(readFileSync(new URL(`../fixtures/profiles/${p.name}/students.csv`, import.meta.url), 'utf-8')).toContain('student_id');
      expect(docs).toContain(`### ${p.name}`);
    }
  });
});
