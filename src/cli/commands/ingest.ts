import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineCommand, memoryLimitOption } from '../command.ts';
import { CliError, ExitCode } from '../errors.ts';
import { importProgress, importSummary } from '../import-report-lines.ts';
import { ingest } from '../../../data-loaders/ingest.ts';
import { PROFILES } from '../../../data-loaders/profiles/index.ts';
import { RECORD_TYPES } from '../../../data-loaders/contract.ts';
import { DEFAULT_REMOVAL_LIMIT, parseCovers, WINDOW_DATE, type WindowRule } from '../../../data-loaders/windows.ts';
import { DEFAULT_DB_PATH, defaultMemoryLimit, IN_MEMORY, withWarehouse } from '../../warehouse/warehouse.ts';

/** The CLI options that say which dates the exports cover (shared by ingest, check and refresh). */
export const windowOptions = {
  covers: {
    type: 'string',
    multiple: true,
    description: 'The dates the exports cover, e.g. 2025-09-01..2026-07-22, or for one record type: behaviour=2025-09-01..2026-07-22 (default: each file\'s first to last date)',
    valueName: '[TYPE=]FROM..TO',
  },
  full: { type: 'boolean', description: 'Each export is a complete snapshot of its record type: anything of the school it lacks is removed' },
  'allow-removals': { type: 'boolean', description: `Remove rows the exports lack even when a file would remove more than ${Math.round(DEFAULT_REMOVAL_LIMIT * 100)}% of its window` },
} as const;

export const windowHelp = [
  'Removals: a file covers a window of dates for its school and record type (its first to last date, or --covers, or --full).',
  'A row the warehouse holds in that window that the file lacks was deleted in the MIS: it is removed (kept in raw.removed_rows).',
  `Students are never removed. A file that would remove more than ${Math.round(DEFAULT_REMOVAL_LIMIT * 100)}% of its window stops the import (nothing changes) unless --allow-removals.`,
].join('\n');

/** Reads --covers and --full into the windows ingest takes (usage errors for anything unreadable). */
export function windowRules(values: { covers?: string[]; full?: boolean }): Record<string, WindowRule> {
  const rules: Record<string, WindowRule> = {};
  if (values.full) rules['*'] = { kind: 'full' };
  for (const text of values.covers ?? []) {
    const eq = text.indexOf('=');
    const type = eq >= 0 ? text.slice(0, eq).trim().toLowerCase() : '*';
    if (type !== '*' && !(RECORD_TYPES as readonly string[]).includes(type)) {
      throw new CliError(`--covers: unknown record type "${type}" (types: ${RECORD_TYPES.filter((t) => WINDOW_DATE[t] !== null && WINDOW_DATE[t] !== 'snapshot').join(', ')})`, ExitCode.usage);
    }
    if (type !== '*' && WINDOW_DATE[type as keyof typeof WINDOW_DATE] === null) {
      throw new CliError(`--covers: ${type} have no window (pupils are never removed by absence)`, ExitCode.usage);
    }
    if (type !== '*' && WINDOW_DATE[type as keyof typeof WINDOW_DATE] === 'snapshot') {
      throw new CliError(`--covers: ${type} have no window (each file is the whole school day)`, ExitCode.usage);
    }
    const rule = parseCovers(eq >= 0 ? text.slice(eq + 1) : text);
    if ('error' in rule) throw new CliError(rule.error, ExitCode.usage);
    if (rules[type]) throw new CliError(`--covers given twice for ${type === '*' ? 'all record types' : type}${values.full && type === '*' ? ' (with --full)' : ''}`, ExitCode.usage);
    rules[type] = rule;
  }
  return rules;
}

const profileHelp = [
  'Files: each school folder is read whole. A file named after a record type (students.csv, behaviour.csv, …) is read',
  'as that type; any other .csv is recognised from its headers (the canonical layout, or a vendor profile). Files that',
  'fit nothing are listed as ignored, with the reason. --profile NAME reads files with that profile instead.',
  '',
  'Vendor profiles (docs/vendor-profiles.md):',
  ...PROFILES.map((p) => `  ${p.name.padEnd(26)} ${p.title}`),
].join('\n');

function ingestCommand(name: 'ingest' | 'check') {
  const dryRun = name === 'check';
  return defineCommand(
    {
      name,
      usage: `pastoral ${name} DIR… [--db FILE] [--profile NAME]… [--covers [TYPE=]FROM..TO]… [--full] [--allow-removals] [--memory-limit SIZE]`,
      summary: dryRun
        ? 'Validates school exports against the import contract without loading anything; prints the same report as ingest.'
        : 'Loads school exports (a school folder, or a trust folder of school folders) into the DuckDB warehouse as one transaction.',
      allowPositionals: true,
      options: {
        db: { type: 'string', description: 'Warehouse file', valueName: 'FILE', default: DEFAULT_DB_PATH },
        'rejects-dir': { type: 'string', description: 'Where to write the rejects CSV (default: rejects/ beside the warehouse)', valueName: 'DIR' },
        profile: { type: 'string', multiple: true, description: 'Read exports with this vendor profile (repeat for several)', valueName: 'NAME' },
        ...windowOptions,
        'memory-limit': { type: 'string', description: `DuckDB memory limit; past it DuckDB spills to FILE.tmp/ beside the warehouse (default: $PASTORAL_MEMORY_LIMIT, else ${defaultMemoryLimit()})`, valueName: 'SIZE' },
      },
      details: `${profileHelp}\n\n${windowHelp}\n\nExit codes: 0 all rows loaded; 3 some rows rejected or a file stopped (see the report); 1 the import failed, or stopped because a file would remove too much, and nothing changed.`,
    },
    async (values, dirs) => {
      if (dirs.length === 0) throw new CliError(`give at least one export folder, e.g. pastoral ${name} data/demo`, ExitCode.usage);
      const db = values.db ?? DEFAULT_DB_PATH;
      const known = new Set(PROFILES.map((p) => p.name));
      for (const p of values.profile ?? []) {
        if (!known.has(p)) throw new CliError(`unknown profile "${p}": known profiles are ${[...known].join(', ')}`, ExitCode.usage);
      }
      const windows = windowRules(values);
      const memoryLimit = memoryLimitOption(values['memory-limit']);
      const progress = importProgress(process.stdout, process.stderr);
      // A check loads nothing, so it makes nothing either: with no warehouse file yet, it checks
      // against an empty warehouse in memory (the same as a new file) rather than creating one.
      const target = dryRun && db !== IN_MEMORY && !existsSync(db) ? IN_MEMORY : db;
      const report = await withWarehouse(target, async (connection) => {
        try {
          return await ingest(connection, dirs, {
            dryRun,
            profiles: values.profile ?? [],
            windows,
            allowRemovals: values['allow-removals'] ?? false,
            rejectsDir: values['rejects-dir'] ?? path.join(path.dirname(db), 'rejects'),
            onPlan: (files, ignored) => progress.plan(files, ignored),
            onFileStart: (file, index, total) => progress.start(file, index, total),
            onFileDone: (r) => progress.done(r),
          });
        } finally {
          progress.finish();
        }
      }, { memoryLimit });
      process.stdout.write(`${importSummary(report)}\n`);
      const rejected = report.files.some((f) => f.rowsRejected > 0);
      return rejected || report.stopped.length > 0 ? ExitCode.badInput : ExitCode.ok;
    },
  );
}

export const ingestCmd = ingestCommand('ingest');
export const checkCmd = ingestCommand('check');
