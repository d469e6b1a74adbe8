// mart_attendance_threshold_crossings → pupils crossing an attendance threshold each week (staff page: names).
import { queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { writeTypedArrow } from '../../src/reports/typed-arrow.ts';

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, week_start, first_name || ' ' || last_name AS pupil, year_group, form, threshold,
      attendance_pct_to_date, previous_attendance_pct_to_date, unauthorised_last_10_weeks
    FROM mart_attendance_threshold_crossings ORDER BY school_id, week_start, threshold_order, last_name, first_name`);
  writeTypedArrow(rows, {
    school_id: 'text16', academic_year: 'text16', week_start: 'text16', pupil: 'text16', year_group: 'int8', form: 'text16',
    threshold: 'text16', attendance_pct_to_date: 'float32', previous_attendance_pct_to_date: 'float32', unauthorised_last_10_weeks: 'int16',
  });
});
