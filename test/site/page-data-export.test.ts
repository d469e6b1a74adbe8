/**
 * The page-data export (src/site/page-data-export.ts): every loader of a site root run in one
 * child process with one warehouse connection, each output written into Framework's loader
 * cache (fresher than its loader, so Framework runs none), parts beside it for buildSite to
 * publish; the same loader run alone writes its archive to stdout (nanotar); a failing loader
 * stops the export with its own reason and its name.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tableFromIPC } from '../../src/commonjs/apache-arrow.ts';
import { parseTar } from 'nanotar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportGroups, exportPageData, loaderOrder } from '../../src/site/page-data-export.ts';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const helper = (file: string) => JSON.stringify(pathToFileURL(path.join(repo, 'src', 'page-data', file)).href);
const rowsOf = (bytes: Uint8Array) => JSON.parse(JSON.stringify(tableFromIPC(bytes).toArray().map((r) => r.toJSON())));

/** A one-file loader and an archive loader of parts, reading the table `t`. */
const ONE = `import { queryMart, runLoader } from ${helper('mart-export.ts')};
import { writeArrow } from ${helper('arrow-file.ts')};
await runLoader(async () => {
  await writeArrow(await queryMart('SELECT school_id, sum(n)::INTEGER AS n FROM t GROUP BY 1 ORDER BY 1'), ['school_id', 'n']);
});
`;
const MANY = `import { emitArchive, queryMart, runLoader } from ${helper('mart-export.ts')};
import { arrowFile } from ${helper('arrow-file.ts')};
import { partitionedMembers } from ${helper('page-parts.ts')};
await runLoader(async () => {
  const rows = await queryMart('SELECT school_id, academic_year, n FROM t ORDER BY 1, 2, 3');
  await emitArchive([{ name: 'all.arrow', data: arrowFile(rows, ['school_id', 'n']) }, ...partitionedMembers(rows, ['school_id', 'academic_year', 'n'], ['school_id', 'academic_year'])]);
});
`;
const BAD = `import { queryMart, runLoader } from ${helper('mart-export.ts')};
await runLoader(async () => { await queryMart('SELECT * FROM mart_that_is_not_there'); });
`;

