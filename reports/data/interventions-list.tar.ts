// mart_intervention_list → who has which intervention (staff page: names), with dates and sessions.
// One part per school (src/page-data/page-parts.ts): a page fetches the one on screen.
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { streamedPartitionMembers } from '../../src/page-data/page-parts.ts';

const columns = [
  'school_id', 'academic_year', 'pupil', 'year_group', 'form', 'type', 'focus', 'staff', 'status', 'start_date', 'end_date', 'review_date',
  'sessions_planned', 'sessions_attended', 'as_of_date', 'is_running', 'review_overdue', 'baseline_negative_per_week', 'after_weeks', 'after_negative_per_week',
];

await runLoader(async () => {
  // The part's key first, then the columns, ordered by the key and then down to the row: encoded
  // from DuckDB's vectors, no row objects (the same bytes as partitionedMembers).
  await emitArchive(
    await streamedPartitionMembers(
      `SELECT school_id AS part_school, school_id, academic_year, first_name || ' ' || last_name AS pupil, year_group, form, type, focus, staff, status,
         start_date, end_date, review_date, sessions_planned, sessions_attended, as_of_date, is_running, review_overdue,
         baseline_negative_per_week, after_weeks, after_negative_per_week
       FROM mart_intervention_list ORDER BY school_id, start_date DESC, intervention_id`,
      columns,
      ['school_id'],
    ),
  );
});
