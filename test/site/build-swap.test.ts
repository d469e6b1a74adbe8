/**
 * Build faults lose nothing: `pastoral build` builds into a new folder beside the site and
 * renames it into place only when complete. A build that fails (the warehouse locked by another
 * process; a data loader that throws) leaves every file of the previous site as it was, and says
 * why in one line (never Framework's "Tip: … --debug").
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureCause, swapInto } from '../../src/site/build-site.ts';
import { parseAudience } from '../../src/cli/commands/build.ts';
import { CliError } from '../../src/cli/errors.ts';
import { openWarehouse } from '../../src/warehouse/warehouse.ts';
import { demoSite, type DemoSite } from '../helpers/demo-site.ts';

const CLI = fileURLToPath(new URL('../../bin/pastoral.mjs', import.meta.url));

/** Runs the CLI without blocking this process (which may hold the warehouse lock meanwhile). */
function pastoral(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file under dir with a hash of its bytes. */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, snapshot(path.join(dir, e.name), rel));
    else out[rel] = createHash('sha256').update(readFileSync(path.join(dir, e.name))).digest('hex');
  }
  return out;
}

describe('failureCause: one line naming why a build failed', () => {
  it("takes a data loader's own message, never Framework's tip", () => {
    const log = [
      'load /data/termly-report.json → data loader failed: IO Error: Could not set lock on file "w.duckdb": Conflicting lock is held',
      '✗ Unable to load data/termly-report.json: command exited with code 1',
      'Tip: To see the full stack trace, run with the --debug flag.',
    ].join('\n');
    expect(failureCause(log, 1)).toBe('data loader failed: IO Error: Could not set lock on file "w.duckdb": Conflicting lock is held');
    expect(failureCause('RuntimeError: no pages found\nTip: To see the full stack trace, run with the --debug flag.\n', 1)).toBe('observable build: RuntimeError: no pages found');
    expect(failureCause('Tip: To see the full stack trace, run with the --debug flag.\n', null)).toBe('observable build exited with a signal and no message');
  });
});

describe('swapInto', () => {
  it('replaces the old site with the new one and leaves nothing beside it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-swap-'));
    try {
      const out = path.join(dir, 'site');
      const built = path.join(dir, 'site.building-1');
      cpSync(fileURLToPath(new URL('../fixtures/trust', import.meta.url)), out, { recursive: true });
      cpSync(fileURLToPath(new URL('../fixtures/tiny-school', import.meta.url)), built, { recursive: true });
      const expected = snapshot(built);
      expect(snapshot(out)).not.toEqual(expected);
      await swapInto(built, out);
      expect(snapshot(out)).toEqual(expected);
      expect(readdirSync(dir)).toEqual(['site']);
      // Into a folder that does not exist yet: a plain rename.
      cpSync(out, built, { recursive: true });
      await swapInto(built, path.join(dir, 'new'));
      expect(snapshot(path.join(dir, 'new'))).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pastoral build: a failed build leaves the previous site intact', () => {
  let site: DemoSite;
  let work: string;
  let out: string;
  let before: Record<string, string>;

  beforeAll(async () => {
    site = await demoSite();
    work = mkdtempSync(path.join(os.tmpdir(), 'pastoral-build-swap-'));
    out = path.join(work, 'site');
    // The previous site: the demo's staff build (every page, every data file).
    cpSync(site.dist, out, { recursive: true });
    before = snapshot(out);
  }, 600_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const expectUntouched = () => {
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(work).filter((e) => /\.(building|old)-/.test(e))).toEqual([]);
  };

  it('when another process holds the warehouse lock: exit 5, one line naming the lock', async () => {
    const db = path.join(work, 'locked.duckdb');
    copyFileSync(site.db, db);
    const holder = await openWarehouse(db); // read-write: the lock an import holds
    let result;
    try {
      result = await pastoral(['build', '--audience', 'governors', '--db', db, '--out', out, '--quiet']);
    } finally {
      holder.close();
    }
    expect(result.code).toBe(5);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pastoral build: dashboard build failed \(the previous site in .* is unchanged\): the warehouse .*locked\.duckdb is locked by another process/);
    expect(lines[0]).not.toContain('Tip:');
    expect(Object.keys(before).length).toBeGreaterThan(100);
    expectUntouched();
  });

  it('when a data loader throws (a warehouse with no marts): exit 5, one line with the loader\'s error', async () => {
    const db = path.join(work, 'empty.duckdb');
    (await openWarehouse(db)).close();
    const result = await pastoral(['build', '--db', db, '--out', out, '--quiet']);
    expect(result.code).toBe(5);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/: data loader failed: Catalog Error: Table with name mart_\w+ does not exist/);
    expect(lines[0]).not.toContain('Tip:');
    expectUntouched();
  });

  it('and a build that succeeds replaces it whole (no staff file left in the governors site)', async () => {
    const db = path.join(work, 'demo.duckdb');
    copyFileSync(site.db, db);
    // Left by builds that were killed (no such process any more): cleared by the next build.
    for (const abandoned of [`${out}.building-999999`, `${out}.old-999998-1`]) cpSync(fileURLToPath(new URL('../fixtures/trust', import.meta.url)), abandoned, { recursive: true });
    const result = await pastoral(['build', '--audience', 'governors', '--db', db, '--out', out, '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Built the governors dashboards into ${out}\n`);
    const after = snapshot(out);
    expect(Object.keys(after).filter((f) => f.endsWith('.html')).sort()).toEqual(['definitions.html', 'index.html', 'schools.html', 'termly-report.html']);
    expect(Object.keys(after).some((f) => f.includes('pupil-detail'))).toBe(false);
    expect(existsSync(path.join(out, 'pupil.html'))).toBe(false);
    expect(readdirSync(work).filter((e) => /\.(building|old)-/.test(e))).toEqual([]);
  });
});

describe('pastoral build --audience', () => {
  it('takes the four audiences, staff by default, and refuses any other (usage error, exit 2)', () => {
    expect(parseAudience(undefined)).toBe('staff');
    for (const audience of ['staff', 'leaders', 'governors', 'trust']) expect(parseAudience(audience)).toBe(audience);
    expect(() => parseAudience('parents')).toThrow(/--audience must be one of staff, leaders, governors, trust/);
    try {
      parseAudience('Governors');
    } catch (error) {
      expect((error as CliError).exitCode).toBe(2);
    }
    expect.assertions(7);
  });
});
