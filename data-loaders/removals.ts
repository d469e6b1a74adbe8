import type { DuckDBConnection } from '@duckdb/node-api';
import type { FileSpec } from './contract.ts';
import type { FilePlan, LoadContext } from './file-plan.ts';
import type { FileWindow } from './file-report.ts';
import { DEFAULT_REMOVAL_LIMIT, WINDOW_DATE, windowText, type WindowRule } from './windows.ts';
import { SCHOOL_KEYS } from '../src/warehouse/raw-rows.ts';
import { ident, literal, queryRows } from '../src/warehouse/warehouse.ts';

/** An import stopped because a file would remove too much of what its window held. */
export class RemovalGuardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemovalGuardError';
  }
}

/** A row's key as a JSON object, for the audit table: {"event_id": "E1", "student_id": "A"}. */
export function keyJson(spec: FileSpec, alias: string): string {
  return `json_object(${spec.key.map((k) => `${literal(k)}, ${alias}.${ident(k)}`).join(', ')})`;
}

/**
 * A held row (`alias`, from the stored table) as JSON, as the raw view shows it: its school's id
 * (`schoolId`, SQL) where the stored row has its number, then its columns, for the audit table.
 */
export function heldRowJson(spec: FileSpec, alias: string, schoolId: string): string {
  const columns = [...spec.columns.map((c) => c.name), 'extra'].map((c) => `${literal(c)}: ${alias}.${ident(c)}`);
  return `to_json({'school_id': ${schoolId}, ${columns.join(', ')}})`;
}

/** A school's window as found: its bounds as epoch days (exact for any date) and as text for the report. */
export interface SchoolWindow {
  school_id: string;
  /** Its number in the stored rows (null: it has none, so the warehouse holds nothing of it). */
  school_key: number | null;
  first_epoch: number | null;
  last_epoch: number | null;
  first_day: string | null;
  last_day: string | null;
  full_snapshot: boolean;
}

/**
 * Finds what a file removes: per school, its window (its rows' first to last date, or the one
 * declared, or everything for a full snapshot), the rows the warehouse holds in that window, and
 * those whose key the file lacks (into `removed_tmp`, when there are any). A key counts as present when any row of
 * the file carries it, rejected or not: a row the MIS still has is never removed because this
 * export's copy failed a check. A record the reader could not split into columns carries no key
 * that can be trusted (`mayRemove` false): any held row may be it, so that file removes nothing. Stops the import (nothing changed) when a school's window would
 * lose more than the allowed share of its rows.
 *
 * The windows are found first (on the file's rows, small) and then written into the queries on the
 * raw table as constants: DuckDB then skips every row group outside the school and the dates
 * (zone maps), where a join with a table of windows scanned the whole raw table, every school of
 * a trust, for each file of a weekly import.
 */
