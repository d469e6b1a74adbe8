import type { DuckDBConnection } from '@duckdb/node-api';
import { detailQuery } from './detail-query.ts';
import { mayHoldRetiredCodes, planFile, queryOne, retiredCodesBySchoolSql, type LoadContext } from './file-plan.ts';
import { fileReport, type FileReport, type LoadOutcome } from './file-report.ts';
import { flagRows, rowStats, storeRows } from './load-checked.ts';
import { TEMP_TABLES } from './load-file.ts';
import { findRemovals, RemovalGuardError, removeRows } from './removals.ts';
import { WINDOW_DATE } from './windows.ts';
import { rawRowsTable } from '../src/warehouse/raw-rows.ts';
import { literal, queryRows } from '../src/warehouse/warehouse.ts';

/**
 * Several schools' files of one record type, read the same way, loaded as one: the same rows,
 * counts, windows and reports as loading each file alone (load-file.ts), in a few statements
 * for them all.
 *
 *   const reports = await loadBatch(connection, [aBehaviour, bBehaviour, …]); // one report per file, or null: load each alone
 *
 * Why: a trust's weekly import is 300 small files, ten kinds for each of 30 schools, and each
 * file's dozen statements cost a few milliseconds each to plan whatever the file's size (the
 * checks' SQL is long; docs/performance.md, sessions 30 and 33): 9.7 CPU s for 160,000 rows.
 *
 * How: DuckDB's CSV reader reads the files together (their layout is one: the same headers,
 * delimiter, profile and mapping, which the caller checks), each row's school the one of the
 * file it came from (`file_index`), so the rows are those of one file naming its schools
 * (`mapping.school`), which the checked path already loads school by school: its keys, its
 * windows and its removals are per school, and each file is one school here. Each file's report
 * is then the checked path's for that school's rows.
 *
 * Only a batch where every file loads cleanly is loaded so: every line a record, no row
 * rejected, no key repeated, no removal past the guard, every school with rows already holding
 * rows of the type (a school's first import takes the direct path, which is faster for a large
 * file). Anything else (found before a row is written) gives null, with the temporary tables
 * dropped, and the caller loads each file alone, which reports every reject by file, line and
 * column as always. A file with no record (a week with no suspension) is in the batch when it
 * covers no dates: a dated record type under the default window, its rows' own dates. Then
 * nothing of it is stored or removed, and it is reported as alone (a window of no dates); a
 * window given to it (`--covers`, `--full`), the calendar, the school day (a snapshot: an empty
 * one removes every period) or the pupils make the batch give way. In a trust's weekly import, a
 * type with one empty file used to load all 30 files alone: about 25 ms each.
 */
