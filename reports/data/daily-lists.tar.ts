// The Pastoral Support Officer's daily lists (staff page: names), in one archive of Arrow files:
//   dates/          per school and date: detentions, BSC placements and statements waiting, for
//                   the date picker: one part per school (index.arrow lists them), so the page
//                   fetches one school's dates however many schools the trust has
//   months.arrow     the three lists for the dates of one school and calendar month, told apart
//                   by `list` ("detentions", "bsc", "statements"): the index of parts
//                   m01.<hash>.arrow … (src/page-data/page-parts.ts), fetched only for the chosen school and
//                   date's month (mart_detention_list, mart_bsc_register, mart_statements_waiting:
//                   each day's incidents still waiting for a statement)
//   on-time/         mart_statements_on_time for the same months, one part per school: per week, for
//                   all year groups together (year_group 0), the incidents that needed a statement
//                   and the share with one the same school day and within 1 (counts only, no names)
// Only the 12 calendar months up to the latest date in the data are published: the lists are
// for the days around today, not an archive of every pupil's detentions.
import { emitArchive, queryMart, runLoader, type PageMember } from '../../src/page-data/mart-export.ts';
import { monthPartitionMembers, type KeptMonths } from '../../src/page-data/month-parts-reuse.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';
import { marts } from '../../src/warehouse/query-builder.ts';
import { literal } from '../../src/warehouse/warehouse.ts';

const detentionColumns = ['school_id', 'date', 'type', 'session_order', 'detention_id', 'student_id', 'first_name', 'last_name', 'year_group', 'form', 'minutes', 'reason', 'issued_by', 'status'] as const;
const statementColumns = ['school_id', 'list_date', 'event_id', 'date', 'time', 'student_id', 'first_name', 'last_name', 'year_group', 'form', 'category', 'severity', 'why_statement', 'location', 'staff', 'school_days_waiting'] as const;
const bscColumns = ['school_id', 'date', 'referral_id', 'student_id', 'first_name', 'last_name', 'year_group', 'form', 'periods', 'start_time', 'end_time', 'reason', 'referred_by', 'placement_number', 'is_repeat', 'booklet', 'conduct', 'outcome'] as const;
/** A month file's columns: which list a row is on, then every list's columns (null where a list has no such column). */
const monthColumns = ['list', ...new Set<string>([...detentionColumns, ...statementColumns, ...bscColumns])];
const onTimeColumns = ['school_id', 'week_start', 'year_group', 'incidents', 'taken_same_day', 'taken_within_1_day', 'time_unknown', 'waiting', 'same_day_pct_exact', 'within_1_day_pct_exact'] as const;

/**
 * Each list as rows of the month files: the part's key (school, 'm01'…'m12' from the list's date),
 * the list's month (for the parts' order), its name, its place among the lists, every month
 * column (NULL where the list has none), then the list's own order as sort keys of their own types
 * (a list's keys are NULL on the others' rows, which the list's place already orders).
 */
const LISTS = [
  { list: 'detentions', mart: 'mart_detention_list', day: 'date', columns: detentionColumns as readonly string[], order: ['date', 'session_order', 'last_name', 'first_name', 'detention_id', 'student_id'] },
  { list: 'bsc', mart: 'mart_bsc_register', day: 'date', columns: bscColumns as readonly string[], order: ['date', 'start_time', 'last_name', 'first_name', 'referral_id', 'student_id'] },
  { list: 'statements', mart: 'mart_statements_waiting', day: 'list_date', columns: statementColumns as readonly string[], order: ['list_date', 'date', 'time', 'last_name', 'first_name', 'event_id', 'student_id'] },
];

