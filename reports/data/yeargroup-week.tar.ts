// mart_weekly_review (mart_yeargroup_week with its changes) → the weekly review's KPIs and
// trend: only the columns the page shows, one part per school and academic year
// (src/page-data/page-parts.ts), fetched for the ones on screen. A staff site rebuilt after a
// week's refresh takes the (school, year)s whose inputs did not change from the site it replaces
// (src/page-data/year-parts-reuse.ts).
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { SCHOOL_YEAR_KEY, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = [
  'school_id', 'academic_year', 'year_group', 'week_start', 'week_number', 'term', 'pupils_on_roll',
  'school_days', 'week_last_day', 'is_partial_week', 'data_ends_in_week',
  'negative_events', 'negative_per_100', 'negative_per_100_per_day', 'negative_per_100_last_year',
  'negative_per_100_change_vs_last_week', 'negative_per_100_change_vs_term_avg',
  'negative_per_100_per_day_change_vs_last_week', 'negative_per_100_per_day_change_vs_term',
  'bsc_placements', 'bsc_placements_per_day', 'bsc_placements_term_avg',
  'bsc_placements_change_vs_last_week', 'bsc_placements_per_day_change_vs_last_week',
  'detentions_set', 'detentions_missed', 'detentions_missed_per_day', 'suspensions',
  'detentions_missed_change_vs_last_week', 'detentions_missed_per_day_change_vs_last_week',
  'possible_sessions', 'attending_sessions', 'attendance_pct',
  'attendance_pct_change_vs_last_week', 'attendance_pct_change_vs_term',
  'pupils_persistently_absent',
] as const;

await runLoader(async () => {
  const query = (kept: Kept) =>
    marts
      .selectFrom('mart_weekly_review')
      .select([...SCHOOL_YEAR_KEY, ...columns])
      .where(kept('school_id', 'academic_year'))
      .orderBy('school_id').orderBy('academic_year').orderBy('year_group').orderBy('week_start');
  await emitArchive(await yearPartitionMembers({ name: 'yeargroup-week', loader: import.meta.url, marts: ['mart_weekly_review'], columns, keys: ['school_id', 'academic_year'], query }));
});
