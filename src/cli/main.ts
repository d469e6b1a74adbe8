import type { Command } from './command.ts';
import { CliError, ExitCode } from './errors.ts';

interface CommandEntry {
  name: string;
  summary: string;
  /** Loaded on use, so `pastoral ingest` never pays for the dashboard builder's imports. */
  load: () => Promise<Command>;
}

const commands: CommandEntry[] = [
  { name: 'run', summary: 'The whole job on the demo school: generate → ingest → models → build (→ serve with --serve)', load: async () => (await import('./commands/run.ts')).runCmd },
  { name: 'demo', summary: "Write a synthetic school's exports in the canonical format", load: async () => (await import('./commands/demo.ts')).demoCmd },
  { name: 'ingest', summary: 'Load school exports into the DuckDB warehouse (one transaction)', load: async () => (await import('./commands/ingest.ts')).ingestCmd },
  { name: 'check', summary: 'Validate exports without loading them; same report as ingest', load: async () => (await import('./commands/ingest.ts')).checkCmd },
  { name: 'models', summary: 'Build the SQL models in dependency order and run the data tests', load: async () => (await import('./commands/models.ts')).modelsCmd },
  { name: 'build', summary: 'Build the static dashboards from the warehouse into dist/', load: async () => (await import('./commands/build.ts')).buildCmd },
  { name: 'serve', summary: 'Serve the built dashboards (localhost; the school network behind a login with --host)', load: async () => (await import('./commands/serve.ts')).serveCmd },
  { name: 'refresh', summary: 'The weekly routine: import new exports, rebuild models and dashboards (swapped in when built), say what changed', load: async () => (await import('./commands/refresh.ts')).refreshCmd },
  { name: 'purge', summary: 'Remove every record of pupils who left before a date (retention), in one transaction', load: async () => (await import('./commands/purge.ts')).purgeCmd },
  { name: 'compact', summary: 'Rewrite the warehouse into a fresh file (no trace of purged rows; the current storage format)', load: async () => (await import('./commands/compact.ts')).compactCmd },
  { name: 'report', summary: 'Print the termly report for SLT and governors to PDF (report termly --term … --pdf FILE)', load: async () => (await import('./commands/report.ts')).reportCmd },
  { name: 'bench', summary: 'Time ingest of a large demo export beside a plain DuckDB read (rows/s)', load: async () => (await import('./commands/bench.ts')).benchCmd },
];

function usage(): string {
  return [
    'Usage: pastoral <command> [options]',
    '',
    'Pastoral analytics for secondary schools: exports → DuckDB → SQL models → dashboards.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Run `pastoral <command> --help` for the options of one command.',
  ].join('\n');
}

/** Runs the CLI and returns the exit code; every failure becomes one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`pastoral: unknown command "${name}". Commands: ${commands.map((c) => c.name).join(', ')}\n`);
    return ExitCode.usage;
  }
  try {
    const command = await entry.load();
    return await command.run(rest);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`pastoral ${name}: ${message.split('\n')[0]}\n`);
    if (process.env.PASTORAL_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return error instanceof CliError ? error.exitCode : ExitCode.failure;
  }
}
