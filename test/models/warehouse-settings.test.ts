/**
 * Every warehouse connection gets a memory limit, a temporary folder for DuckDB to spill into
 * (beside the warehouse when it writes, its own when it only reads), and a thread count; `pastoral models` prints each model's time.
 */
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { memoryLimitOption } from '../../src/cli/command.ts';
import { modelLine, modelsCmd } from '../../src/cli/commands/models.ts';
import { defaultMemoryLimit, isMemoryLimit, openWarehouse, queryRows, tempDirectoryFor } from '../../src/warehouse/warehouse.ts';
import { tempDbPath } from '../helpers/warehouse.ts';

const GIB = 1024 ** 3;

describe('memory limit', () => {
  it('defaults to 3 GiB, or 40% of RAM where that is less (an 8 GB laptop keeps room for everything else)', () => {
    expect(defaultMemoryLimit(24 * GIB)).toBe('3072MB');
    expect(defaultMemoryLimit(8 * GIB)).toBe('3072MB');
    expect(defaultMemoryLimit(4 * GIB)).toBe('1638MB');
    expect(defaultMemoryLimit(0.25 * GIB)).toBe('256MB');
  });

  it('accepts sizes DuckDB understands and nothing else', () => {
    for (const ok of ['4GB', '800MB', '3.5GiB', '512mb', ' 2 GB ']) expect(isMemoryLimit(ok), ok).toBe(true);
    for (const bad of ['4', 'lots', '-1GB', '4 G', '', 'GB']) expect(isMemoryLimit(bad), bad).toBe(false);
    expect(memoryLimitOption(' 2GB ')).toBe('2GB');
    expect(memoryLimitOption(undefined)).toBeUndefined();
  });

  it('pastoral models --memory-limit with a bad size is a usage error naming the flag', async () => {
    await expect(modelsCmd.run(['--memory-limit', 'lots', '--db', tempDbPath()])).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('--memory-limit') });
  });
});

describe('openWarehouse', () => {
  it('sets the memory limit, a temp folder beside the warehouse (read-write) or its own (read-only), and the threads', async () => {
    const db = tempDbPath();
    const w = await openWarehouse(db, { memoryLimit: '1GB', threads: 1 });
    try {
      const [s] = await queryRows<{ m: string; t: string; th: number }>(
        w.connection,
        "SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t, current_setting('threads')::INTEGER AS th",
      );
      // DuckDB reports 1GB (10^9 bytes) in binary units.
      expect(s).toEqual({ m: '953.6 MiB', t: path.resolve(`${db}.tmp`), th: 1 });
      expect(tempDirectoryFor(db)).toBe(path.resolve(`${db}.tmp`));
      await w.connection.run('CREATE TABLE x AS SELECT 1 AS v');
    } finally {
      w.close();
    }
    const r = await openWarehouse(db, { readOnly: true, memoryLimit: '2GB' });
    try {
      const [s] = await queryRows<{ m: string; t: string }>(r.connection, "SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t");
      // A reader spills into a folder of its own (process and thread) in the system's temp
      // folder: several readers of one warehouse at once must not share one spill folder.
      expect(s).toEqual({ m: '1.8 GiB', t: path.join(os.tmpdir(), `pastoral-duckdb-${process.pid}-${threadId}.tmp`) });
    } finally {
      r.close();
    }
  });

  it('takes PASTORAL_MEMORY_LIMIT when no limit is given, and names it when it is not a size', async () => {
    const saved = process.env.PASTORAL_MEMORY_LIMIT;
    try {
      process.env.PASTORAL_MEMORY_LIMIT = '1GB';
      const w = await openWarehouse(tempDbPath());
      try {
        expect(await queryRows(w.connection, "SELECT current_setting('memory_limit') AS m")).toEqual([{ m: '953.6 MiB' }]);
      } finally {
        w.close();
      }
      process.env.PASTORAL_MEMORY_LIMIT = 'lots';
      await expect(openWarehouse(tempDbPath())).rejects.toThrow('"lots" (from PASTORAL_MEMORY_LIMIT)');
    } finally {
      if (saved === undefined) delete process.env.PASTORAL_MEMORY_LIMIT;
      else process.env.PASTORAL_MEMORY_LIMIT = saved;
    }
  });

  it('refuses a memory limit that is not a size', async () => {
    await expect(openWarehouse(tempDbPath(), { memoryLimit: 'half' })).rejects.toThrow(/not a size/);
  });
});

describe('model timings', () => {
  it('prints name, rows, seconds and CPU seconds on one aligned line', () => {
    expect(modelLine({ name: 'mart_pupil_timeline', rows: 816659, seconds: 4.256, cpuSeconds: 3.1 })).toBe(
      '  built mart_pupil_timeline                          816,659 rows     4.26 s  (CPU 3.10 s)',
    );
    // A view is not counted: a dash where a table has its rows, the columns where they were.
    expect(modelLine({ name: 'mart_pupil_timeline', rows: null, seconds: 0.01, cpuSeconds: 0.01, mode: 'view' })).toBe(
      '  view mart_pupil_timeline                                 — rows     0.01 s  (CPU 0.01 s)',
    );
  });
});
