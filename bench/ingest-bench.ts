/**
 * How fast ingest loads a large export, beside a plain DuckDB read of the same files.
 *
 * Both sides write into a fresh warehouse file and end with the data on disk: the plain side
 * is `CREATE TABLE … AS SELECT * FROM read_csv(file)` per file (types auto-detected) and a
 * CHECKPOINT; the ingest side is the whole import (checks, rejects, keys, import log) and its
 * COMMIT. Each side runs several rounds, alternating, and the best round counts: on a shared
 * machine the best round is the one least disturbed by other work.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingest } from '../data-loaders/ingest.ts';
import { generateDemo } from '../src/demo/generate.ts';
import { ident, literal, openWarehouse } from '../src/warehouse/warehouse.ts';
import { openPlainWarehouse } from './plain-warehouse.ts';

export interface BenchOptions {
  pupils: number;
  schools: number;
  rounds: number;
  /** Where the demo export goes (default: a temporary folder, removed afterwards). */
  dir?: string;
  log?: (line: string) => void;
}

export interface BenchSide {
  /** Elapsed seconds of the best round. */
  seconds: number;
  rounds: number[];
  rowsPerSecond: number;
  /** CPU seconds (all threads) of the least costly round: steadier than elapsed time on a busy machine. */
  cpuSeconds: number;
}

interface Timing {
  seconds: number;
  cpuSeconds: number;
}

async function timed<T>(work: () => Promise<T>): Promise<{ timing: Timing; result: T }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { timing: { seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 }, result };
}

export interface BenchResult {
  files: number;
  bytes: number;
  rows: number;
  plain: BenchSide;
  ingest: BenchSide;
  /** ingest time / plain read time (best rounds): the target is ≤ 2. */
  ratio: number;
  /** The same for CPU time. */
  cpuRatio: number;
}

function csvFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return csvFiles(p);
    return e.name.toLowerCase().endsWith('.csv') ? [p] : [];
  });
}

function freshDbPath(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-bench-db-')), 'bench.duckdb');
}

async function timePlainRead(files: readonly string[]): Promise<Timing> {
  const db = freshDbPath();
  const warehouse = await openPlainWarehouse(db);
  try {
    const { timing } = await timed(async () => {
      for (const [i, file] of files.entries()) {
        await warehouse.connection.run(`CREATE TABLE ${ident(`t${i}`)} AS SELECT * FROM read_csv(${literal(file)})`);
      }
      await warehouse.connection.run('CHECKPOINT');
    });
    return timing;
  } finally {
    warehouse.close();
    rmSync(path.dirname(db), { recursive: true, force: true });
  }
}

async function timeIngest(dir: string): Promise<Timing & { rows: number }> {
  const db = freshDbPath();
  const warehouse = await openWarehouse(db);
  try {
    const { timing, result: report } = await timed(() => ingest(warehouse.connection, [dir]));
    const rows = report.files.reduce((n, f) => n + f.rowsRead, 0);
    const rejected = report.files.reduce((n, f) => n + f.rowsRejected, 0);
    if (rejected > 0 || report.stopped.length > 0) throw new Error(`the demo export should load cleanly, but ${rejected} rows were rejected and ${report.stopped.length} files stopped`);
    return { ...timing, rows };
  } finally {
    warehouse.close();
    rmSync(path.dirname(db), { recursive: true, force: true });
  }
}

export async function runIngestBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'pastoral-bench-'));
  try {
    log(`Generating a demo export: ${options.schools} school(s) of ${options.pupils} pupils …`);
    await generateDemo({ outDir: dir, pupils: options.pupils, schools: options.schools });
    const files = csvFiles(dir);
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    const plainRounds: Timing[] = [];
    const ingestRounds: Timing[] = [];
    let rows = 0;
    for (let round = 1; round <= options.rounds; round++) {
      const plain = await timePlainRead(files);
      const ingested = await timeIngest(dir);
      plainRounds.push(plain);
      ingestRounds.push(ingested);
      rows = ingested.rows;
      log(`  round ${round}: plain read ${plain.seconds.toFixed(2)} s (CPU ${plain.cpuSeconds.toFixed(2)} s), ingest ${ingested.seconds.toFixed(2)} s (CPU ${ingested.cpuSeconds.toFixed(2)} s)`);
    }
    const side = (rounds: Timing[]): BenchSide => {
      const seconds = Math.min(...rounds.map((r) => r.seconds));
      return { seconds, rounds: rounds.map((r) => r.seconds), rowsPerSecond: rows / seconds, cpuSeconds: Math.min(...rounds.map((r) => r.cpuSeconds)) };
    };
    const plain = side(plainRounds);
    const ingested = side(ingestRounds);
    return { files: files.length, bytes, rows, plain, ingest: ingested, ratio: ingested.seconds / plain.seconds, cpuRatio: ingested.cpuSeconds / plain.cpuSeconds };
  } finally {
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }
}
