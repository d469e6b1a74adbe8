// mart_bsc_weekly → the BSC page's weekly chart: placements per school, year, term, school week
// and year group. Counts are not suppressed, so leaders' and governors' builds refuse this
// loader (their pages show BSC use through the termly report).
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
import { isAggregateOnly, loaderAudience } from '../../src/page-data/audience.ts';
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';

await runLoader(async () => {
  const audience = loaderAudience();
  if (isAggregateOnly(audience)) throw new Error(`BSC weekly counts are not suppressed: they are not part of the ${audience} build`);
  const rows = await queryMart(`
    SELECT school_id, academic_year, term, week_start, year_group, placements, first_placed
    FROM mart_bsc_weekly ORDER BY school_id, academic_year, first_placed`);
  await emitArchive(partitionedMembers(rows, ['school_id', 'academic_year', 'term', 'week_start', 'year_group', 'placements', 'first_placed'], ['school_id', 'academic_year']));
});
