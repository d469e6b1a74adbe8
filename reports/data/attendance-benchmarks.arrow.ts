// int_national_latest → the national figures (the latest whole year) the attendance page compares
// with, with their source: absence, attendance (100 − absence), persistent and severe absence.
import { queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { writeArrow } from '../../src/page-data/arrow-file.ts';

await runLoader(async () => {
  await writeArrow(await queryMart(`
    SELECT measure, academic_year, value, unit, source FROM int_national_latest
    WHERE measure IN ('overall_absence_pct', 'overall_attendance_pct', 'persistent_absence_pct', 'severe_absence_pct')
    ORDER BY measure, academic_year`));
});
