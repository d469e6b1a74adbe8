// mart_attendance_codes → register codes used, per school, year, term and year group (sessions).
import { queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { writeArrow } from '../../src/reports/arrow-file.ts';

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, term, year_group, code, description, class, is_retired, sessions, minutes_late
    FROM mart_attendance_codes ORDER BY school_id, academic_year, term, year_group, code`);
  await writeArrow(rows, ['school_id', 'academic_year', 'term', 'year_group', 'code', 'description', 'class', 'is_retired', 'sessions', 'minutes_late']);
});
