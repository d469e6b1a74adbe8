// mart_attendance_codes → register codes used, per school, year, term and year group (sessions).
import { queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { writeTypedArrow } from '../../src/reports/typed-arrow.ts';

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, term, year_group, code, description, class, is_retired, sessions, minutes_late
    FROM mart_attendance_codes ORDER BY school_id, academic_year, term, year_group, code`);
  writeTypedArrow(rows, {
    school_id: 'text16', academic_year: 'text16', term: 'text16', year_group: 'int8', code: 'text16', description: 'text16',
    class: 'text16', is_retired: 'bool', sessions: 'int32', minutes_late: 'int32',
  });
});
