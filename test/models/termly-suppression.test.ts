import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModels } from '../../src/models/model-files.ts';
import { DEFAULT_SETTINGS, writeSettings } from '../../src/models/settings.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

/*
 * mart_termly_report's suppression, on hand-made rows of mart_termly_counts (threshold 5):
 *   primary    any count below 5 (0 and 4 here), a group of fewer than 5 pupils, or a "rest of
 *              pupils" count below 5 hides the figure; 5 and 12 are shown;
 *   secondary  in a suppression group, a lone hidden figure, or hidden figures adding up to less
 *              than 5, take the next smallest figure with them;
 *   over time  a year-to-date figure is hidden when the same figure was hidden in an earlier term.
 */
interface CountRow {
  term: 'Autumn' | 'Spring';
  period?: 'term' | 'year_to_date';
  measure: string;
  label?: string;
  breakdown?: string;
  count: number;
  base?: number | null;
  amount?: number | null;
  pupils?: number | null;
  rest?: [count: number, base: number, pupils: number];
  group?: string | null;
  benchmark?: string | null;
  labelOrder?: number;
  weekStart?: string;
}

const sqlValue = (v: string | number | null | undefined) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);

function countsSql(rows: CountRow[]): string {
  const values = rows.map((r) =>
    `(${[
      "'S1'", "'2025/26'", sqlValue(r.term), sqlValue(r.period ?? 'term'), "'test'", sqlValue(r.measure), 1,
      sqlValue(r.breakdown ?? (r.label ? 'year_group' : 'school')), sqlValue(r.label ?? 'All'), r.labelOrder ?? 0, r.weekStart ? `DATE '${r.weekStart}'` : 'NULL::DATE',
      r.count, sqlValue(r.amount), sqlValue(r.base === undefined ? 100 : r.base), 100, "'per 100 pupils'", sqlValue(r.pupils === undefined ? 100 : r.pupils),
      sqlValue(r.rest?.[0]), sqlValue(r.rest?.[1]), sqlValue(r.rest?.[2]), sqlValue(r.group), sqlValue(r.benchmark),
    ].join(', ')})`,
  );
  return `CREATE OR REPLACE TABLE mart_termly_counts AS SELECT school_id, academic_year, term, period, section, measure,
      measure_order::INTEGER AS measure_order, breakdown, label, label_order::INTEGER AS label_order, week_start,
      count::INTEGER AS count, amount::DOUBLE AS amount, base::DOUBLE AS base, scale::DOUBLE AS scale, unit,
      pupils::INTEGER AS pupils, rest_count::INTEGER AS rest_count, rest_base::DOUBLE AS rest_base,
      rest_pupils::INTEGER AS rest_pupils, suppression_group::VARCHAR AS suppression_group, benchmark::VARCHAR AS benchmark
    FROM (VALUES ${values.join(',\n')}) t(school_id, academic_year, term, period, section, measure, measure_order, breakdown,
      label, label_order, week_start, count, amount, base, scale, unit, pupils, rest_count, rest_base, rest_pupils,
      suppression_group, benchmark)`;
}

const yearGroups = (measure: string, counts: number[], group = measure) =>
  counts.map((count, i): CountRow => ({ term: 'Spring', measure, label: `Year ${7 + i}`, labelOrder: 7 + i, count, group }));

// The weeks of a year group (negative events each week), which add up to its term figure.
const weeksOf = (year: number, counts: number[]) =>
  counts.map((count, i): CountRow => ({
    term: 'Spring', measure: 'negative_per_100_week', label: `Year ${year}`, labelOrder: year, count,
    weekStart: ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02'][i], group: `weeks of Year ${year}`,
  }));

