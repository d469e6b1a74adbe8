import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineCommand, intOption, memoryLimitOption } from '../command.ts';

/**
 * The benchmarks' entry (bench/run.mjs): `pastoral bench` checks the options and runs it as a
 * child process, so the CLI imports nothing of bench/ (both sit on top; see .dependency-cruiser.cjs).
 */
const BENCH_ENTRY = fileURLToPath(new URL('../../../bench/run.mjs', import.meta.url));

/** Runs one benchmark in its own process, its output straight to this terminal; returns its exit code. */
function runBenchProcess(request: Record<string, unknown>): number {
  const child = spawnSync(process.execPath, [BENCH_ENTRY, JSON.stringify(request)], { stdio: 'inherit' });
  if (child.error) throw child.error;
  return child.status ?? 1;
}

export const benchCmd = defineCommand(
  {
    name: 'bench',
    usage: 'pastoral bench [--pupils N] [--schools S] [--rounds R] | pastoral bench --scale demo|large|trust [--stages LIST] [--memory-limit SIZE] | pastoral bench --pages [--dist DIR] [--rounds R]',
    summary:
      'Times ingest of a large demo export beside a plain DuckDB read_csv of the same files, and prints rows per second for each; ' +
      'with --scale, times each stage of the pipeline (generate or reuse cached exports, plain read, ingest, models) at that scale; ' +
      'with --pages, opens every page of a built site in headless Chromium and prints when its first chart showed and what it downloaded.',
    options: {
      pupils: { type: 'string', description: 'Pupils per school in the generated export', valueName: 'N', default: '2000' },
      schools: { type: 'string', description: 'Schools in the generated export', valueName: 'S', default: '1' },
      rounds: { type: 'string', description: 'Rounds of each (the best counts)', valueName: 'R', default: '3' },
      dir: { type: 'string', description: 'Keep the generated export in this folder', valueName: 'DIR' },
      pages: { type: 'boolean', description: 'Time the pages of a built site instead' },
      scale: { type: 'string', description: 'Time each pipeline stage at a scale: demo, large or trust (sizes in docs/performance.md)', valueName: 'NAME' },
      seed: { type: 'string', description: 'Demo seed for --scale', valueName: 'K', default: '1' },
      'memory-limit': { type: 'string', description: 'DuckDB memory limit for --scale', valueName: 'SIZE' },
      stages: { type: 'string', description: 'Only these stages of --scale, comma-separated (plain,ingest,models,site,weekly; default all)', valueName: 'LIST' },
      dist: { type: 'string', description: 'The built site for --pages', valueName: 'DIR', default: 'dist' },
    },
    details:
      'Targets: ingest within 2× the time of the plain read; each page\'s first chart within a second. ' +
      'Timings depend on the machine and on what else it is doing. `npm run bench` runs both on the demo school.',
  },
  async (values) => {
    if (values.scale !== undefined) {
      return runBenchProcess({
        kind: 'scale',
        scale: values.scale,
        seed: intOption(values.seed, 'seed', 1, 0),
        memoryLimit: memoryLimitOption(values['memory-limit']),
        stages: values.stages,
      });
    }
    if (values.pages) return runBenchProcess({ kind: 'pages', dist: values.dist ?? 'dist', rounds: intOption(values.rounds, 'rounds', 3) });
    return runBenchProcess({
      kind: 'ingest',
      pupils: intOption(values.pupils, 'pupils', 2000, 50),
      schools: intOption(values.schools, 'schools', 1),
      rounds: intOption(values.rounds, 'rounds', 3),
      dir: values.dir,
    });
  },
);
