// openWarehouse(':memory:') opens DuckDB's in-memory database: nothing is written to the working
// folder (path.resolve used to turn it into a file named `:memory:` there). Run in a child
// process whose working folder is an empty temp folder, so a regression cannot litter the repo.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const warehouseModule = pathToFileURL(fileURLToPath(new URL('../../src/warehouse/warehouse.ts', import.meta.url))).href;
const tsx = fileURLToPath(import.meta.resolve('tsx/esm'));

/** Runs `body` (an async function body with `openWarehouse` in scope) with `cwd` as working folder; returns its stdout. */
function runIn(cwd: string, body: string): string {
  const script = `const { openWarehouse } = await import(${JSON.stringify(warehouseModule)});\n${body}\n`;
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(tsx).href, '--input-type=module', '-e', script], { cwd, encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

describe('openWarehouse', () => {
  it("':memory:' is an in-memory database: usable, and no file appears in the working folder", () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'pastoral-memory-'));
    const out = runIn(
      cwd,
      `const w = await openWarehouse(':memory:');
       await w.connection.run('create table t as select 41 + 1 as answer');
       const r = await w.connection.runAndReadAll('select answer from t');
       process.stdout.write(JSON.stringify({ path: w.path, answer: r.getRowObjectsJS()[0].answer }));
       w.close();`,
    );
    expect(JSON.parse(out)).toEqual({ path: ':memory:', answer: 42 });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a relative file name is a file in the working folder (the check above can see a file)', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'pastoral-file-'));
    runIn(cwd, `const w = await openWarehouse('w.duckdb'); await w.connection.run('create table t as select 1 as x'); w.close();`);
    expect(readdirSync(cwd)).toContain('w.duckdb');
  });
});
