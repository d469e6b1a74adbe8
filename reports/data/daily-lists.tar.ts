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
import { emitArchive, queryMart, runLoader, type PageMember, type Row } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const detentionColumns = ['school_id', 'date', 'type', 'session_order', 'detention_id', 'student_id', 'first_name', 'last_name', 'year_group', 'form', 'minutes', 'reason', 'issued_by', 'status'] as const;
const statementColumns = ['school_id', 'list_date', 'event_id', 'date', 'time', 'student_id', 'first_name', 'last_name', 'year_group', 'form', 'category', 'severity', 'why_statement', 'location', 'staff', 'school_days_waiting'] as const;
const bscColumns = ['school_id', 'date', 'referral_id', 'student_id', 'first_name', 'last_name', 'year_group', 'form', 'periods', 'start_time', 'end_time', 'reason', 'referred_by', 'placement_number', 'is_repeat', 'booklet', 'conduct', 'outcome'] as const;
/** A month file's columns: which list a row is on, then every list's columns (null where a list has no such column). */
const monthColumns = ['list', ...new Set<string>([...detentionColumns, ...statementColumns, ...bscColumns])];
const onTimeColumns = ['school_id', 'week_start', 'year_group', 'incidents', 'taken_same_day', 'taken_within_1_day', 'time_unknown', 'waiting', 'same_day_pct_exact', 'within_1_day_pct_exact'] as const;

await runLoader(async () => {
  // First day of the calendar month 11 months before the latest month with a detention or placement.
  const [{ from }] = await queryMart(`
    SELECT strftime(date_trunc('month', max(date)) - INTERVAL 11 MONTH, '%Y-%m-%d') AS "from"
    FROM (SELECT date FROM mart_detention_list UNION ALL SELECT date FROM mart_bsc_register)`);
  if (from === null) throw new Error('no detentions or BSC placements in the warehouse: nothing to list');
  const detentions = await queryMart(
    marts.selectFrom('mart_detention_list').select(detentionColumns).where('date', '>=', String(from))
      .orderBy('school_id').orderBy('date').orderBy('session_order').orderBy('last_name').orderBy('first_name'),
  );
  const bsc = await queryMart(
    marts.selectFrom('mart_bsc_register').select(bscColumns).where('date', '>=', String(from))
      .orderBy('school_id').orderBy('date').orderBy('start_time').orderBy('last_name').orderBy('first_name'),
  );
  const statements = await queryMart(
    marts.selectFrom('mart_statements_waiting').select(statementColumns).where('list_date', '>=', String(from))
      .orderBy('school_id').orderBy('list_date').orderBy('date').orderBy('time').orderBy('last_name').orderBy('first_name'),
  );
  const onTime = await queryMart(
    marts.selectFrom('mart_statements_on_time')
      .select(onTimeColumns)
      .where('week_start', '>=', String(from))
      .where('year_group', '=', 0)
      .orderBy('school_id').orderBy('week_start'),
  );
  const dates = new Map<string, { school_id: string; date: string; detentions: number; bsc: number; statements: number }>();
  const count = (row: Row, list: 'detentions' | 'bsc' | 'statements', date: unknown) => {
    const key = `${row.school_id}|${date}`;
    const entry = dates.get(key) ?? { school_id: String(row.school_id), date: String(date), detentions: 0, bsc: 0, statements: 0 };
    entry[list] += 1;
    dates.set(key, entry);
  };
  detentions.forEach((r) => count(r, 'detentions', r.date));
  bsc.forEach((r) => count(r, 'bsc', r.date));
  statements.forEach((r) => count(r, 'statements', r.list_date));
  const month = (row: Row) => String(row.date).slice(5, 7);
  const listMonth = (row: Row) => String(row.list_date).slice(5, 7);
  const inFolder = (folder: string, list: PageMember[]) => list.map((m) => ({ ...m, name: `${folder}/${m.name}` }));
  const dateRows = [...dates.values()].sort((a, b) => a.school_id.localeCompare(b.school_id) || a.date.localeCompare(b.date));
  const members: PageMember[] = inFolder('dates', partitionedMembers(dateRows, ['school_id', 'date', 'detentions', 'bsc', 'statements'], ['school_id']));
  members.push(...inFolder('on-time', partitionedMembers(onTime, onTimeColumns, ['school_id'])));
  const listed = (list: string, rows: Row[], monthOf: (row: Row) => string) => rows.map((r) => ({ list, month: `m${monthOf(r)}`, ...r }));
  const monthRows = [...listed('detentions', detentions, month), ...listed('bsc', bsc, month), ...listed('statements', statements, listMonth)];
  // The month parts sit beside months.arrow (m01.<hash>.arrow …), which lists them.
  members.push(...partitionedMembers(monthRows, monthColumns, ['school_id', 'month']).map((m) => (m.name === 'index.arrow' ? { ...m, name: 'months.arrow' } : m)));
  await emitArchive(members);
});
