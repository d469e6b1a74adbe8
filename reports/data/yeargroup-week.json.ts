// mart_yeargroup_week → the weekly review's KPIs and trend (a few hundred rows per school).
import { queryMart, runLoader, writeJson } from '../../src/reports/mart-export.ts';
import { marts } from '../../src/warehouse/query-builder.ts';

await runLoader(async () => {
  writeJson(await queryMart(marts.selectFrom('mart_yeargroup_week').selectAll().orderBy('school_id').orderBy('academic_year').orderBy('year_group').orderBy('week_start')));
});
