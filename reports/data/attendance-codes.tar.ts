// mart_attendance_codes → register codes used over the whole year (term 'All'), per school, year
// and year group, and for all year groups (year_group 0): sessions, and the present marks.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on
// screen. A staff site rebuilt after a week's refresh takes the (school, year)s whose inputs did
// not change from the site it replaces (src/page-data/year-parts-reuse.ts).
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { SCHOOL_YEAR_KEY, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = ['school_id', 'academic_year', 'term', 'year_group', 'code', 'description', 'class', 'is_retired', 'sessions', 'minutes_late', 'is_present_mark', 'present_mark_sessions'] as const;

await runLoader(async () => {
  const query = (kept: Kept) =>
    marts
      .selectFrom('mart_attendance_codes')
      .select([...SCHOOL_YEAR_KEY, ...columns])
      .where('term', '=', 'All')
      .where(kept('school_id', 'academic_year'))
      .orderBy('school_id').orderBy('academic_year').orderBy('year_group').orderBy('code');
  await emitArchive(await yearPartitionMembers({ name: 'attendance-codes', loader: import.meta.url, marts: ['mart_attendance_codes'], columns, keys: ['school_id', 'academic_year'], query }));
});
