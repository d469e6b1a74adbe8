// mart_bsc_reasons → the BSC page's "Why" chart: placements by reason per school, year, term and
// year group (term 'All' and year_group 0 are the totals), first placements and repeats, with
// the reasons beyond the chart's 12 bars already added up in one 'Other reasons (N)' row.
// Reasons are typed text: the trust build gets the mart's trust rows (a reason given for fewer
// than 5 of the school's placements is 'Other', as in its bsc-placements); leaders' and
// governors' builds refuse this loader.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
import { isAggregateOnly, loaderAudience } from '../../src/page-data/audience.ts';
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';

await runLoader(async () => {
  const audience = loaderAudience();
  if (isAggregateOnly(audience)) throw new Error(`BSC reasons are typed text: they are not part of the ${audience} build`);
  const rows = await queryMart(`
    SELECT school_id, academic_year, term, year_group, reason, reason_order, placements, first_placements, repeat_placements
    FROM mart_bsc_reasons WHERE audience = '${audience === 'trust' ? 'trust' : 'staff'}'
    ORDER BY school_id, academic_year, term, year_group, reason_order`);
  await emitArchive(partitionedMembers(rows, ['school_id', 'academic_year', 'term', 'year_group', 'reason', 'reason_order', 'placements', 'first_placements', 'repeat_placements'], ['school_id', 'academic_year']));
});
