#!/usr/bin/env node
// `npm test`: type-check, check the one-way arrows between the parts, look for dead code (knip), then every vitest suite (unit, ingest, models, generator, browser),
// then one closing line "N passed, N failed, N skipped" that CI and people can read.
// A Node script rather than a shell chain so it runs the same on Windows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// Resolve through package.json: the packages' export maps hide their bin files.
const binOf = (pkg, file) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
const run = (script, args) => spawnSync(process.execPath, [script, ...args], { stdio: 'inherit', env: { ...process.env, TZ: 'Europe/London' } });

console.log('== Type-checking (tsc --noEmit)');
const tsc = run(binOf('typescript', 'bin/tsc'), ['--noEmit', '-p', 'tsconfig.json']);
if (tsc.status !== 0) {
  console.log('0 passed, 1 failed (type errors above)');
  process.exit(1);
}

console.log('== One-way arrows between the parts (scripts/check-arrows.mjs, rules in .dependency-cruiser.cjs)');
const scripts = path.dirname(fileURLToPath(import.meta.url));
const arrows = run(path.join(scripts, 'check-arrows.mjs'), ['--cwd', path.join(scripts, '..')]);
if (arrows.status !== 0) {
  console.log('0 passed, 1 failed (imports against the arrows above: each line names its rule)');
  process.exit(1);
}

console.log('== Dead code (knip: unused files, exports, dependencies; config in knip.json)');
// knip's export map hides its package.json and bin file: find the bin from its main module (dist/index.js).
const knipBin = path.join(path.dirname(require.resolve('knip')), '..', 'bin', 'knip.js');
const knip = run(knipBin, ['--no-progress', '--directory', path.join(scripts, '..')]);
if (knip.status !== 0) {
  console.log('0 passed, 1 failed (unused code or dependencies above: delete them, or say in knip.json why they stay)');
  process.exit(1);
}

const report = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-test-')), 'vitest.json');
const vitest = run(binOf('vitest', 'vitest.mjs'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
let summary;
try {
  const json = JSON.parse(readFileSync(report, 'utf-8'));
  summary = { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests };
  if (json.numFailedTestSuites > 0 && json.numFailedTests === 0) summary.failed = json.numFailedTestSuites;
} catch {
  summary = { passed: 0, failed: 1, skipped: 0 };
}
console.log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
process.exit(vitest.status === 0 && summary.failed === 0 ? 0 : 1);
