import path from 'node:path';
import { defineCommand, intOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { buildSite, repoRoot } from '../../build/build-site.ts';
import { DEFAULT_DB_PATH } from '../../warehouse/warehouse.ts';

export const DEFAULT_OUT_DIR = 'dist';

export async function buildOrFail(db: string, out: string, quiet = false): Promise<void> {
  try {
    await buildSite({ dbPath: db, outDir: out, quiet });
  } catch (error) {
    throw new CliError(`dashboard build failed: ${(error as Error).message.split('\n').slice(-3).join(' ')}`, ExitCode.buildFailed);
  }
}

export const buildCmd = defineCommand(
  {
    name: 'build',
    usage: 'pastoral build [--db FILE] [--out DIR]',
    summary: 'Builds the static dashboards (Observable Framework) from the warehouse into dist/, with no network.',
    options: {
      db: { type: 'string', description: 'Warehouse file', valueName: 'FILE', default: DEFAULT_DB_PATH },
      out: { type: 'string', description: 'Output folder', valueName: 'DIR', default: DEFAULT_OUT_DIR },
      quiet: { type: 'boolean', description: "Hide Framework's build log" },
    },
  },
  async (values) => {
    const out = path.resolve(values.out ?? path.join(repoRoot, DEFAULT_OUT_DIR));
    await buildOrFail(values.db ?? DEFAULT_DB_PATH, out, values.quiet);
    process.stdout.write(`Built dashboards into ${out}\n`);
  },
);
