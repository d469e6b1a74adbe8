// mart_attendance_codes → register codes used, per school, year, term and year group (sessions).
// One part per school and academic year (src/reports/page-parts.ts): a page fetches the one on screen.
import { emitArchive, queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { partitionedMembers } from '../../src/reports/page-parts.ts';

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, term, year_group, code, description, class, is_retired, sessions, minutes_late
    FROM mart_attendance_codes ORDER BY school_id, academic_year, term, year_group, code`);
  await emitArchive(partitionedMembers(rows, ['school_id', 'academic_year', 'term', 'year_group', 'code', 'description', 'class', 'is_retired', 'sessions', 'minutes_late'], ['school_id', 'academic_year']));
});
