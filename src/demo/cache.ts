/**
 * Generated demo exports kept by seed and size, so a benchmark (or a second `pastoral run`)
 * does not spend minutes regenerating a trust it generated yesterday. The key also holds a
 * hash of the generator's own source: change the generator and the old exports are not reused.
 * An entry is complete when its demo-manifest.json exists: exports are written to a temporary
 * folder beside it and renamed into place, so an interrupted run leaves no half entry.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemo, type DemoOptions } from './generate.ts';

export const DEFAULT_DEMO_CACHE = path.join('data', 'demo-cache');

const DEMO_SOURCE_DIR = path.dirname(fileURLToPath(import.meta.url));

/** A short hash of the demo generator's source files (src/demo/). */
export function generatorVersion(dir = DEMO_SOURCE_DIR): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).filter((f) => /\.(ts|mjs)$/.test(f)).sort()) {
    hash.update(file).update('\0').update(readFileSync(path.join(dir, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

export type CachedDemoOptions = Omit<DemoOptions, 'outDir'>;

/** The cache folder name for these options: seed, size and generator version. */
export function demoCacheKey(options: CachedDemoOptions): string {
  const pupils = options.pupils ?? 1200;
  const years = options.years ?? 1;
  const schools = options.schools ?? 1;
  const seed = options.seed ?? 1;
  const last = options.lastAcademicYear ?? 2025;
  return `seed${seed}-pupils${pupils}-years${years}-schools${schools}-last${last}-${generatorVersion()}`;
}

/**
 * The folder holding the demo exports for these options, generated only when the cache has no
 * complete copy. `generated` says whether this call wrote them.
 */
export async function cachedDemo(options: CachedDemoOptions, cacheDir = DEFAULT_DEMO_CACHE): Promise<{ dir: string; generated: boolean }> {
  const dir = path.resolve(cacheDir, demoCacheKey(options));
  if (existsSync(path.join(dir, 'demo-manifest.json'))) return { dir, generated: false };
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    await generateDemo({ ...options, outDir: partial });
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return { dir, generated: true };
}
