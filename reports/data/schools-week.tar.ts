// The schools comparison's figures, every one computed in SQL: the weeks and the periods (each
// term and the whole year so far) of every school, with their rates (docs/metrics.md, "Schools
// compared"), + ref_national_benchmarks.
// Staff build: mart_school_week (each year group, and 0: all year groups) and mart_school_period, exact.
// Leaders', governors' and trust builds (PASTORAL_AUDIENCE): mart_school_week_suppressed (all
// year groups only) and mart_school_period_suppressed, with counts below
// settings.small_count_threshold (5) hidden, and enough others with them that none can be
// worked out from a total (mart_school_suppression).
// An archive of Arrow files: settings.arrow (one row: suppressed, threshold), schools.arrow
// (every school), benchmarks.arrow, and the weeks and the periods one part per academic year
// (the staff build's weeks: per academic year and year group; src/page-data/page-parts.ts; indexes
// weeks.arrow and periods.arrow), so the page fetches the year (and year group) on screen for
// every school of the trust.
import { loaderAudience } from '../../src/page-data/audience.ts';
import { emitArchive, queryMart, runLoader, type Row } from '../../src/page-data/mart-export.ts';
import { arrowFile } from '../../src/page-data/arrow-file.ts';
import { partitionedMembers, yearGroupKey, type PartKey } from '../../src/page-data/page-parts.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const COUNTS = ['pupils_on_roll', 'negative_events', 'possible_sessions', 'attending_sessions', 'pupils_persistently_absent', 'bsc_placements', 'suspensions'] as const;
const WEEK_KEYS = ['school_id', 'academic_year', 'term', 'week_start'] as const;
const WEEK_RATES = ['negative_per_100', 'attendance_pct', 'pa_pct'] as const;
const SO_FAR = ['bsc_per_100_term_so_far', 'bsc_per_100_year_so_far', 'suspensions_per_100_term_so_far', 'suspensions_per_100_year_so_far'] as const;
const PERIOD_KEYS = ['school_id', 'academic_year', 'period', 'year_group', 'weeks', 'last_week', 'pupil_weeks', 'average_roll'] as const;
const PERIOD_RATES = ['negative_per_100', 'attendance_pct', 'pa_pct', 'bsc_per_100', 'suspensions_per_100'] as const;
const RATE_SUPPRESSION = [
  'negative_per_100_suppression', 'attendance_pct_suppression', 'pa_pct_suppression', 'bsc_per_100_suppression', 'suspensions_per_100_suppression',
] as const;

await runLoader(async () => {
  const staff = loaderAudience() === 'staff';
  // Staff: the rates only (the page shows no count). The other builds: the counts too, as hidden
  // (null) or shown, beside the rates they make (test/site/audiences.test.ts checks them).
  const weekColumns: string[] = staff ? [...WEEK_KEYS, 'year_group', ...WEEK_RATES, ...SO_FAR] : [...WEEK_KEYS, ...COUNTS, ...WEEK_RATES];
  const periodColumns: string[] = staff ? [...PERIOD_KEYS, ...PERIOD_RATES] : [...PERIOD_KEYS, ...COUNTS, ...PERIOD_RATES, ...RATE_SUPPRESSION];
  const weeks = await queryMart(
    staff
      ? marts.selectFrom('mart_school_week').select([...WEEK_KEYS, 'year_group', ...WEEK_RATES, ...SO_FAR]).orderBy('school_id').orderBy('academic_year').orderBy('week_start').orderBy('year_group')
      : marts.selectFrom('mart_school_week_suppressed').select([...WEEK_KEYS, ...COUNTS, ...WEEK_RATES]).orderBy('school_id').orderBy('academic_year').orderBy('week_start'),
  );
  const periods = await queryMart(
    staff
      ? marts.selectFrom('mart_school_period').select([...PERIOD_KEYS, ...PERIOD_RATES]).orderBy('school_id').orderBy('academic_year').orderBy('period').orderBy('year_group')
      : marts.selectFrom('mart_school_period_suppressed').select([...PERIOD_KEYS, ...COUNTS, ...PERIOD_RATES, ...RATE_SUPPRESSION]).orderBy('school_id').orderBy('academic_year').orderBy('period').orderBy('year_group'),
  );
  const [{ small_count_threshold: threshold }] = await queryMart('SELECT small_count_threshold FROM settings');
  // A reference table, not a mart: national figures with their source and year.
  const benchmarks = await queryMart('SELECT measure, academic_year, value, unit, source FROM ref_national_benchmarks WHERE term IS NULL ORDER BY measure, academic_year');
  // Parts listed by an index (weeks.arrow, periods.arrow): one per academic year, and for the staff
  // build's weeks one per academic year and year group (0: all), so the page fetches the one on screen.
  const parts = (rows: readonly Row[], columns: readonly string[], index: string, keys: readonly PartKey[] = ['academic_year']) =>
    partitionedMembers(rows, columns, keys).map((m) => (m.name === 'index.arrow' ? { ...m, name: index } : m));
  await emitArchive([
    { name: 'settings.arrow', data: arrowFile([{ suppressed: !staff, threshold: staff ? null : Number(threshold) }], ['suppressed', 'threshold']) },
    ...parts(weeks, weekColumns, 'weeks.arrow', staff ? ['academic_year', yearGroupKey] : ['academic_year']),
    ...parts(periods, periodColumns, 'periods.arrow'),
    { name: 'schools.arrow', data: arrowFile([...new Set(weeks.map((r) => String(r.school_id)))].sort().map((school_id) => ({ school_id })), ['school_id']) },
    { name: 'benchmarks.arrow', data: arrowFile(benchmarks, ['measure', 'academic_year', 'value', 'unit', 'source']) },
  ]);
});
