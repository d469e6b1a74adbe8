/**
 * The benchmarks' own entry (started by bench/run.mjs, which `pastoral bench` spawns): the CLI
 * parses and checks the options, this runs the one benchmark asked for and prints its figures.
 * A process of its own, so the CLI imports nothing of bench/ (the two sit side by side on top).
 * Failures print one line, `pastoral bench: …`, and return the CLI's exit codes (README, "Exit
 * codes"): 1 failure, 2 usage, 4 a data test failed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromiumMissingMessage, findChromium } from '../src/pdf/chromium.ts';
import { runIngestBench } from './ingest-bench.ts';
import { runPageBench } from './page-bench.ts';
import { parseStages, pipelineTable, runPipelineBench, SCALES, type ScaleName } from './pipeline-bench.ts';

export type BenchRequest =
  | { kind: 'ingest'; pupils: number; schools: number; rounds: number; dir?: string }
  | { kind: 'pages'; dist: string; rounds: number }
  | { kind: 'scale'; scale: string; seed: number; memoryLimit?: string; stages?: string };

const EXIT = { failure: 1, usage: 2, dataTestsFailed: 4 } as const;

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
const print = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string, code: number): number => {
  process.stderr.write(`pastoral bench: ${message}\n`);
  return code;
};

/** Runs the benchmark `request` names, printing its figures; returns the exit code. */
export async function runBench(request: BenchRequest): Promise<number> {
  switch (request.kind) {
    case 'scale': {
      if (!(request.scale in SCALES)) return fail(`--scale must be one of ${Object.keys(SCALES).join(', ')}, got "${request.scale}"`, EXIT.usage);
      const stages = request.stages === undefined ? undefined : parseStages(request.stages);
      if (typeof stages === 'string') return fail(stages, EXIT.usage);
      const result = runPipelineBench({ scale: request.scale as ScaleName, seed: request.seed, memoryLimit: request.memoryLimit, stages, log: print });
      print(pipelineTable(result));
      const failures = result.stages.find((s) => s.stage === 'models')?.failures ?? 0;
      return failures > 0 ? fail(`${failures} data test(s) failed on the ${request.scale} demo`, EXIT.dataTestsFailed) : 0;
    }
    case 'pages': {
      const dist = path.resolve(request.dist);
      if (!existsSync(path.join(dist, 'index.html'))) {
        return fail(`no built dashboards in ${dist}: build them first (npm run demo:build, or pastoral build)`, EXIT.usage);
      }
      const chromiumPath = findChromium();
      if (!chromiumPath) return fail(chromiumMissingMessage(), EXIT.failure);
      print(`Pages of ${dist}, median of ${request.rounds} cold loads each, headless Chromium on a local server (target: first chart within 1,000 ms):`);
      await runPageBench({ dist, chromiumPath, rounds: request.rounds, log: print });
      return 0;
    }
    case 'ingest': {
      const result = await runIngestBench({ ...request, log: print });
      const mb = (result.bytes / 1024 / 1024).toFixed(1);
      print(
        [
          `Export: ${result.files} files, ${mb} MB, ${fmt(result.rows)} rows`,
          `  plain DuckDB read_csv  ${result.plain.seconds.toFixed(2)} s   ${fmt(result.plain.rowsPerSecond).padStart(12)} rows/s   (CPU ${result.plain.cpuSeconds.toFixed(2)} s)`,
          `  pastoral ingest        ${result.ingest.seconds.toFixed(2)} s   ${fmt(result.ingest.rowsPerSecond).padStart(12)} rows/s   (CPU ${result.ingest.cpuSeconds.toFixed(2)} s)`,
          `  ingest / plain read    ${result.ratio.toFixed(2)}× elapsed, ${result.cpuRatio.toFixed(2)}× CPU  (target ≤ 2×)`,
        ].join('\n'),
      );
      return 0;
    }
  }
}
