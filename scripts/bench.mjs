#!/usr/bin/env node
// `npm run bench`: the ingest benchmark, then the page benchmark on a freshly built demo site
// (in data/bench, git-ignored, so the dist/ a school built is never touched). A Node script
// rather than a shell chain so it runs the same on Windows.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'pastoral.mjs');
const workspace = path.join('data', 'bench');
const site = path.join(workspace, 'site');
const args = process.argv.slice(2);
// `npm run bench -- --scale demo|large|trust`: the pipeline stages at that scale, nothing else.
const steps = args.includes('--scale')
  ? [['bench', ...args]]
  : [
      ['bench', ...args],
      ['run', '--dir', workspace, '--out', site],
      ['bench', '--pages', '--dist', site],
    ];
for (const args of steps) {
  console.log(`\n== pastoral ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
