import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineCommand, intOption, memoryLimitOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { runIngestBench } from '../../../bench/ingest-bench.ts';
import { runPageBench } from '../../../bench/page-bench.ts';
import { pipelineTable, runPipelineBench, SCALES, type ScaleName } from '../../../bench/pipeline-bench.ts';
import { chromiumMissingMessage, findChromium } from '../../report/chromium.ts';

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

export const benchCmd = defineCommand(
  {
    name: 'bench',
    usage: 'pastoral bench [--pupils N] [--schools S] [--rounds R] | pastoral bench --scale demo|large|trust [--memory-limit SIZE] | pastoral bench --pages [--dist DIR] [--rounds R]',
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
      scale: { type: 'string', description: `Time each pipeline stage at a scale: ${Object.entries(SCALES).map(([k, v]) => `${k} (${v.pupils}×${v.years}y×${v.schools})`).join(', ')}`, valueName: 'NAME' },
      seed: { type: 'string', description: 'Demo seed for --scale', valueName: 'K', default: '1' },
      'memory-limit': { type: 'string', description: 'DuckDB memory limit for --scale', valueName: 'SIZE' },
      dist: { type: 'string', description: 'The built site for --pages', valueName: 'DIR', default: 'dist' },
    },
    details:
      'Targets: ingest within 2× the time of the plain read; each page\'s first chart within a second. ' +
      'Timings depend on the machine and on what else it is doing. `npm run bench` runs both on the demo school.',
  },
  async (values) => {
    if (values.scale !== undefined) {
      if (!(values.scale in SCALES)) throw new CliError(`--scale must be one of ${Object.keys(SCALES).join(', ')}, got "${values.scale}"`, ExitCode.usage);
      const result = runPipelineBench({
        scale: values.scale as ScaleName,
        seed: intOption(values.seed, 'seed', 1, 0),
        memoryLimit: memoryLimitOption(values['memory-limit']),
        log: (line) => process.stdout.write(`${line}\n`),
      });
      process.stdout.write(`${pipelineTable(result)}\n`);
      const failures = result.stages.find((s) => s.stage === 'models')?.failures ?? 0;
      if (failures > 0) throw new CliError(`${failures} data test(s) failed on the ${values.scale} demo`, ExitCode.dataTestsFailed);
      return;
    }
    if (values.pages) {
      const dist = path.resolve(values.dist ?? 'dist');
      if (!existsSync(path.join(dist, 'index.html'))) {
        throw new CliError(`no built dashboards in ${dist}: build them first (npm run demo:build, or pastoral build)`, ExitCode.usage);
      }
      const chromiumPath = findChromium();
      if (!chromiumPath) throw new CliError(chromiumMissingMessage(), ExitCode.failure);
      const rounds = intOption(values.rounds, 'rounds', 3);
      process.stdout.write(`Pages of ${dist}, median of ${rounds} cold loads each, headless Chromium on a local server (target: first chart within 1,000 ms):\n`);
      await runPageBench({ dist, chromiumPath, rounds, log: (line) => process.stdout.write(`${line}\n`) });
      return;
    }
    const result = await runIngestBench({
      pupils: intOption(values.pupils, 'pupils', 2000, 50),
      schools: intOption(values.schools, 'schools', 1),
      rounds: intOption(values.rounds, 'rounds', 3),
      dir: values.dir,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    const mb = (result.bytes / 1024 / 1024).toFixed(1);
    process.stdout.write(
      [
        `Export: ${result.files} files, ${mb} MB, ${fmt(result.rows)} rows`,
        `  plain DuckDB read_csv  ${result.plain.seconds.toFixed(2)} s   ${fmt(result.plain.rowsPerSecond).padStart(12)} rows/s   (CPU ${result.plain.cpuSeconds.toFixed(2)} s)`,
        `  pastoral ingest        ${result.ingest.seconds.toFixed(2)} s   ${fmt(result.ingest.rowsPerSecond).padStart(12)} rows/s   (CPU ${result.ingest.cpuSeconds.toFixed(2)} s)`,
        `  ingest / plain read    ${result.ratio.toFixed(2)}× elapsed, ${result.cpuRatio.toFixed(2)}× CPU  (target ≤ 2×)`,
      ].join('\n') + '\n',
    );
  },
);