describe('page-data export', () => {
  let dir: string;
  let db: string;
  let root: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-page-data-'));
    db = path.join(dir, 'w.duckdb');
    await withWarehouse(db, async (c) => {
      await c.run(`CREATE TABLE t AS SELECT * FROM (VALUES ('A', '2024/25', 1), ('A', '2025/26', 2), ('A', '2025/26', 3), ('B', '2025/26', 4)) v(school_id, academic_year, n)`);
    });
    root = path.join(dir, 'site');
    mkdirSync(path.join(root, 'data'), { recursive: true });
    // ES modules, as in the repository (top-level await in the loaders).
    writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n');
    writeFileSync(path.join(root, 'data', 'one.arrow.ts'), ONE);
    writeFileSync(path.join(root, 'data', 'many.tar.ts'), MANY);
    // The page names many's index before one: the export follows the pages' order.
    writeFileSync(path.join(root, 'page.md'), '```js\nconst a = FileAttachment("data/many/index.arrow");\nconst b = FileAttachment("./data/one.arrow");\n```\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the loaders in the order the pages name them', () => {
    writeFileSync(path.join(root, 'data', 'zzz.arrow.ts'), ONE);
    try {
      expect(loaderOrder(root)).toEqual(['many.tar.ts', 'one.arrow.ts', 'zzz.arrow.ts']);
    } finally {
      rmSync(path.join(root, 'data', 'zzz.arrow.ts'));
    }
  });

  it('writes every output into the loader cache, fresher than its loader, and the parts beside it', async () => {
    const summary = await exportPageData({ root, dbPath: db, audience: 'staff' });
    expect(summary.loaders.map((l) => l.name)).toEqual(['many.tar', 'one.arrow']);
    const cache = path.join(root, '.observablehq', 'cache');
    const one = path.join(cache, 'data', 'one.arrow');
    expect(rowsOf(readFileSync(one))).toEqual([{ school_id: 'A', n: 6 }, { school_id: 'B', n: 4 }]);
    // Framework's rule: a cached output at least as new as its loader is used, not re-run.
    expect(statSync(one).mtimeMs).toBeGreaterThanOrEqual(statSync(path.join(root, 'data', 'one.arrow.ts')).mtimeMs);
    expect(rowsOf(readFileSync(path.join(cache, 'data', 'many', 'all.arrow')))).toHaveLength(4);
    // The index lists one part per school and year; each part holds its rows and sits in _parts.
    const index = rowsOf(readFileSync(path.join(cache, 'data', 'many', 'index.arrow')));
    expect(index.map((d: Record<string, unknown>) => [d.school_id, d.academic_year, d.rows])).toEqual([['A', '2024/25', 1], ['A', '2025/26', 2], ['B', '2025/26', 1]]);
    for (const part of index) {
      expect(part.file).toMatch(/^(2024-25|2025-26)\.[0-9a-f]{12}\.arrow$/);
      const bytes = readFileSync(path.join(cache, '_parts', 'data', 'many', part.file));
      expect(bytes.length).toBe(part.bytes);
      const rows = rowsOf(bytes);
      expect(rows.every((r: Record<string, unknown>) => r.school_id === part.school_id && r.academic_year === part.academic_year)).toBe(true);
      expect(rows).toHaveLength(part.rows);
    }
    const many = summary.loaders.find((l) => l.name === 'many.tar')!;
    // Each loader's CPU seconds: its own share of its process's (it ran a query and encoded parts).
    expect(many.cpuSeconds).toBeGreaterThan(0);
    expect(summary.loaders.reduce((n, l) => n + l.cpuSeconds, 0)).toBeLessThanOrEqual((summary.processes ?? []).reduce((n, p) => n + p.cpuSeconds, 0));
    expect(many.files.filter((f) => f.part).map((f) => f.file).sort()).toEqual(index.map((d: Record<string, string>) => `many/${d.file}`).sort());
  });

  it('writes the same archive to stdout (nanotar) when the loader runs alone, as observable preview runs it', () => {
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const run = spawnSync(process.execPath, [tsx, path.join(root, 'data', 'many.tar.ts')], { env: { ...process.env, PASTORAL_DB: db }, maxBuffer: 1 << 24 });
    expect(run.stderr.toString()).toBe('');
    expect(run.status).toBe(0);
    const members = parseTar(new Uint8Array(run.stdout));
    const cache = path.join(root, '.observablehq', 'cache');
    expect(members.map((m) => m.name)).toEqual(['all.arrow', 'index.arrow', ...rowsOf(readFileSync(path.join(cache, 'data', 'many', 'index.arrow'))).map((d: Record<string, string>) => d.file)]);
    expect(Buffer.from(members[1].data!)).toEqual(readFileSync(path.join(cache, 'data', 'many', 'index.arrow')));
  });

  it('exports the pupil timelines in a process of their own, beside the rest, and lists every loader in the pages\' order', async () => {
    writeFileSync(path.join(root, 'data', 'pupil-detail.tar.ts'), MANY);
    try {
      expect(exportGroups(root)).toEqual([['many.tar.ts', 'one.arrow.ts'], ['pupil-detail.tar.ts']]);
      const summary = await exportPageData({ root, dbPath: db, audience: 'staff' });
      expect(summary.loaders.map((l) => l.name)).toEqual(['many.tar', 'one.arrow', 'pupil-detail.tar']);
      const cache = path.join(root, '.observablehq', 'cache', 'data');
      expect(readFileSync(path.join(cache, 'pupil-detail', 'index.arrow'))).toEqual(readFileSync(path.join(cache, 'many', 'index.arrow')));
      // A failure in either process stops the export, named by the loader that fails.
      writeFileSync(path.join(root, 'data', 'pupil-detail.tar.ts'), BAD);
      await expect(exportPageData({ root, dbPath: db, audience: 'staff' })).rejects.toThrow(/^data loader failed: .* \(data\/pupil-detail\.tar\.ts\)$/);
    } finally {
      rmSync(path.join(root, 'data', 'pupil-detail.tar.ts'));
    }
  });

  it("stops at a loader that fails, with the loader's own reason and its name", async () => {
    writeFileSync(path.join(root, 'data', 'bad.arrow.ts'), BAD);
    try {
      await expect(exportPageData({ root, dbPath: db, audience: 'staff' })).rejects.toThrow(
        /^data loader failed: Catalog Error: Table with name mart_that_is_not_there does not exist.* \(data\/bad\.arrow\.ts\)$/,
      );
    } finally {
      rmSync(path.join(root, 'data', 'bad.arrow.ts'));
    }
  });
});
