import type { DuckDBConnection } from '@duckdb/node-api';
import type { FileSpec } from './contract.ts';
import type { FilePlan, LoadContext } from './file-plan.ts';
import type { FileWindow } from './file-report.ts';
import { DEFAULT_REMOVAL_LIMIT, WINDOW_DATE, windowText, type WindowRule } from './windows.ts';
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
 * Finds what a file removes: per school, its window (its rows' first to last date, or the one
 * declared, or everything for a full snapshot), the rows the warehouse holds in that window, and
 * those whose key the file lacks (into `removed_tmp`). A key counts as present when any row of
 * the file carries it, rejected or not: a row the MIS still has is never removed because this
 * export's copy failed a check. Stops the import (nothing changed) when a school's window would
 * lose more than the allowed share of its rows.
 */
export async function findRemovals(connection: DuckDBConnection, context: LoadContext, plan: FilePlan, school: string): Promise<{ removed: number; windows: FileWindow[] }> {
  const { spec } = context;
  const placing = WINDOW_DATE[spec.name];
  if (placing === null) return { removed: 0, windows: [] };
  // A snapshot type (the school day) has no dates: every file is a full snapshot of it, and its
  // rows are a definition, not records, so a new day with fewer periods is not held by the guard.
  const dated = placing === 'snapshot' ? null : placing;
  const rule: WindowRule = dated ? (context.window ?? { kind: 'rows' }) : { kind: 'full' };
  const run = (sql: string) => connection.run(sql);
  const dateOf = (alias: string, column: string) => `${alias}.${ident(column)}${dated?.cast ? `::${dated.cast}` : ''}`;

  const schools = `SELECT DISTINCT ${school} AS school_id FROM rows${context.mapping.school ? '' : ` UNION SELECT ${plan.folderSchool}`}`;
  if (rule.kind === 'rows' && dated) {
    await run(`CREATE TEMP TABLE file_windows AS
      SELECT ${school} AS school_id, min(${dateOf('rows', dated.column)}) AS first_day, max(${dateOf('rows', dated.end ?? dated.column)}) AS last_day, false AS full_snapshot
      FROM rows WHERE ok GROUP BY ALL`);
  } else if (rule.kind === 'declared') {
    await run(`CREATE TEMP TABLE file_windows AS
      SELECT school_id, DATE ${literal(rule.from)} AS first_day, DATE ${literal(rule.to)} AS last_day, false AS full_snapshot FROM (${schools})`);
  } else {
    await run(`CREATE TEMP TABLE file_windows AS SELECT school_id, NULL::DATE AS first_day, NULL::DATE AS last_day, true AS full_snapshot FROM (${schools})`);
  }

  const keyNames = spec.key.map((k) => ident(`k_${k}`));
  // Keys as the warehouse stores them (a key may repeat here: the anti-join below does not mind).
  await run(`CREATE TEMP TABLE file_keys AS
    SELECT ${school} AS school_id, ${plan.keyExprs.map((e, i) => `${e} AS ${keyNames[i]}`).join(', ')} FROM rows`);
  const inWindow = dated
    ? `held_row.school_id = w.school_id AND (w.full_snapshot OR ${dateOf('held_row', dated.column)} BETWEEN w.first_day AND w.last_day)`
    : 'held_row.school_id = w.school_id';
  await run(`CREATE TEMP TABLE removed_tmp AS
    SELECT h.* FROM (
      SELECT held_row.school_id, ${spec.key.map((k, i) => `held_row.${ident(k)} AS ${keyNames[i]}`).join(', ')}
      FROM ${plan.table} AS held_row JOIN file_windows w ON ${inWindow}) h
    ANTI JOIN file_keys f ON f.school_id = h.school_id AND ${keyNames.map((n) => `f.${n} = h.${n}`).join(' AND ')}`);

  const perSchool = await queryRows<{ school_id: string; first_day: string | null; last_day: string | null; full_snapshot: boolean; held: number; removed: number }>(
    connection,
    `SELECT w.school_id, strftime(w.first_day, '%Y-%m-%d') AS first_day, strftime(w.last_day, '%Y-%m-%d') AS last_day, w.full_snapshot,
       (SELECT count(*) FROM ${plan.table} AS held_row WHERE ${inWindow})::INTEGER AS held,
       (SELECT count(*) FROM removed_tmp r WHERE r.school_id = w.school_id)::INTEGER AS removed
     FROM file_windows w ORDER BY w.school_id`,
  );
  const windows: FileWindow[] = perSchool.map((w) => ({
    schoolId: w.school_id,
    from: w.first_day,
    to: w.last_day,
    full: w.full_snapshot,
    held: w.held,
    removed: w.removed,
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

/**
 * Removes what `findRemovals` found (in `removed_tmp`): each row is first kept in
 * raw.removed_rows (change 'removed'), so re-importing the older file can put it back.
 */
export async function removeRows(connection: DuckDBConnection, context: LoadContext, plan: FilePlan): Promise<void> {
  const { spec } = context;
  const heldKeys = spec.key.map((k) => `held_row.${ident(k)} = r.${ident(`k_${k}`)}`).join(' AND ');
  await connection.run(`INSERT INTO raw.removed_rows
    SELECT ${literal(context.importId ?? '')}, ${literal(spec.name)}, held_row.school_id, ${keyJson(spec, 'held_row')}, to_json(held_row), 'removed'
    FROM ${plan.table} AS held_row JOIN removed_tmp r ON held_row.school_id = r.school_id AND ${heldKeys}`);
  await connection.run(`DELETE FROM ${plan.table} AS held_row USING removed_tmp r WHERE held_row.school_id = r.school_id AND ${heldKeys}`);
}