export async function findRemovals(
  connection: DuckDBConnection,
  context: LoadContext,
  plan: FilePlan,
  school: string,
  known?: readonly SchoolWindow[],
  /** False when the file has records the reader could not split: their keys are unknown, so nothing is removed. */
  mayRemove = true,
): Promise<{ removed: number; windows: FileWindow[] }> {
  const { spec } = context;
  const placing = WINDOW_DATE[spec.name];
  if (placing === null) return { removed: 0, windows: [] };
  const dated = datedBy(spec);
  // The windows, when the caller did not find them already (windowsSql, in its row counts).
  const found = known ?? (await queryRows<SchoolWindow>(connection, `${windowsSql(context, plan, school) as string} ORDER BY school_id`));

  const keyNames = spec.key.map((k) => ident(`k_${k}`));
  const inWindow = found.length > 0 ? found.map((w) => `(${windowCondition(w, dated)})`).join(' OR ') : 'false';
  // The stored rows name their school by number: its id, from the few schools of the file.
  const keyed = found.filter((w) => w.school_key !== null);
  const schoolOf = keyed.length > 0 ? `CASE held_row.school_key ${keyed.map((w) => `WHEN ${w.school_key} THEN ${literal(w.school_id)}`).join(' ')} END` : 'NULL::VARCHAR';
  // The held rows of the window whose key the file lacks (a key may repeat in the file: the
  // anti-join does not mind). Keys as the warehouse stores them.
  const lacking = `SELECT h.* FROM (
      SELECT ${schoolOf} AS school_id, held_row.school_key, ${spec.key.map((k, i) => `held_row.${ident(k)} AS ${keyNames[i]}`).join(', ')}
      FROM ${plan.table} AS held_row WHERE ${inWindow}) h
    ANTI JOIN (SELECT ${school} AS school_id, ${plan.keyExprs.map((e, i) => `${e} AS ${keyNames[i]}`).join(', ')} FROM rows) f
      ON f.school_id = h.school_id AND ${keyNames.map((n) => `f.${n} = h.${n}`).join(' AND ')}`;
  const counts = await queryRows<{ school_id: string; held: number; removed: number }>(
    connection,
    `SELECT school_id, sum(held)::INTEGER AS held, sum(removed)::INTEGER AS removed FROM (
       SELECT ${schoolOf} AS school_id, count(*) AS held, 0 AS removed FROM ${plan.table} AS held_row WHERE ${inWindow} GROUP BY ALL
       ${mayRemove ? `UNION ALL SELECT school_id, 0, count(*) FROM (${lacking}) GROUP BY ALL` : ''})
     GROUP BY ALL`,
  );
  // Kept for removeRows only when there is something to remove (a weekly file seldom removes anything).
  if (counts.some((c) => c.removed > 0)) await connection.run(`CREATE TEMP TABLE removed_tmp AS ${lacking}`);
  const countOf = new Map(counts.map((c) => [c.school_id, c]));
  const windows: FileWindow[] = found.map((w) => ({
    schoolId: w.school_id,
    from: w.first_day,
    to: w.last_day,
    full: w.full_snapshot,
    held: countOf.get(w.school_id)?.held ?? 0,
    removed: countOf.get(w.school_id)?.removed ?? 0,
  }));
  const limit = context.removalLimit ?? DEFAULT_REMOVAL_LIMIT;
  const tooMany = context.allowRemovals || !dated ? undefined : windows.find((w) => w.removed > 0 && w.removed > limit * w.held);
  if (tooMany) {
    const share = Math.round((100 * tooMany.removed) / tooMany.held);
    const span = tooMany.full ? 'of any date' : `dated ${windowText(tooMany.from, tooMany.to, false)}`;
    throw new RemovalGuardError(
      `${tooMany.schoolId}/${context.fileName ?? spec.fileName} would remove ${tooMany.removed} of the ${tooMany.held} ${spec.name} rows ${span} ` +
        `(${share}%, more than ${Math.round(limit * 100)}%): is the export cut short or filtered? Nothing was imported; if the export is right, import it with --allow-removals`,
    );
  }
  return { removed: windows.reduce((n, w) => n + w.removed, 0), windows };
}

type Dated = { column: string; cast?: 'DATE'; end?: string } | null;

/**
 * The column placing a type's rows in a window; null for a snapshot type (the school day), which
 * has no dates: every file is a full snapshot of it, and its rows are a definition, not records,
 * so a new day with fewer periods is not held by the guard.
 */
function datedBy(spec: FileSpec): Dated {
  const placing = WINDOW_DATE[spec.name];
  return placing === null || placing === 'snapshot' ? null : placing;
}

/**
 * SQL: each school's window (a SchoolWindow per row, unordered), or null for a type with no
 * windows: from the file's good rows in `rows` (first to last date; a school with none has no
 * window), declared, or a full snapshot (every school of the file, and the folder's own). A
 * query on the file's rows alone, so the checked path asks it inside its row counts (one
 * statement fewer per file: a trust's weekly import is 300 files, each statement a few ms).
 */
