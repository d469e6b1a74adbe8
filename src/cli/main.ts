import type { Command } from './command.ts';
import { CliError, ExitCode } from './errors.ts';
import { checkCmd, ingestCmd } from './commands/ingest.ts';
import { modelsCmd } from './commands/models.ts';

const commands: Command[] = [ingestCmd, checkCmd, modelsCmd];

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
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`pastoral: unknown command "${name}". Commands: ${commands.map((c) => c.name).join(', ')}\n`);
    return ExitCode.usage;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`pastoral ${name}: ${message.split('\n')[0]}\n`);
    if (process.env.PASTORAL_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return error instanceof CliError ? error.exitCode : ExitCode.failure;
  }
}
