// mart_attendance_threshold_crossings → pupils crossing an attendance threshold each week (staff page: names).
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on
// screen. A staff site rebuilt after a week's refresh takes the (school, year)s whose inputs did
// not change from the site it replaces (src/page-data/year-parts-reuse.ts).
import { sql } from '../../src/commonjs/kysely.ts';
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { SCHOOL_YEAR_KEY, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = ['school_id', 'academic_year', 'week_start', 'pupil', 'year_group', 'form', 'threshold', 'attendance_pct_to_date', 'previous_attendance_pct_to_date', 'unauthorised_last_10_weeks'] as const;

await runLoader(async () => {
  // The part's key values first, then the columns; a school's weeks are in one academic year each,
  // so ordering by the year before the week keeps each part's rows in the page's order.
  const query = (kept: Kept) =>
    marts
      .selectFrom('mart_attendance_threshold_crossings')
      .select([
        ...SCHOOL_YEAR_KEY,
        'school_id', 'academic_year', 'week_start', sql<string>`first_name || ' ' || last_name`.as('pupil'), 'year_group', 'form', 'threshold',
        'attendance_pct_to_date', 'previous_attendance_pct_to_date', 'unauthorised_last_10_weeks',
      ])
      .where(kept('school_id', 'academic_year'))
      .orderBy('school_id').orderBy('academic_year').orderBy('week_start').orderBy('threshold_order').orderBy('last_name').orderBy('first_name')
      // Two pupils of the same name crossing the same threshold in a week: by id, so every build writes the same bytes.
      .orderBy('student_id');
  await emitArchive(
    await yearPartitionMembers({ name: 'attendance-crossings', loader: import.meta.url, marts: ['mart_attendance_threshold_crossings'], columns, keys: ['school_id', 'academic_year'], query }),
  );
});
