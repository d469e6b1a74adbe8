// ref_national_benchmarks → the national absence figures (whole years) the attendance page compares with, with their source.
import { queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { writeArrow } from '../../src/reports/arrow-file.ts';

await runLoader(async () => {
  await writeArrow(await queryMart(`
    SELECT measure, academic_year, value, unit, source FROM ref_national_benchmarks
    WHERE measure IN ('overall_absence_pct', 'persistent_absence_pct', 'severe_absence_pct') AND term IS NULL
    ORDER BY measure, academic_year`));
});
