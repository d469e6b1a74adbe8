// mart_yeargroup_week (only the columns the schools comparison shows) + ref_national_benchmarks.
// Staff build: one row per school, year group and week; the page adds them up.
// Leaders', governors' and trust builds (PASTORAL_AUDIENCE): the weeks added up over year groups,
// and each period's totals by year group, with counts below settings.small_count_threshold (5)
// hidden and enough others with them that none can be worked out from a total
// (src/reports/schools-aggregate.ts).
// An archive of Arrow files: settings.arrow (one row: suppressed, threshold), schools.arrow
// (every school), benchmarks.arrow, and the weeks and each period's totals by year group (empty
// for staff) one part per academic year (src/reports/page-parts.ts; indexes weeks.arrow and
// periods.arrow), so the page fetches the year on screen for every school of the trust.
import { loaderAudience } from '../../src/reports/audience.ts';
import { emitArchive, queryMart, runLoader, type Row } from '../../src/reports/mart-export.ts';
import { arrowFile } from '../../src/reports/arrow-file.ts';
import { partitionedMembers } from '../../src/reports/page-parts.ts';
import { PERIOD_COLUMNS, schoolsAggregate, WEEK_COLUMNS, type YearGroupWeek } from '../../src/reports/schools-aggregate.ts';
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
  const benchmarkFile = { name: 'benchmarks.arrow', data: arrowFile(benchmarks, ['measure', 'academic_year', 'value', 'unit', 'source']) };
  const schoolsFile = { name: 'schools.arrow', data: arrowFile([...new Set(weeks.map((r) => String(r.school_id)))].sort().map((school_id) => ({ school_id })), ['school_id']) };
  // One part per academic year, listed by its index (weeks.arrow, periods.arrow).
  const byYear = (rows: readonly Row[], columns: readonly string[], index: string) =>
    partitionedMembers(rows, columns, ['academic_year']).map((m) => (m.name === 'index.arrow' ? { ...m, name: index } : m));
  if (loaderAudience() === 'staff') {
    await emitArchive([
      { name: 'settings.arrow', data: arrowFile([{ suppressed: false, threshold: null }], ['suppressed', 'threshold']) },
      ...byYear(weeks, columns, 'weeks.arrow'),
      ...byYear([], PERIOD_COLUMNS, 'periods.arrow'),
      schoolsFile,
      benchmarkFile,
    ]);
    return;
  }
  const [{ small_count_threshold: threshold }] = await queryMart('SELECT small_count_threshold FROM settings');
  const aggregate = schoolsAggregate(weeks as unknown as YearGroupWeek[], Number(threshold));
  await emitArchive([
    { name: 'settings.arrow', data: arrowFile([{ suppressed: true, threshold: Number(threshold) }], ['suppressed', 'threshold']) },
    ...byYear(aggregate.weeks as unknown as Row[], WEEK_COLUMNS, 'weeks.arrow'),
    ...byYear(aggregate.periods as unknown as Row[], PERIOD_COLUMNS, 'periods.arrow'),
    schoolsFile,
    benchmarkFile,
  ]);
});
