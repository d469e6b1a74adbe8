/**
 * Generating schools in worker threads gives the same bytes as one thread, and the cache of
 * generated exports is keyed by seed and size and reused only when complete.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedDemo, demoCacheKey } from '../../src/demo/cache.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { FILE_NAMES } from '../../src/demo/write-csv.ts';

const temp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

/** Every file under dir, relative path → content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, 'utf-8');
    }
  };
  walk(dir);
  return out;
}

describe('demo schools in worker threads', () => {
  it('writes the same bytes as one thread, schools in order', async () => {
    const one = temp('pp-demo-w1-');
    const two = temp('pp-demo-w2-');
    const a = await generateDemo({ outDir: one, pupils: 60, schools: 3, seed: 4, workers: 1 });
    const b = await generateDemo({ outDir: two, pupils: 60, schools: 3, seed: 4, workers: 2 });
    expect(b.schools.map((s) => s.schoolId)).toEqual(['DEMO1', 'DEMO2', 'DEMO3']);
    expect(b).toEqual(a);
    const files = tree(one);
    expect(Object.keys(files).length).toBe(3 * FILE_NAMES.length + 1); // each school's canonical files + demo-manifest.json
    expect(tree(two)).toEqual(files);
  }, 300_000);
});

describe('cachedDemo', () => {
  it('generates once, then reuses the same folder; the exports are what generateDemo writes', async () => {
    const cache = temp('pp-demo-cache-');
    const first = await cachedDemo({ pupils: 60, seed: 9 }, cache);
    expect(first.generated).toBe(true);
    const again = await cachedDemo({ pupils: 60, seed: 9 }, cache);
    expect(again).toEqual({ dir: first.dir, generated: false });
    const direct = temp('pp-demo-direct-');
    await generateDemo({ outDir: direct, pupils: 60, seed: 9 });
    expect(tree(first.dir)).toEqual(tree(direct));
    expect(readdirSync(cache)).toEqual([path.basename(first.dir)]);
  }, 300_000);

  it('keys by seed and size', () => {
    const base = demoCacheKey({ pupils: 60, seed: 9 });
    expect(base).toMatch(/^seed9-pupils60-years1-schools1-last2025-[0-9a-f]{12}$/);
    for (const other of [{ pupils: 61, seed: 9 }, { pupils: 60, seed: 8 }, { pupils: 60, seed: 9, years: 2 }, { pupils: 60, seed: 9, schools: 2 }]) {
      expect(demoCacheKey(other)).not.toBe(base);
    }
  });

  it('does not reuse a folder left without its manifest (an interrupted run)', async () => {
    const cache = temp('pp-demo-cache-');
    const dir = path.join(cache, demoCacheKey({ pupils: 60, seed: 3 }));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'students.csv'), 'half a file');
    const result = await cachedDemo({ pupils: 60, seed: 3 }, cache);
    expect(result.generated).toBe(true);
    expect(readFileSync(path.join(dir, 'students.csv'), 'utf-8')).toMatch(/^student_id,upn,/);
    expect(readdirSync(dir)).toContain('demo-manifest.json');
  }, 300_000);
});
