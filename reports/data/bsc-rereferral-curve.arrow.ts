// mart_bsc_rereferral_curve → the Kaplan–Meier re-referral curve per school and academic year.
import { queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { writeArrow } from '../../src/reports/arrow-file.ts';

await runLoader(async () => {
  await writeArrow(await queryMart(`
    SELECT school_id, academic_year, school_days, at_risk, rereferrals, share_not_rereferred
    FROM mart_bsc_rereferral_curve ORDER BY school_id, academic_year, school_days`));
});
