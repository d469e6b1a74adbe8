// `pastoral bench` runs the benchmarks in a process of their own (bench/run.mjs), so the CLI
// imports nothing of bench/: its exit codes and one-line errors still come through.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/pastoral.mjs', import.meta.url));
const pastoral = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf-8' });

describe('pastoral bench (the CLI face of bench/run.mjs)', () => {
  it("passes the benchmark's own usage errors through: one line, exit 2", () => {
    const scale = pastoral(['bench', '--scale', 'nope']);
    expect(scale.status).toBe(2);
    expect(scale.stderr).toBe('pastoral bench: --scale must be one of demo, large, trust, got "nope"\n');
    expect(scale.stdout).toBe('');
    const dist = path.join(os.tmpdir(), 'pastoral-no-such-site');
    const pages = pastoral(['bench', '--pages', '--dist', dist]);
    expect(pages.status).toBe(2);
    expect(pages.stderr).toBe(`pastoral bench: no built dashboards in ${dist}: build them first (npm run demo:build, or pastoral build)\n`);
  });

  it('checks its own options before starting anything (exit 2)', () => {
    const r = pastoral(['bench', '--rounds', 'x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('pastoral bench: --rounds must be a whole number ≥ 1, got "x"\n');
  });
});