const ROWS: CountRow[] = [
  // Primary: 0, 4, 5, 12.
  { term: 'Spring', measure: 'zero', count: 0 },
  { term: 'Spring', measure: 'four', count: 4 },
  { term: 'Spring', measure: 'five', count: 5 },
  { term: 'Spring', measure: 'twelve', count: 12, base: 48, benchmark: 'national_rate' },
  // Previous term of the same figures: 'five' was 4 (hidden), 'twelve' was 6 of 48.
  { term: 'Autumn', measure: 'five', count: 4 },
  { term: 'Autumn', measure: 'twelve', count: 6, base: 48, benchmark: 'national_rate' },
  // Small group, large count; gaps against the rest of the pupils.
  { term: 'Spring', measure: 'small_group', count: 12, pupils: 4 },
  { term: 'Spring', measure: 'gap', breakdown: 'SEN', label: 'EHC plan', count: 12, base: 40, pupils: 40, rest: [30, 200, 200] },
  { term: 'Spring', measure: 'gap', breakdown: 'EAL', label: 'EAL', count: 12, base: 40, pupils: 40, rest: [4, 200, 200] },
  { term: 'Spring', measure: 'gap', breakdown: 'Gender', label: 'Gender X', count: 12, base: 4, pupils: 4, rest: [30, 200, 200] },
  // Secondary: one hidden (4) takes the next smallest (5); two hidden adding to 4 take 12; 3 + 4 = 7 needs nothing more.
  ...yearGroups('one_hidden', [4, 5, 12, 30]),
  ...yearGroups('hidden_sum_small', [0, 4, 12, 30]),
  ...yearGroups('hidden_sum_enough', [3, 4, 12, 30]),
  // Negative events by year group (3 hidden, so 40 with it) and the weeks of Years 8 and 9: Year 8's
  // weeks 8 + 8 + 9 + 8 + 7 add up to its hidden 40, so one of them (7) must go too; Year 9's stay.
  ...yearGroups('negative_per_100_per_week', [3, 40, 60, 80], 'year_group'),
  ...weeksOf(8, [8, 8, 9, 8, 7]),
  ...weeksOf(9, [12, 12, 12, 12, 12]),
  // Year to date: Autumn 4 (hidden) + Spring 12 = 16 must stay hidden; 6 + 12 = 18 is shown.
  { term: 'Autumn', measure: 'ytd_hidden_before', count: 4 },
  { term: 'Spring', measure: 'ytd_hidden_before', count: 12 },
  { term: 'Autumn', period: 'year_to_date', measure: 'ytd_hidden_before', count: 4 },
  { term: 'Spring', period: 'year_to_date', measure: 'ytd_hidden_before', count: 16 },
  { term: 'Autumn', measure: 'ytd_shown', count: 6 },
  { term: 'Spring', measure: 'ytd_shown', count: 12 },
  { term: 'Autumn', period: 'year_to_date', measure: 'ytd_shown', count: 6 },
  { term: 'Spring', period: 'year_to_date', measure: 'ytd_shown', count: 18 },
  // Days lost: suppressed on the suspensions count, shown as the amount.
  { term: 'Spring', measure: 'days_lost', count: 5, amount: 7.5, base: null },
  { term: 'Spring', measure: 'days_lost_few', count: 3, amount: 20, base: null },
];

