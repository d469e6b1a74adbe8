/**
 * A rebuild takes a part from the previous build only when the code that wrote it is the same
 * (src/page-data/code-fingerprint.ts). The modules it covers are the ones the loader reaches, found
 * by reading their imports: the timelines' loader reaches its worker thread and every page-data
 * module that shapes a part's bytes (a list kept by hand once missed one), and a change to any
 * reached module changes the fingerprint.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reachedModules } from '../../src/page-data/code-fingerprint.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rel = (files: readonly string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/'));

describe('the code fingerprint of a loader', () => {
  it("reaches the timelines' worker thread and the modules that shape a part's bytes", () => {
    const reached = rel(reachedModules(path.join(root, 'reports', 'data', 'pupil-detail.tar.ts')));
    for (const module of [
      'reports/data/pupil-detail.tar.ts',
      'src/page-data/query-parts.ts',
      'src/page-data/query-parts-worker.mjs',
      'src/page-data/chunk-arrow.ts',
      'src/page-data/duckdb-columns.ts',
      'src/page-data/arrow-file.ts',
      'src/page-data/arrow-ipc-file.ts',
      'src/page-data/page-parts.ts',
      'src/page-data/timeline-parts.ts',
      'src/page-data/year-inputs.ts',
      'src/page-data/timeline-reuse.ts',
    ]) {
      expect(reached).toContain(module);
    }
  });

  it('follows static, dynamic and worker imports, each module once, and no package', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-reached-'));
    try {
      writeFileSync(path.join(dir, 'a.ts'), `import { b } from './b.ts';\nimport x from 'apache-arrow';\nconst c = await import('./c.ts');\nnew Worker(new URL('./w.mjs', import.meta.url));\n`);
      writeFileSync(path.join(dir, 'b.ts'), `export { a } from './a.ts';\nexport const b = 1;\n`);
      writeFileSync(path.join(dir, 'c.ts'), `export const c = 1;\n`);
      writeFileSync(path.join(dir, 'w.mjs'), `import '../missing.mjs';\n`);
      writeFileSync(path.join(dir, 'unused.ts'), `export const u = 1;\n`);
      expect(reachedModules(path.join(dir, 'a.ts')).map((f) => path.basename(f))).toEqual(['a.ts', 'b.ts', 'c.ts', 'w.mjs']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
