// mart_attendance_week → the attendance page's weekly figures per year group and for all year
// groups (year_group 0), with the percentages and the changes vs last week the page shows.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on
// screen. A staff site rebuilt after a week's refresh takes the (school, year)s whose inputs did
// not change from the site it replaces (src/page-data/year-parts-reuse.ts).
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { SCHOOL_YEAR_KEY, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = [
  'school_id', 'academic_year', 'year_group', 'week_start', 'week_number', 'term',
  'pupils_on_roll', 'pupils_measured', 'possible_sessions', 'attending_sessions', 'possible_sessions_to_date', 'attending_sessions_to_date',
  'persistently_absent', 'severely_absent', 'at_risk_band', 'band_green', 'band_amber', 'band_amber_red', 'band_red',
  'penalty_threshold_now', 'late_before_close_sessions', 'late_after_close_sessions', 'minutes_late_before_close',
  'minutes_late_after_close', 'entered_persistent_absence', 'entered_severe_absence', 'entered_at_risk_band', 'reached_penalty_threshold',
  'attendance_pct', 'attendance_pct_to_date', 'persistent_pct', 'severe_pct', 'at_risk_pct',
  'attendance_pct_change_vs_last_week', 'at_risk_band_change_vs_last_week',
  'late_before_close_sessions_to_date', 'late_after_close_sessions_to_date',
  'avg_minutes_late_before_close_to_date', 'avg_minutes_late_after_close_to_date',
  'attendance_pct_to_date_vs_national', 'persistent_pct_vs_national', 'severe_pct_vs_national',
] as const;

await runLoader(async () => {
  // The part's key values first, then the columns, ordered by the key and then down to the row.
  const query = (kept: Kept) =>
    marts
      .selectFrom('mart_attendance_week')
      .select([...SCHOOL_YEAR_KEY, ...columns])
      .where(kept('school_id', 'academic_year'))
      .orderBy('school_id').orderBy('academic_year').orderBy('year_group').orderBy('week_start');
  await emitArchive(await yearPartitionMembers({ name: 'attendance-week', loader: import.meta.url, marts: ['mart_attendance_week'], columns, keys: ['school_id', 'academic_year'], query }));
});
