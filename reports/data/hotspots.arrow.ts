// mart_behaviour_hotspots → negative events by week, year group and one breakdown at a time.
import { queryMart, runLoader } from '../../src/reports/mart-export.ts';
import { writeArrow } from '../../src/reports/arrow-file.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

const columns = ['school_id', 'academic_year', 'term', 'week_start', 'year_group', 'dimension', 'label', 'weekday', 'period', 'negative_events'] as const;

await runLoader(async () => {
  const query = marts.selectFrom('mart_behaviour_hotspots').select(columns).orderBy('school_id').orderBy('week_start').orderBy('year_group').orderBy('dimension').orderBy('label');
  writeArrow(await queryMart(query), columns);
});
