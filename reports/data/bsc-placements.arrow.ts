// mart_bsc_referrals → one row per BSC placement for the BSC page (a few hundred a year per
// school): when, who (staff page: names), why, how it went, whether it was a repeat and
// whether it was followed up. Names come from the pupil's record for that academic year.
import { queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { writeArrow } from '../../src/reports/arrow-file.ts';

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT r.school_id, r.academic_year, r.term, r.week_start, r.date, r.year_group, r.form, r.student_id,
      p.first_name || ' ' || p.last_name AS pupil, r.reason, r.booklet, r.conduct, r.outcome, r.school_days_since_previous,
      r.is_repeat, r.followed_by_parent_contact, r.followed_by_reintegration
    FROM mart_bsc_referrals r
    LEFT JOIN int_pupil_years p USING (school_id, student_id, academic_year)
    ORDER BY r.school_id, r.date, r.referral_id`);
  writeArrow(rows, ['school_id', 'academic_year', 'term', 'week_start', 'date', 'year_group', 'form', 'student_id', 'pupil', 'reason', 'booklet', 'conduct', 'outcome', 'school_days_since_previous', 'is_repeat', 'followed_by_parent_contact', 'followed_by_reintegration']);
});
