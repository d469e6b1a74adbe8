import path from 'node:path';
import { defineCommand, intOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { buildSite, repoRoot } from '../../build/build-site.ts';
import { serveStatic } from '../../build/serve-static.ts';
import { DEFAULT_DB_PATH } from '../../warehouse/warehouse.ts';

export const DEFAULT_OUT_DIR = 'dist';

export async function buildOrFail(db: string, out: string, quiet = false): Promise<void> {
  try {
    await buildSite({ dbPath: db, outDir: out, quiet });
  } catch (error) {
    throw new CliError(`dashboard build failed: ${(error as Error).message.split('\n').slice(-3).join(' ')}`, ExitCode.buildFailed);
  }
}

/** Serves a built site until Ctrl-C, printing the address to open. */
export async function serveUntilStopped(dir: string, port: number): Promise<void> {
  const server = await serveStatic(path.resolve(dir), { port });
  process.stdout.write(`\nDashboards: ${server.url}\n(Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
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

export const serveCmd = defineCommand(
  {
    name: 'serve',
    usage: 'pastoral serve [--dir DIR] [--port N]',
    summary: 'Serves the built dashboards on localhost (127.0.0.1 only: pupil data never leaves the machine).',
    options: {
      dir: { type: 'string', description: 'Built site', valueName: 'DIR', default: DEFAULT_OUT_DIR },
      port: { type: 'string', description: 'Port (0 picks a free one)', valueName: 'N', default: '3000' },
    },
  },
  async (values) => {
    await serveUntilStopped(values.dir ?? DEFAULT_OUT_DIR, intOption(values.port, 'port', 3000, 0));
  },
);