function listRows(from: string, kept: KeptMonths): string {
  const sortKeys = LISTS.flatMap((l, i) => l.order.map((c, j) => ({ list: i, column: c, name: `o${i}_${j}` })));
  const lists = LISTS.map((l, i) => {
    const select = [
      `school_id AS part_school`,
      `'m' || strftime(${l.day}, '%m') AS part_month`,
      `date_trunc('month', ${l.day}) AS list_month`,
      `${i} AS list_order`,
      `${literal(l.list)} AS list`,
      ...monthColumns.slice(1).map((c) => (l.columns.includes(c) ? c : `NULL AS ${c}`)),
      ...sortKeys.map((k) => (k.list === i ? `${k.column} AS ${k.name}` : `NULL AS ${k.name}`)),
    ];
    return `SELECT ${select.join(', ')} FROM ${l.mart} WHERE ${l.day} >= DATE ${literal(from)} AND ${kept('school_id', l.day)}`;
  });
  // The key values, then the month columns (what monthPartitionMembers reads), in the lists' order.
  return `SELECT part_school, part_month, ${monthColumns.join(', ')} FROM (${lists.join('\nUNION ALL\n')})
    ORDER BY part_school, list_month, list_order, ${sortKeys.map((k) => k.name).join(', ')}`;
}

/** Each (school, month)'s rows of the three lists, from the date picker's counts (monthPartitionMembers' `rows`). */
function monthRows(dateRows: ReadonlyArray<Record<string, unknown>>): Map<string, number> {
  const rows = new Map<string, number>();
  for (const d of dateRows) {
    const key = `${String(d.school_id)}\u001f${String(d.date).slice(0, 7)}`;
    rows.set(key, (rows.get(key) ?? 0) + Number(d.detentions) + Number(d.bsc) + Number(d.statements));
  }
  return rows;
}

await runLoader(async () => {
  // First day of the calendar month 11 months before the latest month with a detention or placement.
  // A school that sends neither (only students.csv is required) has empty lists, not a failed
  // build: the window then ends this month, and the page says there is nothing to list.
  const [{ from }] = await queryMart(`
    SELECT strftime(date_trunc('month', coalesce(max(date), current_date)) - INTERVAL 11 MONTH, '%Y-%m-%d') AS "from"
    FROM (SELECT date FROM mart_detention_list UNION ALL SELECT date FROM mart_bsc_register)`);
  // Per school and date, how many rows each list has (the date picker), in the order the page lists them.
  const dateRows = (
    await queryMart(`
      SELECT school_id, strftime(day, '%Y-%m-%d') AS date,
        count(*) FILTER (WHERE list = 'detentions')::INTEGER AS detentions,
        count(*) FILTER (WHERE list = 'bsc')::INTEGER AS bsc,
        count(*) FILTER (WHERE list = 'statements')::INTEGER AS statements
      FROM (${LISTS.map((l) => `SELECT school_id, ${l.day} AS day, ${literal(l.list)} AS list FROM ${l.mart} WHERE ${l.day} >= DATE ${literal(String(from))}`).join(' UNION ALL ')})
      GROUP BY ALL`)
  ).sort((a, b) => String(a.school_id).localeCompare(String(b.school_id)) || String(a.date).localeCompare(String(b.date)));
  const onTime = await queryMart(
    marts.selectFrom('mart_statements_on_time')
      .select(onTimeColumns)
      .where('week_start', '>=', String(from))
      .where('year_group', '=', 0)
      .orderBy('school_id').orderBy('week_start'),
  );
  const inFolder = (folder: string, list: PageMember[]) => list.map((m) => ({ ...m, name: `${folder}/${m.name}` }));
  const members: PageMember[] = inFolder('dates', partitionedMembers(dateRows, ['school_id', 'date', 'detentions', 'bsc', 'statements'], ['school_id']));
  members.push(...inFolder('on-time', partitionedMembers(onTime, onTimeColumns, ['school_id'])));
  // The month parts sit beside months.arrow (m01.<hash>.arrow …), which lists them. Streamed from
  // DuckDB's vectors, not read as row objects: a trust's 12 months are about 285,000 rows (the
  // loader alone: 4.5 → 3.6 CPU s, 0.8 of it the process starting; docs/performance.md, "Session 30").
  // A staff rebuild takes the months no model run since the previous build changed (a week's
  // refresh: every month but the latest), querying the rest (src/page-data/month-parts-reuse.ts).
  const months = await monthPartitionMembers({
    name: 'daily-lists',
    loader: import.meta.url,
    marts: LISTS.map((l) => l.mart),
    columns: monthColumns,
    from: String(from),
    rows: monthRows(dateRows),
    query: (kept) => listRows(String(from), kept),
  });
  members.push(...months.map((m) => (m.name === 'index.arrow' ? { ...m, name: 'months.arrow' } : m)));
  await emitArchive(members);
});
