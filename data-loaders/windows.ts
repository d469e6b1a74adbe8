import type { RecordType } from './contract.ts';

/**
 * The dates an export covers (docs/data-contract.md, "Windows and removals"). Per school and
 * record type, a file covers a window of dates; a row the warehouse holds inside that window
 * whose key the file lacks was deleted in the MIS, and is removed.
 *
 * - `rows`: from the file's own rows, their earliest to their latest date (the default);
 * - `declared`: given by the user (`--covers 2025-09-01..2026-07-22`);
 * - `full`: the file is a complete snapshot of its record type for the school (`--full`).
 */
export type WindowRule = { kind: 'rows' } | { kind: 'declared'; from: string; to: string } | { kind: 'full' };

/**
 * The date that places a row of each record type in a window, and for the calendar the date a
 * term ends (a calendar file covers from its first term's start to its last term's end).
 * Students have none: pupils are never removed by absence (leavers drop out of exports);
 * a leaver keeps their row and gets a leaving date when the MIS gives one.
 * The school day (periods.csv) has no dates either: each file is the whole of the school's day,
 * a complete snapshot, so a period it no longer lists is removed (`'snapshot'`).
 */
export const WINDOW_DATE: Readonly<Record<RecordType, { column: string; cast?: 'DATE'; end?: string } | null | 'snapshot'>> = {
  students: null,
  periods: 'snapshot',
  behaviour: { column: 'date' },
  attendance: { column: 'date' },
  bsc: { column: 'date' },
  detentions: { column: 'date' },
  interventions: { column: 'start_date' },
  suspensions: { column: 'start_date' },
  contacts: { column: 'date', cast: 'DATE' },
  calendar: { column: 'start_date', end: 'end_date' },
};

/** Share of what a file's window held that it may remove before the import stops (unless --allow-removals). */
export const DEFAULT_REMOVAL_LIMIT = 0.2;

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function validIso(text: string): boolean {
  if (!ISO.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * Reads `--covers FROM..TO` (ISO dates, inclusive). Returns the rule, or a reason it cannot be read.
 */
export function parseCovers(text: string): WindowRule | { error: string } {
  const match = /^\s*(\S+)\s*\.\.\s*(\S+)\s*$/.exec(text);
  if (!match) return { error: `--covers must look like 2025-09-01..2026-07-22, got "${text}"` };
  const [, from, to] = match;
  for (const d of [from, to]) if (!validIso(d)) return { error: `--covers: "${d}" is not a date (use 2025-09-01)` };
  if (from > to) return { error: `--covers: ${from} is after ${to}` };
  return { kind: 'declared', from, to };
}

/** How a window reads in a report: `2025-09-01..2026-07-22`, `full`. */
export function windowText(from: string | null, to: string | null, full: boolean): string {
  if (full) return 'full';
  return from && to ? `${from}..${to}` : '';
}
