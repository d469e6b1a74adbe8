// mart_bsc_weekly → the BSC page's weekly chart: placements per school, year, term, school week
// and year group. Counts are not suppressed, so leaders' and governors' builds refuse this
// loader (their pages show BSC use through the termly report).
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on
// screen. A staff site rebuilt after a week's refresh takes the (school, year)s whose inputs did
// not change from the site it replaces (src/page-data/year-parts-reuse.ts).
import { isAggregateOnly, loaderAudience } from '../../src/page-data/audience.ts';
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { SCHOOL_YEAR_KEY, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = ['school_id', 'academic_year', 'term', 'week_start', 'year_group', 'placements', 'first_placed'] as const;

await runLoader(async () => {
  const audience = loaderAudience();
  if (isAggregateOnly(audience)) throw new Error(`BSC weekly counts are not suppressed: they are not part of the ${audience} build`);
  // Down to the row (a week and year group is one row), so the same warehouse gives the same parts.
  const query = (kept: Kept) =>
    marts
      .selectFrom('mart_bsc_weekly')
      .select([...SCHOOL_YEAR_KEY, ...columns])
      .where(kept('school_id', 'academic_year'))
      .orderBy('school_id').orderBy('academic_year').orderBy('first_placed').orderBy('week_start').orderBy('year_group');
  await emitArchive(await yearPartitionMembers({ name: 'bsc-weekly', loader: import.meta.url, marts: ['mart_bsc_weekly'], columns, keys: ['school_id', 'academic_year'], query }));
});
