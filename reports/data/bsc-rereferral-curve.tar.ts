// mart_bsc_rereferral_curve → the Kaplan–Meier re-referral curve per school and academic year.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
// A staff site rebuilt after a week's refresh takes the (school, year)s whose rows are as the site
// it replaces wrote them (src/page-data/year-parts-reuse.ts, by their rows: the mart is rebuilt whole).
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { SCHOOL_YEAR_KEY, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = ['school_id', 'academic_year', 'school_days', 'at_risk', 'rereferrals', 'share_not_rereferred'] as const;

await runLoader(async () => {
  // The part's key values first, then the columns, ordered by the key and then down to the row.
  const query = (kept: Kept) =>
    marts
      .selectFrom('mart_bsc_rereferral_curve')
      .select([...SCHOOL_YEAR_KEY, ...columns])
      .where(kept('school_id', 'academic_year'))
      .orderBy('school_id').orderBy('academic_year').orderBy('school_days');
  await emitArchive(
    await yearPartitionMembers({ name: 'bsc-rereferral-curve', loader: import.meta.url, marts: ['mart_bsc_rereferral_curve'], columns, keys: ['school_id', 'academic_year'], query, unchangedBy: 'rows' }),
  );
});
