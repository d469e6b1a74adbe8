// mart_bsc_rereferral_curve → the Kaplan–Meier re-referral curve per school and academic year.
// One part per school and academic year (src/page-data/page-parts.ts): a page fetches the one on screen.
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT school_id, academic_year, school_days, at_risk, rereferrals, share_not_rereferred
    FROM mart_bsc_rereferral_curve ORDER BY school_id, academic_year, school_days`);
  await emitArchive(partitionedMembers(rows, ['school_id', 'academic_year', 'school_days', 'at_risk', 'rereferrals', 'share_not_rereferred'], ['school_id', 'academic_year']));
});