export function windowsSql(context: LoadContext, plan: FilePlan, school: string): string | null {
  if (WINDOW_DATE[context.spec.name] === null) return null;
  const dated = datedBy(context.spec);
  const rule: WindowRule = dated ? (context.window ?? { kind: 'rows' }) : { kind: 'full' };
  const dateOf = (column: string) => `rows.${ident(column)}${dated?.cast ? `::${dated.cast}` : ''}`;
  const schools = `SELECT DISTINCT ${school} AS school_id FROM rows${context.mapping.school ? '' : ` UNION SELECT ${plan.folderSchool}`}`;
  const days =
    rule.kind === 'rows' && dated
      ? `SELECT ${school} AS school_id, min(${dateOf(dated.column)}) AS first_day, max(${dateOf(dated.end ?? dated.column)}) AS last_day, false AS full_snapshot
         FROM rows WHERE ok GROUP BY ALL`
      : rule.kind === 'declared'
        ? `SELECT school_id, DATE ${literal(rule.from)} AS first_day, DATE ${literal(rule.to)} AS last_day, false AS full_snapshot FROM (${schools})`
        : `SELECT school_id, NULL::DATE AS first_day, NULL::DATE AS last_day, true AS full_snapshot FROM (${schools})`;
  return `SELECT school_id, sk.school_key, (first_day - DATE '1970-01-01')::INTEGER AS first_epoch, (last_day - DATE '1970-01-01')::INTEGER AS last_epoch,
       strftime(first_day, '%Y-%m-%d') AS first_day, strftime(last_day, '%Y-%m-%d') AS last_day, full_snapshot
     FROM (${days}) LEFT JOIN ${SCHOOL_KEYS} sk USING (school_id)`;
}

/**
 * SQL: a held row (`held_row`) is inside the school's window, with the school and the dates as
 * constants (so DuckDB's zone maps skip the rest of the table). A date-time column (contacts) is
 * in the window when its day is: from the first day's midnight to before the day after the last.
 */
function windowCondition(w: SchoolWindow, dated: Dated): string {
  // A school with no number has no rows.
  if (w.school_key === null) return 'false';
  const sameSchool = `held_row.school_key = ${w.school_key}`;
  if (!dated || w.full_snapshot) return sameSchool;
  // No first or last day (as BETWEEN with NULL): nothing is inside the window.
  if (w.first_epoch === null || w.last_epoch === null) return 'false';
  const day = (epoch: number) => `(DATE '1970-01-01' + ${epoch})`;
  const column = `held_row.${ident(dated.column)}`;
  if (dated.cast) return `${sameSchool} AND ${column} >= CAST(${day(w.first_epoch)} AS TIMESTAMP) AND ${column} < CAST(${day(w.last_epoch + 1)} AS TIMESTAMP)`;
  return `${sameSchool} AND ${column} BETWEEN ${day(w.first_epoch)} AND ${day(w.last_epoch)}`;
}

/**
 * Removes what `findRemovals` found (in `removed_tmp`): each row is first kept in
 * raw.removed_rows (change 'removed'), so re-importing the older file can put it back.
 */
export async function removeRows(connection: DuckDBConnection, context: LoadContext, plan: FilePlan): Promise<void> {
  const { spec } = context;
  const heldKeys = spec.key.map((k) => `held_row.${ident(k)} = r.${ident(`k_${k}`)}`).join(' AND ');
  await connection.run(`INSERT INTO raw.removed_rows
    SELECT ${literal(context.importId ?? '')}, ${literal(spec.name)}, r.school_id, ${keyJson(spec, 'held_row')}, ${heldRowJson(spec, 'held_row', 'r.school_id')}, 'removed'
    FROM ${plan.table} AS held_row JOIN removed_tmp r ON held_row.school_key = r.school_key AND ${heldKeys}`);
  await connection.run(`DELETE FROM ${plan.table} AS held_row USING removed_tmp r WHERE held_row.school_key = r.school_key AND ${heldKeys}`);
}
