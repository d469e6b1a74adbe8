// mart_intervention_list → who has which intervention (staff page: names), with dates and sessions.
import { queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { writeTypedArrow } from '../../src/reports/typed-arrow.ts';

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, first_name || ' ' || last_name AS pupil, year_group, form, type, focus, staff, status,
      start_date, end_date, review_date, sessions_planned, sessions_attended, as_of_date, is_running, review_overdue,
      baseline_negative_per_week, after_weeks, after_negative_per_week
    FROM mart_intervention_list ORDER BY school_id, start_date DESC, intervention_id`);
  writeTypedArrow(rows, {
    school_id: 'text16', academic_year: 'text16', pupil: 'text16', year_group: 'int8', form: 'text16', type: 'text16',
    focus: 'text16', staff: 'text16', status: 'text16', start_date: 'text16', end_date: 'text16', review_date: 'text16',
    sessions_planned: 'int16', sessions_attended: 'int16', as_of_date: 'text16', is_running: 'bool', review_overdue: 'bool',
    baseline_negative_per_week: 'float32', after_weeks: 'int8', after_negative_per_week: 'float32',
  });
});