export async function loadBatch(connection: DuckDBConnection, members: readonly LoadContext[]): Promise<FileReport[] | null> {
  if (members.length < 2) return null;
  const first = members[0];
  if (new Set(members.map((m) => m.schoolId)).size !== members.length) throw new Error('a batch holds one file per school');
  // Each row's school from its file, by the reader's file_index (the files in `members`' order).
  const schoolOfRow = `CASE file_index ${members.map((m, i) => `WHEN ${i} THEN ${literal(m.schoolId)}`).join(' ')} END`;
  const context: LoadContext = { ...first, mapping: { ...first.mapping, school: { header: 'the school folder', textExpr: schoolOfRow } } };
  const plan = planFile(context, members.map((m) => m.source.readablePath));
  try {
    await connection.run(`CREATE TEMP TABLE src_read AS SELECT *, file_index FROM ${plan.reader}`);
    const perFile = await queryRows<{ file: number; records: number }>(connection, 'SELECT file_index::INTEGER AS file, count(*)::INTEGER AS records FROM src_read GROUP BY ALL');
    const records = new Map(perFile.map((r) => [r.file, r.records]));
    // A file with fewer records than lines (a malformed record, a blank line, a quoted line break) is reported line by line when loaded alone.
    if (members.some((m, i) => (records.get(i) ?? 0) !== m.source.recordsAtMost || ((records.get(i) ?? 0) === 0 && !coversNothingEmpty(m)))) return await giveUp(connection);
    const detail = detailQuery(context.spec, context.mapping, plan.folderSchool, 'src_read', 'rowid + 1', 'rowid + 1');
    await flagRows(connection, context, plan, detail);
    const stats = await rowStats(connection, context, plan, 'school_id', perFile.reduce((n, r) => n + r.records, 0));
    if (stats.bad > 0 || stats.dup_candidates > 0 || (stats.held === 0 && stats.read > 0)) return await giveUp(connection);
    let removal;
    try {
      removal = await findRemovals(connection, context, plan, 'school_id');
    } catch (error) {
      // Loaded alone, the file stops the import with its own name in the message.
      if (error instanceof RemovalGuardError) return await giveUp(connection);
      throw error;
    }
    const read = stats.read;
    // Every file empty: nothing to store (and no window, so nothing removed).
    if (read > 0) await storeRows(connection, context, plan, 'school_id', { held: stats.held, loaded: read, duplicates: 0 });
    if (removal.removed > 0) await removeRows(connection, context, plan);
    const counts =
      read === 0
        ? []
        : await queryRows<{ school_id: string; read: number; fresh: number; changed: number; unchanged: number }>(
            connection,
            `SELECT school_id, count(*)::INTEGER AS read,
               count(*) FILTER (WHERE load_status = 'new')::INTEGER AS fresh,
               count(*) FILTER (WHERE load_status = 'changed')::INTEGER AS changed,
               count(*) FILTER (WHERE load_status = 'unchanged')::INTEGER AS unchanged
             FROM staged GROUP BY ALL`,
          );
    const retired = read > 0 && mayHoldRetiredCodes(context, plan) ? await queryRows<{ school_id: string; code: string; n: number }>(connection, retiredCodesBySchoolSql('staged')) : [];
    const reports: FileReport[] = [];
    for (const [i, member] of members.entries()) {
      const empty = (records.get(i) ?? 0) === 0;
      const c = counts.find((r) => r.school_id === member.schoolId) ?? (empty ? { read: 0, fresh: 0, changed: 0, unchanged: 0 } : null);
      if (!c) throw new Error(`batch load: no rows of ${member.schoolId} were stored`);
      // An empty file's window, as alone: no dates, nothing held or removed.
      const windows = empty ? [{ schoolId: member.schoolId, from: null, to: null, full: false, held: 0, removed: 0 }] : removal.windows.filter((w) => w.schoolId === member.schoolId);
      const outcome: LoadOutcome = {
        read: c.read,
        records: c.read,
        loaded: c.read,
        bad: 0,
        duplicates: 0,
        counts: { fresh: c.fresh, changed: c.changed, unchanged: c.unchanged },
        removed: windows.reduce((n, w) => n + w.removed, 0),
        windows,
        schools: [member.schoolId],
        retired: retired.filter((r) => r.school_id === member.schoolId).map((r) => ({ code: r.code, n: r.n })),
        malformed: 0,
      };
      reports.push(await fileReport(connection, member, outcome));
    }
    await dropTempTables(connection);
    return reports;
  } catch (error) {
    // The import rolls back; a failed statement leaves the transaction aborted, where the DROP would fail too.
    await dropTempTables(connection).catch(() => {});
    throw error;
  }
}

/**
 * Whether a file with no record covers no dates, so loads as nothing (loadBatch): a dated record
 * type (not the calendar) under the default window, its rows' own dates, of which it has none.
 */
function coversNothingEmpty(member: LoadContext): boolean {
  const dated = WINDOW_DATE[member.spec.name];
  return (member.window?.kind ?? 'rows') === 'rows' && dated !== null && typeof dated === 'object' && dated.end === undefined;
}

/** Which of `members`' schools hold rows of their record type already (only they may be loaded in a batch). */
export async function holdingRows(connection: DuckDBConnection, members: readonly LoadContext[]): Promise<boolean[]> {
  if (members.length === 0) return [];
  const table = rawRowsTable(members[0].spec.name);
  // Each school's own EXISTS: the first row found ends its scan (the stored rows are in school order).
  const row = await queryOne<Record<string, boolean>>(connection, `SELECT ${members.map((m, i) => `EXISTS (SELECT 1 FROM ${table} WHERE school_key = ${m.schoolKey}) AS h${i}`).join(', ')}`);
  return members.map((_, i) => row[`h${i}`] === true);
}

async function giveUp(connection: DuckDBConnection): Promise<null> {
  await dropTempTables(connection);
  return null;
}

const dropTempTables = (connection: DuckDBConnection) => connection.run(TEMP_TABLES.map((t) => `DROP TABLE IF EXISTS ${t}`).join('; '));
