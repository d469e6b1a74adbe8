import type { DuckDBConnection } from '@duckdb/node-api';
import { detailQuery } from './detail-query.ts';
import { queryOne, retiredCodesSql, type FilePlan, type LoadContext } from './file-plan.ts';
import type { LoadOutcome } from './file-report.ts';
import { rawRowsTable } from '../src/warehouse/raw-rows.ts';
import { ident } from '../src/warehouse/warehouse.ts';

/**
 * The direct path: insert the rows that pass straight from the CSV reader, then check that every
 * record of the file was loaded (or logged by the reader as malformed) and probe the inserted
 * keys for repeats. If so, that was the whole load. Otherwise the insert is undone (the school
 * had no rows before) and null tells the caller to take the checked path.
 */
export async function loadDirectly(connection: DuckDBConnection, context: LoadContext, plan: FilePlan): Promise<LoadOutcome | null> {
  const { spec, mapping } = context;
  // Whether the school has any row of this type (the first one found ends the scan).
  const held = await queryOne<{ held: boolean }>(connection, `SELECT EXISTS (SELECT 1 FROM ${plan.table} WHERE school_key = ${plan.folderKey}) AS held`);
  if (held.held) return null;
  const detail = detailQuery(spec, mapping, plan.folderSchool, plan.directReader, 'NULL::BIGINT', 'NULL::BIGINT', plan.direct);
  const inserted = await connection.run(`INSERT INTO ${plan.table} (school_key, ${plan.allColumns.join(', ')}, extra)
    SELECT ${plan.folderKey}, ${plan.selectList.join(', ')}, extra FROM (SELECT *, ${plan.directOkExpr} AS ok FROM (${detail})) WHERE ok`);
  const loaded = inserted.rowsChanged;
  const probe = await queryOne<{ malformed: number; unreadable: number; repeats: number; unknown: number; retired: Array<{ code: string; n: number }> | null }>(
    connection,
    // A CAST error is a value the reader could not type (a typed column): the checked path reads it as text.
    `SELECT (SELECT count(DISTINCT line) FILTER (WHERE error_type <> 'CAST') FROM src_csv_errors)::INTEGER AS malformed,
       (SELECT count(*) FILTER (WHERE error_type = 'CAST') FROM src_csv_errors)::INTEGER AS unreadable,
       ${repeatsSql(context, plan)} AS repeats,
       ${
         plan.pupilChecked
           ? `(SELECT count(*) FROM ${plan.table} a WHERE a.school_key = ${plan.folderKey}
               AND a.student_id NOT IN (SELECT student_id FROM ${rawRowsTable('students')} WHERE school_key = ${plan.folderKey}))::INTEGER`
           : '0'
       } AS unknown,
       ${retiredCodesSql(context, plan, plan.table, `school_key = ${plan.folderKey}`)} AS retired`,
  );
  // Every record was either loaded or logged by the reader as malformed, if: the file's line
  // breaks allow no more records than that (no count needed), or else DuckDB's own count of the
  // records it can read equals what was loaded (quoted line breaks, blank lines).
  const clean = probe.unreadable === 0 && probe.unknown === 0;
  let everyRecord = clean && loaded + probe.malformed === context.source.recordsAtMost;
  // With records it could not split, the reader's own count is not to be trusted (file-plan.ts,
  // `serialReader`): the checked path counts the text.
  if (!everyRecord && clean && probe.repeats === 0 && probe.malformed === 0) {
    everyRecord = (await queryOne<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM ${plan.counter}`)).n === loaded;
  }
  if (!everyRecord || probe.repeats > 0) {
    // Some row failed or a key repeats (or a hash collided): undo, and load with every check reported.
    if (loaded > 0) await connection.run(`DELETE FROM ${plan.table} WHERE school_key = ${plan.folderKey}`);
    await connection.run('DROP TABLE IF EXISTS src_csv_errors; DROP TABLE IF EXISTS src_csv_scans');
    return null;
  }
  return {
    read: loaded,
    records: loaded,
    loaded,
    bad: 0,
    duplicates: 0,
    counts: { fresh: loaded, changed: 0, unchanged: 0 },
    // The school had no rows of this type: the window held nothing, so nothing is removed.
    removed: 0,
    windows: [],
    schools: [context.schoolId],
    retired: probe.retired ?? [],
    malformed: probe.malformed,
  };
}

/**
 * SQL: how many keys (or, by hash, possible keys) the inserted rows repeat; 0 when none does.
 *
 * A key with a required date in it (the register marks: pupil, date, session) is checked by
 * bits, exactly: the rows are grouped by the key's other columns and the date's year, each
 * group sets one bit per day of the year (bitstring_agg), and a group with fewer bits set than
 * rows holds a date twice, that is a repeated key. A hash aggregate with one bitstring of 46
 * bytes per pupil, session and year: at 3.8M marks about 0.18 CPU s, where sorting the keys'
 * hashes to compare neighbours (any other key, below) took 0.45.
 */
function repeatsSql(context: LoadContext, plan: FilePlan): string {
  const { spec } = context;
  const stored = `${plan.table} WHERE school_key = ${plan.folderKey}`;
  const date = spec.columns.find((c) => c.type === 'date' && c.required && spec.key.includes(c.name));
  if (!date) {
    return `(SELECT count(*) FROM (SELECT h, lag(h) OVER (ORDER BY h) AS previous FROM (SELECT hash(${plan.keyExprs.join(', ')}) AS h FROM ${stored}))
        WHERE h = previous)::INTEGER`;
  }
  const others = spec.key.filter((k) => k !== date.name).map((k) => plan.keyExprs[spec.key.indexOf(k)]);
  const day = ident(date.name);
  return `(SELECT count(*) FILTER (WHERE bit_count(days) <> n) FROM (
        SELECT count(*) AS n, bitstring_agg(dayofyear(${day}), 1, 366) AS days FROM ${stored} GROUP BY ${[...others, `year(${day})`].join(', ')}))::INTEGER`;
}
