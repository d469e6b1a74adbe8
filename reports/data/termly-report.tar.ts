// mart_termly_report → the termly report's figures, already aggregated and suppressed in SQL
// (no pupil ids, names or free text, no count below 5). Columns are listed, never `*`, so a
// column added to the mart later cannot reach the page unseen. An archive of Arrow files (Arrow
// keeps each repeated string once, in its column's dictionary): settings.arrow (one row),
// terms.arrow, measures.arrow, term-nationals.arrow (national figures for one term), and the
// figures, one part per school (src/page-data/page-parts.ts; index figures.arrow), so the page
// fetches the school on screen; reports/components/termly-data.js indexes them.
import { emitArchive, queryMart, runLoader, type Row } from '../../src/page-data/mart-export.ts';
import { arrowFile } from '../../src/page-data/arrow-file.ts';
import { streamedPartitionMembers } from '../../src/page-data/page-parts.ts';

const TERM_COLUMNS = [
  'school_id', 'academic_year', 'term', 'term_label', 'term_index', 'term_first_day', 'term_last_day',
  'term_school_weeks', 'previous_term_label',
] as const;
const MEASURE_COLUMNS = ['measure', 'unit', 'national_value', 'national_year', 'national_source', 'national_unit'] as const;
const FIGURE_COLUMNS = [
  'school_id', 'term_index', 'period', 'section', 'measure', 'breakdown', 'label', 'label_order', 'week_start',
  'count', 'value', 'rest_value', 'risk_ratio', 'suppressed', 'suppression', 'previous_value', 'previous_count', 'previous_suppressed',
  'previous_suppression', 'change',
] as const;

const pick = (row: Row, columns: readonly string[]): Row => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));

await runLoader(async () => {
  const terms = await queryMart(
    `SELECT DISTINCT ${TERM_COLUMNS.join(', ')} FROM mart_termly_report WHERE period = 'term' ORDER BY school_id, term_index`,
  );
  // One unit and one national figure per measure: they do not vary by school or term.
  const measures = await queryMart(
    `SELECT measure, ${MEASURE_COLUMNS.slice(1).map((c) => `any_value(${c}) AS ${c}`).join(', ')}
     FROM mart_termly_report GROUP BY measure ORDER BY min(measure_order), measure`,
  );
  // The thresholds and windows the figures were made with, for the page's explanations.
  const [settings] = await queryMart(
    'SELECT small_count_threshold, repeat_referral_window_days, impact_min_pupils, impact_window_weeks FROM settings',
  );
  // National figures for one term only (persistent absence in the autumn), by measure and term.
  const termNationals = await queryMart(
    `SELECT DISTINCT measure, term, national_term_value AS national_value, national_term_year AS national_year,
       national_term_source AS national_source
     FROM mart_termly_report WHERE national_term_value IS NOT NULL ORDER BY measure, term`,
  );
  // The figures by school, the key first, encoded from DuckDB's vectors (no row objects).
  const figures = await streamedPartitionMembers(
    `SELECT school_id AS part_school, ${FIGURE_COLUMNS.join(', ')} FROM mart_termly_report
     ORDER BY school_id, term_index, period, measure_order, breakdown, label_order, label, week_start`,
    FIGURE_COLUMNS,
    ['school_id'],
  );
  await emitArchive([
    { name: 'settings.arrow', data: arrowFile([settings], Object.keys(settings)) },
    { name: 'terms.arrow', data: arrowFile(terms.map((r) => pick(r, TERM_COLUMNS)), TERM_COLUMNS) },
    { name: 'measures.arrow', data: arrowFile(measures.map((r) => pick(r, MEASURE_COLUMNS)), MEASURE_COLUMNS) },
    { name: 'term-nationals.arrow', data: arrowFile(termNationals, ['measure', 'term', 'national_value', 'national_year', 'national_source']) },
    ...figures.map((m) => (m.name === 'index.arrow' ? { ...m, name: 'figures.arrow' } : m)),
  ]);
});