describe('mart_termly_report suppression (hand-made counts, threshold 5)', () => {
  let warehouse: Warehouse;
  let rows: Record<string, unknown>[];
  const find = (measure: string, options: { term?: string; period?: string; label?: string } = {}) => {
    const row = rows.find(
      (r) => r.measure === measure && r.term === (options.term ?? 'Spring') && r.period === (options.period ?? 'term') && r.label === (options.label ?? 'All'),
    );
    if (!row) throw new Error(`no row for ${measure} ${JSON.stringify(options)}`);
    return row;
  };
  const shown = (measure: string, options?: Parameters<typeof find>[1]) => {
    const { count, value, suppressed, suppression } = find(measure, options);
    return { count, value, suppressed, suppression };
  };

  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    const c = warehouse.connection;
    await writeSettings(c, { ...DEFAULT_SETTINGS });
    await c.run(`CREATE TABLE mart_termly_terms AS SELECT * FROM (VALUES
      ('S1', '2025/26', 'Autumn', DATE '2025-09-03', DATE '2025-12-19', 15, 73, 'Autumn 2025/26', 1, 1),
      ('S1', '2025/26', 'Spring', DATE '2026-01-06', DATE '2026-03-27', 12, 58, 'Spring 2025/26', 2, 2)
    ) t(school_id, academic_year, term, first_day, last_day, school_weeks, school_days, term_label, term_index, term_in_year)`);
    await c.run(`CREATE TABLE ref_national_benchmarks AS SELECT * FROM (VALUES
      ('national_rate', '2022/23', NULL, 10.0, 'per 100 pupils', 'Source, 2022/23'),
      ('national_rate', '2023/24', NULL, 11.0, 'per 100 pupils', 'Source, 2023/24'),
      ('national_rate', '2022/23', 'Autumn', 8.0, 'per 100 pupils', 'Source, autumn 2022/23'),
      ('national_rate', '2023/24', 'Autumn', 9.0, 'per 100 pupils', 'Source, autumn 2023/24')
    ) t(measure, academic_year, term, value, unit, source)`);
    await c.run(countsSql(ROWS));
    const model = readModels().find((m) => m.name === 'mart_termly_report');
    if (!model) throw new Error('sql/marts/mart_termly_report.sql not found');
    await c.run(`CREATE TABLE report AS ${model.sql}`);
    rows = await queryRows(c, 'SELECT * FROM report');
  });
  afterAll(() => warehouse?.close());

  it('hides counts of 0 and 4 and shows 5 and 12, with their rates', () => {
    expect(shown('zero')).toEqual({ count: null, value: null, suppressed: true, suppression: 'fewer than 5' });
    expect(shown('four')).toEqual({ count: null, value: null, suppressed: true, suppression: 'fewer than 5' });
    expect(shown('five')).toEqual({ count: 5, value: 5, suppressed: false, suppression: null });
    expect(shown('twelve')).toEqual({ count: 12, value: 25, suppressed: false, suppression: null });
  });

  it('hides a figure about fewer than 5 pupils, or whose rest of pupils counts fewer than 5', () => {
    expect(shown('small_group')).toMatchObject({ count: null, value: null, suppressed: true });
    expect(find('gap', { label: 'EAL' })).toMatchObject({ count: null, value: null, rest_value: null, risk_ratio: null, suppressed: true });
    expect(find('gap', { label: 'Gender X' })).toMatchObject({ count: null, value: null, rest_value: null, risk_ratio: null, suppressed: true });
    // 12 of 40 = 30.0 against 30 of 200 = 15.0: twice the rate.
    expect(find('gap', { label: 'EHC plan' })).toMatchObject({ count: 12, value: 30, rest_value: 15, risk_ratio: 2, suppressed: false });
  });

  it('hides a second figure when one alone, or small ones together, could be got back from the total', () => {
    const group = (measure: string) => [7, 8, 9, 10].map((y) => find(measure, { label: `Year ${y}` })).map((r) => r.count ?? r.suppression);
    expect(group('one_hidden')).toEqual(['fewer than 5', 'secondary', 12, 30]);
    expect(group('hidden_sum_small')).toEqual(['fewer than 5', 'fewer than 5', 'secondary', 30]);
    expect(group('hidden_sum_enough')).toEqual(['fewer than 5', 'fewer than 5', 12, 30]);
  });

  it("hides a week of a year group whose term figure is hidden, so its weeks cannot add up to it", () => {
    expect([7, 8, 9, 10].map((y) => find('negative_per_100_per_week', { label: `Year ${y}` })).map((r) => r.count ?? r.suppression))
      .toEqual(['fewer than 5', 'secondary', 60, 80]);
    const weeks = (year: number) =>
      rows.filter((r) => r.measure === 'negative_per_100_week' && r.label === `Year ${year}`)
        .sort((a, b) => new Date(a.week_start as string).getTime() - new Date(b.week_start as string).getTime())
        .map((r) => r.count ?? r.suppression);
    expect(weeks(8)).toEqual([8, 8, 9, 8, 'secondary']);
    expect(weeks(9)).toEqual([12, 12, 12, 12, 12]);
  });

  it('hides a year-to-date figure when an earlier term of it was hidden', () => {
    expect(shown('ytd_hidden_before', { period: 'year_to_date' })).toEqual({ count: null, value: null, suppressed: true, suppression: 'earlier term suppressed' });
    expect(shown('ytd_shown', { period: 'year_to_date' })).toEqual({ count: 18, value: 18, suppressed: false, suppression: null });
  });

  it('compares with the previous term only when both are shown', () => {
    expect(find('twelve')).toMatchObject({ previous_term_label: 'Autumn 2025/26', previous_value: 12.5, previous_count: 6, previous_suppressed: false, change: 12.5 });
    expect(find('five')).toMatchObject({ previous_value: null, previous_count: null, previous_suppressed: true, previous_suppression: 'fewer than 5', change: null });
  });

  it('shows days lost when there were 5 or more suspensions, and hides them otherwise', () => {
    expect(shown('days_lost')).toEqual({ count: 5, value: 7.5, suppressed: false, suppression: null });
    expect(shown('days_lost_few')).toMatchObject({ count: null, value: null, suppressed: true });
  });

  it('puts the latest national figure beside, with its year and source', () => {
    expect(find('twelve')).toMatchObject({ national_value: 11, national_year: '2023/24', national_source: 'Source, 2023/24' });
  });

  it("adds the national figure for the term alone beside that term's figures only", () => {
    expect(find('twelve', { term: 'Autumn' })).toMatchObject({
      national_value: 11, national_term_value: 9, national_term_year: '2023/24', national_term_source: 'Source, autumn 2023/24',
    });
    expect(find('twelve')).toMatchObject({ national_term_value: null, national_term_year: null, national_term_source: null });
  });

  it('never lets a count below 5 through, whatever the row', () => {
    expect(rows.filter((r) => r.count !== null && (r.count as number) < 5)).toEqual([]);
    expect(rows.filter((r) => r.previous_count !== null && (r.previous_count as number) < 5)).toEqual([]);
  });
});
