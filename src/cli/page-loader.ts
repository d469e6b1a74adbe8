/**
 * The process around each page-data loader. Framework starts one per loader, through
 * observablehq.config.ts's interpreter: `node tsx/cli src/cli/page-loader.ts reports/data/x.json.ts`.
 * What a process owns is settled here, not in the core (src/page-data/mart-export.ts):
 * - the loader's stdout is its data file, so anything a library logs with console.log (Kysely
 *   prints deprecation notices that way) goes to stderr instead;
 * - a failure is one line on stderr, `data loader failed: …`, and exit code 1 (Framework then
 *   fails the build, naming the loader).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const toStderr = (...args: unknown[]) => {
  process.stderr.write(`${args.map(String).join(' ')}\n`);
};

/** Runs the loader module at `loaderPath`; returns the exit code. */
export async function runPageLoader(loaderPath: string): Promise<number> {
  console.log = console.info = console.debug = toStderr;
  try {
    await import(pathToFileURL(path.resolve(loaderPath)).href);
    return 0;
  } catch (error) {
    process.stderr.write(`data loader failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const loader = process.argv[2];
if (loader === undefined) {
  process.stderr.write('usage: tsx src/cli/page-loader.ts LOADER.ts\n');
  process.exitCode = 2;
} else {
  // The loader sees the arguments it would see run on its own: argv[1] itself, then Framework's parameters.
  process.argv.splice(1, 1);
  process.exitCode = await runPageLoader(loader);
}
