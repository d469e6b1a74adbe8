// mart_behaviour_hotspots → negative events by week and one breakdown at a time, one file per
// year group (y7.arrow … y13.arrow), so the weekly review fetches only the year group on screen.
import { queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { writeYearGroupArchive } from '../../src/reports/year-group-files.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = ['school_id', 'academic_year', 'term', 'week_start', 'year_group', 'dimension', 'label', 'weekday', 'period', 'period_order', 'negative_events'] as const;

await runLoader(async () => {
  const query = marts.selectFrom('mart_behaviour_hotspots').select(columns).orderBy('school_id').orderBy('week_start').orderBy('dimension').orderBy('label');
  await writeYearGroupArchive(await queryMart(query), columns);
});
