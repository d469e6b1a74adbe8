// mart_behaviour_hotspots → negative events by week and one breakdown at a time, one part per
// school, academic year and year group (src/page-data/page-parts.ts), so the weekly review fetches
// only the ones on screen.
import { emitArchive, queryMart, runLoader } from '../../src/page-data/mart-export.ts';
import { partitionedMembers, yearGroupKey } from '../../src/page-data/page-parts.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = ['school_id', 'academic_year', 'term', 'week_start', 'year_group', 'dimension', 'label', 'weekday', 'period', 'period_order', 'negative_events'] as const;

await runLoader(async () => {
  // Ordered down to the row (the weekday × period grid shares a label), so the same warehouse gives the same parts.
  const query = marts.selectFrom('mart_behaviour_hotspots').select(columns).orderBy('school_id').orderBy('week_start').orderBy('dimension').orderBy('label')
    .orderBy('year_group').orderBy('weekday').orderBy('period_order').orderBy('period');
  await emitArchive(partitionedMembers(await queryMart(query), columns, ['school_id', 'academic_year', yearGroupKey]));
});
