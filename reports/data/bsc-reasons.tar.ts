// mart_bsc_reasons → the BSC page's "Why" chart: placements by reason per school, year, term and
// year group (term 'All' and year_group 0 are the totals), first placements and repeats, with
// the reasons beyond the chart's 12 bars already added up in one 'Other reasons (N)' row.
// Reasons are typed text: the trust build gets the mart's trust rows (a reason given for fewer
// than 5 of the school's placements is 'Other', as in its bsc-placements); leaders' and
// governors' builds refuse this loader.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
// A staff site rebuilt after a week's refresh takes the (school, year)s whose rows are as the site
// it replaces wrote them (src/page-data/year-parts-reuse.ts, by their rows: the mart is rebuilt whole).
import { isAggregateOnly, loaderAudience } from '../../src/page-data/audience.ts';
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { SCHOOL_YEAR_KEY, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = ['school_id', 'academic_year', 'term', 'year_group', 'reason', 'reason_order', 'placements', 'first_placements', 'repeat_placements'] as const;

await runLoader(async () => {
  const audience = loaderAudience();
  if (isAggregateOnly(audience)) throw new Error(`BSC reasons are typed text: they are not part of the ${audience} build`);
  // The part's key values first, then the columns, ordered by the key and then down to the row.
  const query = (kept: Kept) =>
    marts
      .selectFrom('mart_bsc_reasons')
      .select([...SCHOOL_YEAR_KEY, ...columns])
      .where('audience', '=', audience === 'trust' ? 'trust' : 'staff')
      .where(kept('school_id', 'academic_year'))
      .orderBy('school_id').orderBy('academic_year').orderBy('term').orderBy('year_group').orderBy('reason_order');
  await emitArchive(await yearPartitionMembers({ name: 'bsc-reasons', loader: import.meta.url, marts: ['mart_bsc_reasons'], columns, keys: ['school_id', 'academic_year'], query, unchangedBy: 'rows' }));
});
