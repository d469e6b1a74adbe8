import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, ExitCode } from './errors.ts';
import { isMemoryLimit } from '../warehouse/memory.ts';

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; valueName?: string };

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  name: string;
  summary: string;
  usage: string;
  options: O;
  /** Free text printed under the options in --help. */
  details?: string;
  allowPositionals?: boolean;
}

export type ParsedValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string;
};

export interface Command {
  name: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** Renders `--help` for a command from its spec, so help can never drift from parsing. */
export function helpText<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): string {
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, ''];
  const entries = Object.entries(spec.options);
  if (entries.length > 0) {
    lines.push('Options:');
    for (const [name, option] of entries) {
      const flag = `--${name}${option.type === 'string' ? ` ${option.valueName ?? 'VALUE'}` : ''}`;
      const def = option.default !== undefined ? ` (default: ${String(option.default)})` : '';
      lines.push(`  ${flag.padEnd(24)} ${option.description}${def}`);
    }
  }
  lines.push(`  ${'--help'.padEnd(24)} Show this help`);
  if (spec.details) lines.push('', spec.details);
  return lines.join('\n');
}

/**
 * Defines a subcommand: parses argv strictly (unknown flags are usage errors with exit 2),
 * answers --help, then hands typed values and positionals to `action`.
 */
export function defineCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  action: (values: ParsedValues<O>, positionals: string[]) => Promise<number | void>,
): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    async run(argv) {
      if (argv.includes('--help') || argv.includes('-h')) {
        process.stdout.write(`${helpText(spec)}\n`);
        return ExitCode.ok;
      }
      const options: NonNullable<ParseArgsConfig['options']> = {};
      for (const [name, option] of Object.entries(spec.options)) {
        const { description: _d, valueName: _v, ...rest } = option;
        options[name] = rest;
      }
      let parsed;
      try {
        parsed = parseArgs({ args: argv, options, allowPositionals: spec.allowPositionals ?? false, strict: true });
      } catch (error) {
        throw new CliError(`${(error as Error).message}. Try: pastoral ${spec.name} --help`, ExitCode.usage);
      }
      const code = await action(parsed.values as ParsedValues<O>, parsed.positionals);
      return code ?? ExitCode.ok;
    },
  };
}

/** Reads a positive integer option, or fails with a usage error naming the flag. */
export function intOption(value: string | undefined, flag: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${flag} must be a whole number ≥ ${min}, got "${value}"`, ExitCode.usage);
  return n;
}

/** Checks --memory-limit (a size DuckDB accepts), or a usage error naming the flag. */
export function memoryLimitOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isMemoryLimit(value)) throw new CliError(`--memory-limit must be a size like 4GB or 800MB, got "${value}"`, ExitCode.usage);
  return value.trim();
}
