// mart_attendance_codes → register codes used over the whole year (term 'All'), per school, year
// and year group, and for all year groups (year_group 0): sessions, and the present marks.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, term, year_group, code, description, class, is_retired, sessions, minutes_late, is_present_mark, present_mark_sessions
    FROM mart_attendance_codes WHERE term = 'All' ORDER BY school_id, academic_year, year_group, code`);
  await emitArchive(partitionedMembers(rows, ['school_id', 'academic_year', 'term', 'year_group', 'code', 'description', 'class', 'is_retired', 'sessions', 'minutes_late', 'is_present_mark', 'present_mark_sessions'], ['school_id', 'academic_year']));
});
