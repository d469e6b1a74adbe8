// mart_termly_intervention_impact → intervention impact as it stood at the end of each term,
// already suppressed in SQL (estimates withheld below 10 measured pupils, counts below 5 hidden).
// One part per school (src/page-data/page-parts.ts): the page fetches the school on screen.
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';

const columns = [
  'school_id', 'term_index', 'breakdown', 'label', 'interventions_started', 'interventions_started_suppression',
  'interventions_measured', 'interventions_measured_suppression', 'enough_measured', 'mean_negative_change',
  'negative_did', 'negative_did_low', 'negative_did_high', 'attendance_did', 'attendance_did_low', 'attendance_did_high',
  'behaviour_verdict', 'attendance_verdict', 'impact_min_pupils', 'impact_window_weeks',
];

await runLoader(async () => {
  const rows = await queryMart(
    `SELECT ${columns.join(', ')} FROM mart_termly_intervention_impact
     ORDER BY school_id, term_index, CASE breakdown WHEN 'all' THEN 0 WHEN 'focus' THEN 1 ELSE 2 END, label`,
  );
  await emitArchive(partitionedMembers(rows, columns, ['school_id']));
});
