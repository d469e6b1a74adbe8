// mart_attendance_threshold_crossings → pupils crossing an attendance threshold each week (staff page: names).
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, week_start, first_name || ' ' || last_name AS pupil, year_group, form, threshold,
      attendance_pct_to_date, previous_attendance_pct_to_date, unauthorised_last_10_weeks
    FROM mart_attendance_threshold_crossings ORDER BY school_id, week_start, threshold_order, last_name, first_name`);
  await emitArchive(partitionedMembers(rows, ['school_id', 'academic_year', 'week_start', 'pupil', 'year_group', 'form', 'threshold', 'attendance_pct_to_date', 'previous_attendance_pct_to_date', 'unauthorised_last_10_weeks'], ['school_id', 'academic_year']));
});
