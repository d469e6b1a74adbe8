/**
 * One stage of the pipeline benchmark, run in its own process so its peak memory is its own
 * (process.resourceUsage().maxRSS, which Node reports on Windows too). Prints one line,
 * `STAGE {json}`, with elapsed and CPU seconds, rows and peak RSS. Started by stage.mjs.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ingest } from '../data-loaders/ingest.ts';
import { cachedDemo } from '../src/demo/cache.ts';
import { runModels } from '../src/models/run-models.ts';
import { ident, literal, openWarehouse } from '../src/warehouse/warehouse.ts';

export type StageName = 'generate' | 'plain' | 'ingest' | 'models';

export interface StageRequest {
  stage: StageName;
  /** generate: demo options; others: the export folder and the warehouse file. */
  demo?: { pupils: number; years: number; schools: number; seed: number };
  cacheDir?: string;
  exportsDir?: string;
  db?: string;
  memoryLimit?: string;
}

export interface StageResult {
  stage: StageName;
  seconds: number;
  cpuSeconds: number;
  rows: number;
  peakRssBytes: number;
  /** generate: whether the cache already had these exports (nothing was generated). */
  cached?: boolean;
  dir?: string;
  failures?: number;
}

export function csvFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return csvFiles(p);
      return e.name.toLowerCase().endsWith('.csv') ? [p] : [];
    })
    .sort();
}

function freshDb(db: string): void {
  mkdirSync(path.dirname(db), { recursive: true });
  for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  rmSync(`${db}.tmp`, { recursive: true, force: true });
}

async function work(request: StageRequest): Promise<Omit<StageResult, 'seconds' | 'cpuSeconds' | 'peakRssBytes' | 'stage'>> {
  switch (request.stage) {
    case 'generate': {
      const { dir, generated } = await cachedDemo(request.demo ?? { pupils: 1200, years: 1, schools: 1, seed: 1 }, request.cacheDir);
      return { rows: 0, cached: !generated, dir };
    }
    case 'plain': {
      // The yardstick: DuckDB's own CSV reader into a table per file, types auto-detected, on disk.
      const db = request.db as string;
      freshDb(db);
      const warehouse = await openWarehouse(db, { memoryLimit: request.memoryLimit });
      try {
        let rows = 0;
        for (const [i, file] of csvFiles(request.exportsDir as string).entries()) {
          await warehouse.connection.run(`CREATE TABLE ${ident(`t${i}`)} AS SELECT * FROM read_csv(${literal(file)})`);
          const reader = await warehouse.connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${ident(`t${i}`)}`);
          rows += Number(reader.getRowObjectsJS()[0].n);
        }
        await warehouse.connection.run('CHECKPOINT');
        return { rows };
      } finally {
        warehouse.close();
        freshDb(db);
      }
    }
    case 'ingest': {
      const db = request.db as string;
      freshDb(db);
      const warehouse = await openWarehouse(db, { memoryLimit: request.memoryLimit });
      try {
        const report = await ingest(warehouse.connection, [request.exportsDir as string]);
        const rejected = report.files.reduce((n, f) => n + f.rowsRejected, 0);
        if (rejected > 0 || report.stopped.length > 0) throw new Error(`the demo export should load cleanly, but ${rejected} rows were rejected and ${report.stopped.length} files stopped`);
        await warehouse.connection.run('CHECKPOINT');
        return { rows: report.files.reduce((n, f) => n + f.rowsRead, 0) };
      } finally {
        warehouse.close();
      }
    }
    case 'models': {
      const warehouse = await openWarehouse(request.db as string, { memoryLimit: request.memoryLimit });
      try {
        const report = await runModels(warehouse.connection);
        await warehouse.connection.run('CHECKPOINT');
        const rows = Object.values(report.rowCounts).reduce((n, r) => n + r, 0);
        return { rows, failures: report.failures.length };
      } finally {
        warehouse.close();
      }
    }
  }
}

export async function runStage(request: StageRequest): Promise<StageResult> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await work(request);
  const used = process.cpuUsage(cpu);
  return {
    stage: request.stage,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...result,
  };
}
