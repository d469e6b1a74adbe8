// mart_bsc_repeat → the BSC page's headline figures per school, year, term and year group
// (term 'All' and year_group 0 are the totals), with the repeat window in school days, and how
// placements went: placements per booklet, conduct and outcome value (and left blank) with each one's share.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
// A staff site rebuilt after a week's refresh takes the (school, year)s whose rows are as the site
// it replaces wrote them (src/page-data/year-parts-reuse.ts, by their rows: the mart is rebuilt whole).
import { sql } from '../../src/commonjs/kysely.ts';
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

// The share cards' columns: each value's placements and share (bsc-charts.js, SHARES).
const VALUES = {
  booklet: ['completed', 'partial', 'not_completed'],
  conduct: ['good', 'satisfactory', 'poor'],
  outcome: ['completed', 'extended', 'escalated', 'sent_home', 'suspended'],
};
const HOW_PLACEMENTS_WENT = Object.entries(VALUES).flatMap(([field, values]) =>
  [...values, 'not_recorded'].flatMap((value) => [`${field}_${value}`, `${field}_${value}_share_pct`]),
);

const columns = [
  'school_id', 'academic_year', 'term', 'year_group', 'placements', 'pupils_placed', 'pupils_referred_again', 'repeat_placements',
  'median_school_days_to_rereferral', 'booklet_completed_pct', 'followed_by_parent_contact', 'followed_by_reintegration',
  'repeat_rate_pct', 'parent_contact_pct', 'reintegration_pct', 'repeat_referral_window_days', 'placements_not_followed_up',
  ...HOW_PLACEMENTS_WENT,
];

await runLoader(async () => {
  // The part's key values first, then the columns, ordered by the key and then down to the row.
  const query = (kept: Kept) =>
    sql`SELECT school_id AS part_school, academic_year AS part_year, ${sql.join(columns.map((c) => sql.ref(c)))}
      FROM mart_bsc_repeat WHERE ${kept('school_id', 'academic_year')}
      ORDER BY school_id, academic_year, term, year_group`.compile(marts);
  await emitArchive(await yearPartitionMembers({ name: 'bsc-repeat', loader: import.meta.url, marts: ['mart_bsc_repeat'], columns, keys: ['school_id', 'academic_year'], query, unchangedBy: 'rows' }));
});
