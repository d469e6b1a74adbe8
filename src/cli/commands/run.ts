import { rmSync } from 'node:fs';
import path from 'node:path';
import { buildOrFail, DEFAULT_OUT_DIR } from './build.ts';
import { failuresText } from './models.ts';
import { serveUntilStopped } from './serve.ts';
import { defineCommand, intOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { fileLine, importSummary } from '../import-report-lines.ts';
import { ingest } from '../../../data-loaders/ingest.ts';
import { generateDemo } from '../../demo/generate.ts';
import { runModels } from '../../models/run-models.ts';
import { withWarehouse } from '../../warehouse/warehouse.ts';

let stepStarted = 0;
/** Prints a step heading, and how long the previous step took (people ask where the time goes). */
const step = (text: string) => {
  const now = performance.now();
  if (stepStarted) process.stdout.write(`  (${((now - stepStarted) / 1000).toFixed(1)} s)\n`);
  stepStarted = now;
  if (text) process.stdout.write(`\n== ${text}\n`);
};

export const runCmd = defineCommand(
  {
    name: 'run',
    usage: 'pastoral run [--serve] [--pupils N] [--schools S] [--years Y] [--seed K] [--port N]',
    summary: 'The whole job on the built-in demo school: generate exports → ingest → models → build dashboards (→ serve).',
    options: {
      serve: { type: 'boolean', description: 'Serve the dashboards on localhost after building, and print the address' },
      pupils: { type: 'string', description: 'Pupils per school', valueName: 'N', default: '1200' },
      schools: { type: 'string', description: 'Number of schools', valueName: 'S', default: '1' },
      years: { type: 'string', description: 'Academic years of data', valueName: 'Y', default: '1' },
      seed: { type: 'string', description: 'Random seed', valueName: 'K', default: '1' },
      port: { type: 'string', description: 'Port for --serve (0 picks a free one)', valueName: 'N', default: '3000' },
      dir: { type: 'string', description: 'Workspace for the demo exports and warehouse (rebuilt each run)', valueName: 'DIR', default: 'data' },
      out: { type: 'string', description: 'Built site', valueName: 'DIR', default: DEFAULT_OUT_DIR },
    },
  },
  async (values) => {
    const workspace = path.resolve(values.dir ?? 'data');
    const demoDir = path.join(workspace, 'demo');
    const db = path.join(workspace, 'demo.duckdb');
    // The demo is rebuilt from scratch so a different seed or size never mixes with the last run.
    rmSync(demoDir, { recursive: true, force: true });
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });

    step('1/4 Generating the demo school');
    await generateDemo({
      outDir: demoDir,
      pupils: intOption(values.pupils, 'pupils', 1200),
      schools: intOption(values.schools, 'schools', 1),
      years: intOption(values.years, 'years', 1),
      seed: intOption(values.seed, 'seed', 1, 0),
    });
    process.stdout.write(`  exports in ${demoDir}\n`);

    step('2/4 Loading the exports into DuckDB');
    const report = await withWarehouse(db, (c) => ingest(c, [demoDir], { onFileDone: (r) => process.stdout.write(`${fileLine(r)}\n`) }));
    process.stdout.write(`${importSummary(report)}\n`);

    step('3/4 Building the models');
    const models = await withWarehouse(db, (c) => runModels(c));
    process.stdout.write(`  ${models.order.length} models built; data tests: ${models.testsRun - models.failures.length} of ${models.testsRun} passed\n`);
    if (models.failures.length > 0) {
      process.stdout.write(`${failuresText(models)}\n`);
      throw new CliError('data tests failed on the demo school', ExitCode.dataTestsFailed);
    }

    step('4/4 Building the dashboards');
    const out = path.resolve(values.out ?? DEFAULT_OUT_DIR);
    await buildOrFail(db, out, true);
    process.stdout.write(`  built into ${out}\n`);
    step('');

    if (values.serve) await serveUntilStopped(out, intOption(values.port, 'port', 3000, 0));
    else process.stdout.write(`\nDone. Serve the dashboards with: npx pastoral serve --dir ${path.relative(process.cwd(), out) || '.'}\n`);
  },
);
