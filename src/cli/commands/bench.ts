import { defineCommand, intOption } from '../command.ts';
import { runIngestBench } from '../../../bench/ingest-bench.ts';

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

export const benchCmd = defineCommand(
  {
    name: 'bench',
    usage: 'pastoral bench [--pupils N] [--schools S] [--rounds R]',
    summary: 'Times ingest of a large demo export beside a plain DuckDB read_csv of the same files, and prints rows per second for each.',
    options: {
      pupils: { type: 'string', description: 'Pupils per school in the generated export', valueName: 'N', default: '2000' },
      schools: { type: 'string', description: 'Schools in the generated export', valueName: 'S', default: '1' },
      rounds: { type: 'string', description: 'Rounds of each (the best counts)', valueName: 'R', default: '3' },
      dir: { type: 'string', description: 'Keep the generated export in this folder', valueName: 'DIR' },
    },
    details: 'Target: ingest within 2× the time of the plain read. Timings depend on the machine and on what else it is doing.',
  },
  async (values) => {
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
