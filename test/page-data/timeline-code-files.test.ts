/**
 * A rebuild reuses a timeline part only when the code that wrote it is the same
 * (src/page-data/timeline-reuse.ts, CODE_FILES in the code's fingerprint). A module that shapes a
 * part's bytes but is missing from that list would let a changed encoder keep stale parts: every
 * page-data module the timelines' loader and its worker reach must be listed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODE_FILES } from '../../src/page-data/timeline-reuse.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pageData = path.join(root, 'src', 'page-data');

/** Reached but not shaping a part: who the build is for (the reuse is off for every audience but staff). */
const NOT_SHAPING = new Set(['audience.ts']);

/** The repository's modules reached from `entries` by relative imports (static, dynamic, and a worker's `new URL`). */
function reached(entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from|import\(|new URL\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = path.resolve(path.dirname(file), match[1]);
      if (existsSync(target) && statSync(target).isFile()) todo.push(target);
    }
  }
  return seen;
}

describe("the timeline parts' code fingerprint", () => {
  it('lists every page-data module the loader and its worker thread reach', () => {
    const loader = path.join(root, 'reports', 'data', 'pupil-detail.tar.ts');
    const modules = reached([loader]);
    expect(modules.has(path.join(pageData, 'query-parts-worker.mjs'))).toBe(true);
    const listed = new Set(CODE_FILES.map((f) => path.resolve(pageData, f)));
    const missing = [...modules].filter((m) => (m === loader || path.dirname(m) === pageData) && !listed.has(m) && !NOT_SHAPING.has(path.basename(m)));
    expect(missing.map((m) => path.relative(root, m))).toEqual([]);
    // And nothing listed that is not there (a renamed module would make every fingerprint fail).
    for (const file of listed) expect(existsSync(file), path.relative(root, file)).toBe(true);
  });
});
