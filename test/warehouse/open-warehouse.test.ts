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
const duckdbModule = import.meta.resolve('@duckdb/node-api');

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

  it('writes text without plain FSST, and a read-only open reads a file written either way', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'pastoral-text-'));
    // Text FSST pays on (comment-like, every value different): DuckDB's default writes it as FSST.
    const text = "select 'Called out in lesson ' || i || ', then left the room without permission' as t from range(100000) r(i)";
    const compression = "select distinct compression from pragma_storage_info('t') where segment_type = 'VARCHAR' order by 1";
    const out = runIn(
      cwd,
      `const { DuckDBInstance } = await import(${JSON.stringify(duckdbModule)});
       const plain = await DuckDBInstance.create('default.duckdb');
       const p = await plain.connect();
       await p.run(${JSON.stringify(`create table t as ${text}`)});
       await p.run('checkpoint');
       const byDefault = (await p.runAndReadAll(${JSON.stringify(compression)})).getRowObjectsJS().map((r) => r.compression);
       p.closeSync(); plain.closeSync();
       const w = await openWarehouse('w.duckdb');
       await w.connection.run(${JSON.stringify(`create table t as ${text}`)});
       await w.connection.run('checkpoint');
       const ours = (await w.connection.runAndReadAll(${JSON.stringify(compression)})).getRowObjectsJS().map((r) => r.compression);
       w.close();
       const r = await openWarehouse('default.duckdb', { readOnly: true });
       const read = (await r.connection.runAndReadAll('select count(distinct t) as n from t')).getRowObjectsJS()[0].n;
       r.close();
       process.stdout.write(JSON.stringify({ byDefault, ours, read: Number(read) }));`,
    );
    const result = JSON.parse(out);
    expect(result.byDefault).toContain('FSST');
    expect(result.ours).not.toContain('FSST');
    expect(result.read).toBe(100000);
  });

  it('writes a new file in the 1.5 storage format (text in DICT_FSST); a file made in the old format keeps it', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'pastoral-format-'));
    // Low-cardinality text, as school_id, term or year group are: a dictionary in either format.
    const text = "select 'Year ' || (7 + i % 5) as t from range(300000) r(i)";
    const compression = "select distinct compression from pragma_storage_info('t') where segment_type = 'VARCHAR' order by 1";
    const out = runIn(
      cwd,
      `const { DuckDBInstance } = await import(${JSON.stringify(duckdbModule)});
       const old = await DuckDBInstance.create('old.duckdb');
       (await old.connect()).closeSync(); old.closeSync();
       const written = {};
       for (const file of ['new.duckdb', 'old.duckdb']) {
         const w = await openWarehouse(file);
         await w.connection.run(${JSON.stringify(`create table t as ${text}`)});
         await w.connection.run('checkpoint');
         w.close();
         const r = await openWarehouse(file, { readOnly: true });
         written[file] = (await r.connection.runAndReadAll(${JSON.stringify(compression)})).getRowObjectsJS().map((x) => x.compression);
         r.close();
       }
       process.stdout.write(JSON.stringify(written));`,
    );
    expect(JSON.parse(out)).toEqual({ 'new.duckdb': ['DICT_FSST'], 'old.duckdb': ['Dictionary'] });
  });
});
