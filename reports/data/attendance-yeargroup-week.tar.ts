// mart_attendance_yeargroup_week → the attendance page's weekly figures per year group
// (counts add up across year groups, so the page sums them for the whole school).
// One part per school and academic year (src/reports/page-parts.ts): a page fetches the one on screen.
import { emitArchive, queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { partitionedMembers } from '../../src/reports/page-parts.ts';

const counts = [
  'pupils_on_roll', 'pupils_measured', 'possible_sessions', 'attending_sessions', 'possible_sessions_to_date', 'attending_sessions_to_date',
  'persistently_absent', 'severely_absent', 'at_risk_band', 'band_green', 'band_amber', 'band_amber_red', 'band_red',
  'penalty_threshold_now', 'late_before_close_sessions', 'late_after_close_sessions', 'minutes_late_before_close',
  'minutes_late_after_close', 'entered_persistent_absence', 'entered_severe_absence', 'entered_at_risk_band', 'reached_penalty_threshold',
];

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, year_group, week_start, week_number, term, ${counts.join(', ')}
    FROM mart_attendance_yeargroup_week ORDER BY school_id, academic_year, year_group, week_start`);
  await emitArchive(partitionedMembers(rows, ['school_id', 'academic_year', 'year_group', 'week_start', 'week_number', 'term', ...counts], ['school_id', 'academic_year']));
});
