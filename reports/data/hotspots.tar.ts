// mart_behaviour_hotspots → negative events by week and one breakdown at a time, one part per
// school, academic year and year group (src/page-data/page-parts.ts), so the weekly review fetches
// only the ones on screen. A staff site rebuilt after a week's refresh takes the (school, year)s
// whose inputs did not change from the site it replaces (src/page-data/year-parts-reuse.ts).
import { sql } from '../../src/commonjs/kysely.ts';
import { emitArchive, runLoader } from '../../src/page-data/mart-export.ts';
import { yearGroupKey } from '../../src/page-data/page-parts.ts';
import { SCHOOL_YEAR_KEY, yearPartitionMembers, type Kept } from '../../src/page-data/year-parts-reuse.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = ['school_id', 'academic_year', 'term', 'week_start', 'year_group', 'dimension', 'label', 'weekday', 'period', 'period_order', 'negative_events'] as const;

await runLoader(async () => {
  // The part's key values first (school, academic year, year group), then the columns; ordered by
  // the key, then down to the row (the weekday × period grid shares a label), so the same
  // warehouse gives the same parts. Streamed: a trust has 1.65M rows (docs/performance.md, "Session 22").
  const query = (kept: Kept) =>
    marts
      .selectFrom('mart_behaviour_hotspots')
      .select([...SCHOOL_YEAR_KEY, sql<number>`year_group`.as('part_year_group'), ...columns])
      .where(kept('school_id', 'academic_year'))
      .orderBy('school_id').orderBy('academic_year').orderBy('year_group').orderBy('week_start').orderBy('dimension').orderBy('label')
      .orderBy('weekday').orderBy('period_order').orderBy('period');
  await emitArchive(
    await yearPartitionMembers({ name: 'hotspots', loader: import.meta.url, marts: ['mart_behaviour_hotspots'], columns, keys: ['school_id', 'academic_year', yearGroupKey], query }),
  );
});
