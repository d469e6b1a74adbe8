// mart_yeargroup_week (only the columns the schools comparison shows) + ref_national_benchmarks.
import { queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = [
  'school_id', 'academic_year', 'year_group', 'week_start', 'term', 'pupils_on_roll',
  'negative_events', 'possible_sessions', 'attending_sessions', 'pupils_persistently_absent', 'bsc_placements', 'suspensions',
] as const;

await runLoader(async () => {
  const weeks = await queryMart(
    marts.selectFrom('mart_yeargroup_week').select(columns).orderBy('school_id').orderBy('academic_year').orderBy('week_start').orderBy('year_group'),
  );
  // A reference table, not a mart: national figures with their source and year.
  const benchmarks = await queryMart('SELECT measure, academic_year, value, unit, source FROM ref_national_benchmarks WHERE term IS NULL ORDER BY measure, academic_year');
  // Arrays of values (not one object per row) keep the weekly table small: {columns, weeks: [[…], …]}.
  process.stdout.write(JSON.stringify({ columns, weeks: weeks.map((r) => columns.map((c) => r[c])), benchmarks }));
});
