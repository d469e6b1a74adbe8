// mart_bsc_repeat → the BSC page's headline figures per school, year, term and year group
// (term 'All' and year_group 0 are the totals), with the repeat window in school days, and how
// placements went: placements per booklet, conduct and outcome value (and left blank) with each one's share.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';

// The share cards' columns: each value's placements and share (bsc-charts.js, SHARES).
const VALUES = {
  booklet: ['completed', 'partial', 'not_completed'],
  conduct: ['good', 'satisfactory', 'poor'],
  outcome: ['completed', 'extended', 'escalated', 'sent_home', 'suspended'],
};
const HOW_PLACEMENTS_WENT = Object.entries(VALUES).flatMap(([field, values]) =>
  [...values, 'not_recorded'].flatMap((value) => [`${field}_${value}`, `${field}_${value}_share_pct`]),
);

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, term, year_group, placements, pupils_placed, pupils_referred_again, repeat_placements,
      median_school_days_to_rereferral, booklet_completed_pct, followed_by_parent_contact, followed_by_reintegration,
      repeat_rate_pct, parent_contact_pct, reintegration_pct, repeat_referral_window_days, placements_not_followed_up,
      ${HOW_PLACEMENTS_WENT.join(', ')}
    FROM mart_bsc_repeat ORDER BY school_id, academic_year, term, year_group`);
  await emitArchive(partitionedMembers(rows, ['school_id', 'academic_year', 'term', 'year_group', 'placements', 'pupils_placed', 'pupils_referred_again', 'repeat_placements', 'median_school_days_to_rereferral', 'booklet_completed_pct', 'followed_by_parent_contact', 'followed_by_reintegration', 'repeat_rate_pct', 'parent_contact_pct', 'reintegration_pct', 'repeat_referral_window_days', 'placements_not_followed_up', ...HOW_PLACEMENTS_WENT], ['school_id', 'academic_year']));
});
