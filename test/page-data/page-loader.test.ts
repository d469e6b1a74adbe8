// The process around each page-data loader (src/cli/page-loader.ts), started exactly as
// observablehq.config.ts tells Framework to: stdout carries only the data, whatever a library
// logs; a failing loader is one line on stderr and exit 1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../../observablehq.config.ts';

const martExport = pathToFileURL(fileURLToPath(new URL('../../src/page-data/mart-export.ts', import.meta.url))).href;
const work = mkdtempSync(path.join(os.tmpdir(), 'pastoral-page-loader-'));
// ES modules, as in the repo (package.json "type": "module").
writeFileSync(path.join(work, 'package.json'), '{"type":"module"}\n');

/** Runs a loader with the interpreter Framework is configured with. */
function runLoaderFile(name: string, source: string) {
  const file = path.join(work, name);
  writeFileSync(file, source);
  const [command, ...args] = config.interpreters['.ts'];
  return spawnSync(command, [...args, file], { encoding: 'utf-8' });
}

describe('the page-data loader process', () => {
  it('Framework runs .ts loaders inside src/cli/page-loader.ts', () => {
    expect(config.interpreters['.ts'].at(-1)).toBe(fileURLToPath(new URL('../../src/cli/page-loader.ts', import.meta.url)));
  });

  it("keeps stdout for the data: console.log, info and debug go to stderr", () => {
    const r = runLoaderFile(
      'noisy.json.ts',
      `import { runLoader, emitFile } from ${JSON.stringify(martExport)};
       await runLoader(async () => {
         console.log('a library notice');
         console.info('more', 2);
         await emitFile(new TextEncoder().encode(JSON.stringify([{ a: 1, argv: process.argv.slice(1) }])));
       });`,
    );
    expect(r.status).toBe(0);
    // The loader sees itself as argv[1], as if Framework had run it directly.
    expect(r.stdout).toBe(JSON.stringify([{ a: 1, argv: [path.join(work, 'noisy.json.ts')] }]));
    expect(r.stderr).toBe('a library notice\nmore 2\n');
  });

  it('a failure is one line on stderr and exit 1, with nothing on stdout', () => {
    const r = runLoaderFile(
      'failing.json.ts',
      `import { runLoader } from ${JSON.stringify(martExport)};
       await runLoader(async () => { throw new Error('no such mart: mart_nothing'); });`,
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('data loader failed: no such mart: mart_nothing\n');
  });
});
