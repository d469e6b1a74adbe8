// The pipeline benchmark on a tiny demo: every stage runs in its own process and reports what
// it measured. No timing is asserted (that is `npm run bench`'s job), only that it is reported.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineTable, runPipelineBench } from '../../bench/pipeline-bench.ts';
import { FILE_NAMES } from '../../src/demo/write-csv.ts';

describe('pipeline benchmark (--scale)', () => {
  it('runs generate, plain read, ingest, models and the weekly refresh, and reuses the cached exports the second time', () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'pp-bench-'));
    const options = { scale: 'demo' as const, size: { pupils: 50, years: 1, schools: 1 }, seed: 3, workspace, cacheDir: path.join(workspace, 'cache') };
    const first = runPipelineBench(options);
    expect(first.stages.map((s) => s.stage)).toEqual(['generate', 'plain', 'ingest', 'models', 'weekly']);
    expect(first.stages[0].cached).toBe(false);
    expect(first.files).toBe(FILE_NAMES.length); // every canonical file the demo writes
    const [, plain, ingest, models, weekly] = first.stages;
    // The plain read and ingest read the same rows; models report the rows they built.
    expect(ingest.rows).toBeGreaterThan(10_000);
    expect(plain.rows).toBe(ingest.rows);
    expect(models.rows).toBeGreaterThan(0);
    expect(models.failures).toBe(0);
    // The weekly refresh imported only the last week, updated models by partition (the weekly
    // ones from that week on), and its models are the full build's, row for row.
    expect(weekly.failures).toBe(0);
    expect(weekly.weekly?.weekRows).toBeGreaterThan(0);
    expect(weekly.weekly?.weekRows).toBeLessThan(ingest.rows / 10);
    expect(weekly.weekly?.modes.partitions).toBeGreaterThan(0);
    expect(weekly.weekly?.byWeek).toBeGreaterThan(0);
    expect(Object.values(weekly.weekly?.touched ?? {})).toEqual([['2025/26']]);
    expect(weekly.weekly?.compared).toBeGreaterThan(50);
    expect(weekly.weekly?.differences).toBe(0);
    for (const s of first.stages) {
      expect(s.seconds, s.stage).toBeGreaterThan(0);
      expect(s.peakRssBytes, s.stage).toBeGreaterThan(10 * 1024 * 1024);
    }
    const table = pipelineTable(first).split('\n');
    for (const label of ['generate exports', 'plain DuckDB read_csv', 'pastoral ingest', 'pastoral models', 'ingest + models', 'weekly refresh']) {
      expect(table.some((l) => l.startsWith(label)), label).toBe(true);
    }
    expect(table.find((l) => l.startsWith('plain DuckDB read_csv'))).toMatch(/1\.00×\s+1\.00×$/);

    const second = runPipelineBench(options);
    expect(second.stages[0].cached).toBe(true);
    expect(second.exportsDir).toBe(first.exportsDir);
    expect(pipelineTable(second)).toMatch(/^generate exports\s+cached$/m);
  }, 600_000);
});
