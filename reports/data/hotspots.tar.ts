// mart_behaviour_hotspots → negative events by week and one breakdown at a time, one part per
// school, academic year and year group (src/page-data/page-parts.ts), so the weekly review fetches
// only the ones on screen.
import { sql } from 'kysely';
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { streamedPartitionMembers, yearGroupKey } from '../../src/page-data/page-parts.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = ['school_id', 'academic_year', 'term', 'week_start', 'year_group', 'dimension', 'label', 'weekday', 'period', 'period_order', 'negative_events'] as const;

await runLoader(async () => {
  // The part's key values first (school, academic year, year group), then the columns; ordered by
  // the key, then down to the row (the weekday × period grid shares a label), so the same
  // warehouse gives the same parts. Streamed: a trust has 1.65M rows (docs/performance.md, "Session 22").
  const query = marts
    .selectFrom('mart_behaviour_hotspots')
    .select([sql<string>`school_id`.as('part_school'), sql<string>`academic_year`.as('part_year'), sql<number>`year_group`.as('part_year_group'), ...columns])
    .orderBy('school_id').orderBy('academic_year').orderBy('year_group').orderBy('week_start').orderBy('dimension').orderBy('label')
    .orderBy('weekday').orderBy('period_order').orderBy('period');
  await emitArchive(await streamedPartitionMembers(query, columns, ['school_id', 'academic_year', yearGroupKey]));
});
