// mart_watchlist → the early-intervention list for each school's last WEEKS_SHIPPED school weeks
// (staff page: names). The list is about now; older weeks stay in the warehouse, and the
// backtest (watchlist-backtest.json) covers the past. The trust build (--audience trust) gets each
// pupil under a keyed pseudonym instead of the name, and no form (src/page-data/pseudonym.ts);
// leaders' and governors' builds have no pupil-level file and refuse this loader.
// One part per school (src/page-data/page-parts.ts): a page fetches the one on screen.
import { isAggregateOnly, loaderAudience } from '../../src/page-data/audience.ts';
import { loaderPseudonymKey, pseudonym } from '../../src/page-data/pseudonym.ts';
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers, streamedPartitionMembers } from '../../src/page-data/page-parts.ts';

/** About a term: enough to look back at the last few meetings. */
const WEEKS_SHIPPED = 12;

const columns = [
  'school_id', 'as_of_week', 'rank', 'score', 'pupil', 'year_group', 'form', 'recent_negative_per_week', 'baseline_negative_per_week',
  'recent_attendance_pct', 'ytd_attendance_pct', 'negative_last_3_weeks', 'negative_last_6_weeks', 'negative_per_week_this_year', 'bsc_last_4_weeks',
  'serious_last_6_weeks', 'top_risk', 'behaviour_rising', 'repeat_bsc', 'recent_suspension', 'attendance_falling', 'attendance_at_risk',
  'missed_detentions', 'no_active_intervention', 'is_new',
];

/** The rows, ordered by school and then down to the row; `lead`: columns ahead of `columns` (the part's key, or the pupil's id to pseudonymise). */
const query = (lead: string) => `
  WITH weeks AS (
    SELECT school_id, as_of_week, dense_rank() OVER (PARTITION BY school_id ORDER BY as_of_week DESC) AS weeks_ago
    FROM (SELECT DISTINCT school_id, as_of_week FROM mart_watchlist)
  )
  SELECT ${lead}, w.school_id, w.as_of_week, w.rank, w.score, w.first_name || ' ' || w.last_name AS pupil, w.year_group, w.form,
    w.recent_negative_per_week, w.baseline_negative_per_week, w.recent_attendance_pct, w.ytd_attendance_pct,
    w.negative_last_3_weeks, w.negative_last_6_weeks, w.negative_per_week_this_year, w.bsc_last_4_weeks, w.serious_last_6_weeks,
    w.top_risk, w.behaviour_rising, w.repeat_bsc, w.recent_suspension, w.attendance_falling, w.attendance_at_risk, w.missed_detentions,
    w.no_active_intervention, w.is_new
  FROM mart_watchlist w JOIN weeks USING (school_id, as_of_week)
  WHERE weeks.weeks_ago <= ${WEEKS_SHIPPED}
  ORDER BY w.school_id, w.as_of_week, w.rank`;

await runLoader(async () => {
  const audience = loaderAudience();
  if (isAggregateOnly(audience)) throw new Error(`the watchlist names pupils: it is not part of the ${audience} build`);
  // Staff: encoded from DuckDB's vectors with the school first, no row objects (the same bytes as partitionedMembers).
  if (audience !== 'trust') {
    await emitArchive(await streamedPartitionMembers(query('w.school_id AS part_school'), columns, ['school_id']));
    return;
  }
  const rows = await queryMart(query('w.student_id'));
  const key = await loaderPseudonymKey();
  for (const row of rows) {
    row.pupil = pseudonym(key, String(row.school_id), String(row.student_id));
    row.form = null;
  }
  await emitArchive(partitionedMembers(rows, columns, ['school_id']));
});
