// The weekly review's pupil lists (staff page: names), one part per school, academic year and
// year group (src/page-data/page-parts.ts), fetched only for the ones on screen. Each holds two
// lists, told apart by `list`:
//   "concern"        mart_pupils_of_concern: up to 10 pupils per school and week
//   "watchlist-new"  mart_watchlist rows with is_new: pupils newly listed that week
import { sql } from '../../src/commonjs/kysely.ts';
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { yearGroupKey } from '../../src/page-data/page-parts.ts';
import { SCHOOL_YEAR_KEY, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const shared = ['school_id', 'academic_year', 'year_group', 'week_start', 'rank', 'student_id', 'first_name', 'last_name', 'form'] as const;
const concernOnly = [
  'negative_events', 'serious_events', 'bsc_placements', 'negative_events_prev_4wk_avg', 'rising', 'recent_negative_events',
  'bsc_placements_term', 'detentions_missed_term', 'attendance_pct_ytd', 'active_intervention_types',
] as const;
const watchlistOnly = ['score', 'reasons_text'] as const;
const columns = ['list', ...shared, ...concernOnly, ...watchlistOnly];

// One query, both lists: the part's key values first (school, academic year, year group), then
// the columns, in a total order (by the key, then the list, the week, the rank, the pupil), so the
// parts are the same in every build and a rebuild's files are byte-identical when the rows are.
// Streamed, not read as row objects (docs/performance.md, "Session 22").
const key = [...SCHOOL_YEAR_KEY, sql<number>`year_group`.as('part_year_group')] as const;
const none = <C extends string>(names: readonly C[]) => names.map((c) => sql<null>`NULL`.as(c));
await runLoader(async () => {
  const query = (kept: Kept) => {
    const concern = marts
      .selectFrom('mart_pupils_of_concern')
      .select([...key, sql<string>`'concern'`.as('list'), 'school_id', 'academic_year', 'year_group', 'week_start', 'concern_rank as rank', 'student_id', 'first_name', 'last_name', 'form', ...concernOnly, ...none(watchlistOnly)])
      .where(kept('school_id', 'academic_year'));
    const watchlistNew = marts
      .selectFrom('mart_watchlist')
      .select([...key, sql<string>`'watchlist-new'`.as('list'), 'school_id', 'academic_year', 'year_group', 'as_of_week as week_start', 'rank', 'student_id', 'first_name', 'last_name', 'form', ...none(concernOnly), ...watchlistOnly])
      .where('is_new', '=', true)
      .where(kept('school_id', 'academic_year'));
    // (Each list's NULL columns are typed null where the other's hold values: kysely wants one type.)
    return concern.unionAll(watchlistNew as never)
      .orderBy('part_school').orderBy('part_year').orderBy('part_year_group').orderBy('list').orderBy('week_start').orderBy('rank').orderBy('student_id');
  };
  // A staff site rebuilt after a week's refresh takes the (school, year)s whose inputs did not
  // change from the site it replaces (src/page-data/year-parts-reuse.ts).
  await emitArchive(
    await yearPartitionMembers({
      name: 'weekly-review-pupils', loader: import.meta.url, marts: ['mart_pupils_of_concern', 'mart_watchlist'], columns, keys: ['school_id', 'academic_year', yearGroupKey], query,
    }),
  );
});
