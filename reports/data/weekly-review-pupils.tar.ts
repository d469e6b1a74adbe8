// The weekly review's pupil lists (staff page: names), one part per school, academic year and
// year group (src/page-data/page-parts.ts), fetched only for the ones on screen. Each holds two
// lists, told apart by `list`:
//   "concern"        mart_pupils_of_concern: up to 10 pupils per school and week
//   "watchlist-new"  mart_watchlist rows with is_new: pupils newly listed that week
import { sql } from 'kysely';
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers, yearGroupKey } from '../../src/page-data/page-parts.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const shared = ['school_id', 'academic_year', 'year_group', 'week_start', 'rank', 'student_id', 'first_name', 'last_name', 'form'] as const;
const concernOnly = [
  'negative_events', 'serious_events', 'bsc_placements', 'negative_events_prev_4wk_avg', 'rising', 'recent_negative_events',
  'bsc_placements_term', 'detentions_missed_term', 'attendance_pct_ytd', 'active_intervention_types',
] as const;
const watchlistOnly = ['score', 'reasons_text'] as const;
const columns = ['list', ...shared, ...concernOnly, ...watchlistOnly];

// A total order (year group before the week, the pupil last): the parts, and the index listing
// them in the order they first appear, are the same in every build, so a rebuild's files are
// byte-identical when the rows are.
await runLoader(async () => {
  const concern = await queryMart(
    marts
      .selectFrom('mart_pupils_of_concern')
      .select([sql<string>`'concern'`.as('list'), 'school_id', 'academic_year', 'year_group', 'week_start', 'concern_rank as rank', 'student_id', 'first_name', 'last_name', 'form', ...concernOnly])
      .orderBy('school_id').orderBy('year_group').orderBy('week_start').orderBy('concern_rank').orderBy('student_id'),
  );
  const watchlistNew = await queryMart(
    marts
      .selectFrom('mart_watchlist')
      .select([sql<string>`'watchlist-new'`.as('list'), 'school_id', 'academic_year', 'year_group', 'as_of_week as week_start', 'rank', 'student_id', 'first_name', 'last_name', 'form', ...watchlistOnly])
      .where('is_new', '=', true)
      .orderBy('school_id').orderBy('year_group').orderBy('as_of_week').orderBy('rank').orderBy('student_id'),
  );
  await emitArchive(partitionedMembers([...concern, ...watchlistNew], columns, ['school_id', 'academic_year', yearGroupKey]));
});
