/**
 * The schools comparison's marts (reports/schools.md) on hand-made rows of mart_yeargroup_week,
 * small enough to work out by hand (the expected values are computed in the comments, not by the
 * code): mart_school_week and mart_school_period (exact, the staff build), mart_school_suppression
 * and the suppressed marts the leaders', governors' and trust builds read (threshold 5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMacros, readModels } from '../../src/models/model-files.ts';
import { DEFAULT_SETTINGS, writeSettings } from '../../src/models/settings.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

type Row = Record<string, unknown>;
const MODELS = ['mart_school_week', 'mart_school_period', 'mart_school_suppression', 'mart_school_week_suppressed', 'mart_school_period_suppressed'];

/** Builds the five models, in order, on mart_yeargroup_week rows (roll, neg, poss, att, pa, bsc, susp). */
async function build(warehouse: Warehouse, rows: [yearGroup: number, week: string, term: string, counts: number[]][]): Promise<void> {
  const c = warehouse.connection;
  await writeSettings(c, { ...DEFAULT_SETTINGS });
  for (const macro of readMacros()) await c.run(macro.sql);
  const values = rows.map(([yg, week, term, v]) => `('S1', '2025/26', ${yg}, DATE '${week}', '${term}', ${v.join(', ')})`);
  await c.run(`CREATE OR REPLACE TABLE mart_yeargroup_week AS SELECT school_id, academic_year, year_group::INTEGER AS year_group, week_start, term,
      pupils_on_roll::INTEGER AS pupils_on_roll, negative_events::INTEGER AS negative_events, possible_sessions::INTEGER AS possible_sessions,
      attending_sessions::INTEGER AS attending_sessions, pupils_persistently_absent::INTEGER AS pupils_persistently_absent,
      bsc_placements::INTEGER AS bsc_placements, suspensions::INTEGER AS suspensions
    FROM (VALUES ${values.join(',\n')}) t(school_id, academic_year, year_group, week_start, term, pupils_on_roll, negative_events,
      possible_sessions, attending_sessions, pupils_persistently_absent, bsc_placements, suspensions)`);
  const models = readModels();
  for (const name of MODELS) {
    const model = models.find((m) => m.name === name);
    if (!model) throw new Error(`sql/marts/${name}.sql not found`);
    await c.run(`CREATE OR REPLACE TABLE ${name} AS ${model.sql}`);
  }
}

const select = (warehouse: Warehouse, sql: string) => queryRows<Row>(warehouse.connection, sql);
/** Rates to 6 decimals; a MAP (DuckDB gives [{key, value}]) as an object. */
const plain = (v: unknown) =>
  typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : Array.isArray(v) ? Object.fromEntries(v.map((e: { key: string; value: unknown }) => [e.key, e.value])) : v;
const round = (rows: Row[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));

describe('mart_school_week, mart_school_period and their suppressed versions (hand-made weeks, threshold 5)', () => {
  let warehouse: Warehouse;
  //                                     roll neg poss att pa bsc susp
  const input: Parameters<typeof build>[1] = [
    [7, '2025-09-01', 'Autumn', [10, 6, 100, 95, 1, 2, 0]],
    [7, '2025-09-08', 'Autumn', [10, 7, 100, 90, 2, 3, 1]],
    [8, '2025-09-01', 'Autumn', [12, 8, 120, 110, 3, 4, 0]],
    [8, '2025-09-08', 'Autumn', [12, 9, 120, 115, 3, 1, 0]],
  ];
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    await build(warehouse, input);
  });
  afterAll(() => warehouse?.close());

  it('adds the year groups up each week (year_group 0), with the weekly rates and BSC and suspensions so far', async () => {
    const rows = await select(warehouse, `SELECT strftime(week_start, '%Y-%m-%d') AS week, pupils_on_roll, negative_events, possible_sessions, attending_sessions,
        pupils_persistently_absent, bsc_placements, suspensions, negative_per_100, attendance_pct, pa_pct,
        bsc_placements_term_so_far, average_roll_term_so_far, bsc_per_100_term_so_far, suspensions_per_100_year_so_far
      FROM mart_school_week WHERE year_group = 0 ORDER BY week_start`);
    // Week 1: roll 10 + 12 = 22, neg 14 → 14 × 100 ÷ 22 = 63.636…; sessions 205 of 220 → 93.1818…%;
    //   PA 4 of 22 → 18.1818…%; BSC 6 so far over an average roll of 22 → 27.2727… per 100; suspensions 0.
    // Week 2: roll 22, neg 16 → 72.7272…; 205 of 220; PA 5 → 22.7272…%; BSC 6 + 4 = 10 so far, average
    //   roll (22 + 22) ÷ 2 = 22 → 45.4545…; suspensions 1 so far → 1 × 100 ÷ 22 = 4.5454….
    expect(round(rows)).toEqual([
      { week: '2025-09-01', pupils_on_roll: 22, negative_events: 14, possible_sessions: 220, attending_sessions: 205, pupils_persistently_absent: 4,
        bsc_placements: 6, suspensions: 0, negative_per_100: 63.636364, attendance_pct: 93.181818, pa_pct: 18.181818,
        bsc_placements_term_so_far: 6, average_roll_term_so_far: 22, bsc_per_100_term_so_far: 27.272727, suspensions_per_100_year_so_far: 0 },
      { week: '2025-09-08', pupils_on_roll: 22, negative_events: 16, possible_sessions: 220, attending_sessions: 205, pupils_persistently_absent: 5,
        bsc_placements: 4, suspensions: 1, negative_per_100: 72.727273, attendance_pct: 93.181818, pa_pct: 22.727273,
        bsc_placements_term_so_far: 10, average_roll_term_so_far: 22, bsc_per_100_term_so_far: 45.454545, suspensions_per_100_year_so_far: 4.545455 },
    ]);
    // Year 7 alone, week 2: BSC 2 + 3 = 5 so far over an average roll of 10 → 50 per 100.
    const [y7] = await select(warehouse, `SELECT bsc_per_100_term_so_far, negative_per_100 FROM mart_school_week WHERE year_group = 7 AND week_start = DATE '2025-09-08'`);
    expect(y7).toEqual({ bsc_per_100_term_so_far: 50, negative_per_100: 70 });
  });

  it("gives each period's totals and rates, per year group and for all (exact, the staff build)", async () => {
    const rows = await select(warehouse, `SELECT period, year_group, weeks, strftime(last_week, '%Y-%m-%d') AS last_week, pupil_weeks, average_roll, pupils_on_roll,
        pupils_persistently_absent, negative_events, possible_sessions, attending_sessions, bsc_placements, suspensions,
        negative_per_100, attendance_pct, pa_pct, bsc_per_100, suspensions_per_100
      FROM mart_school_period ORDER BY period, year_group`);
    // All, Autumn: 2 weeks, pupil-weeks 44, average roll 22; at the last week roll 22, PA 5 → 22.7272…%;
    //   neg 30 × 100 ÷ 44 = 68.1818…; 410 of 440 sessions = 93.1818…%; BSC 10 × 100 ÷ 22 = 45.4545…; suspensions 1 → 4.5454….
    // Year 7: pupil-weeks 20, average 10; roll 10, PA 2 → 20%; neg 13 → 65; 185/200 = 92.5%; BSC 5 → 50; suspensions 1 → 10.
    // Year 8: pupil-weeks 24, average 12; roll 12, PA 3 → 25%; neg 17 → 70.8333…; 225/240 = 93.75%; BSC 5 → 41.6666…; suspensions 0.
    const autumn = [
      { year_group: 0, weeks: 2, last_week: '2025-09-08', pupil_weeks: 44, average_roll: 22, pupils_on_roll: 22, pupils_persistently_absent: 5, negative_events: 30,
        possible_sessions: 440, attending_sessions: 410, bsc_placements: 10, suspensions: 1, negative_per_100: 68.181818, attendance_pct: 93.181818, pa_pct: 22.727273,
        bsc_per_100: 45.454545, suspensions_per_100: 4.545455 },
      { year_group: 7, weeks: 2, last_week: '2025-09-08', pupil_weeks: 20, average_roll: 10, pupils_on_roll: 10, pupils_persistently_absent: 2, negative_events: 13,
        possible_sessions: 200, attending_sessions: 185, bsc_placements: 5, suspensions: 1, negative_per_100: 65, attendance_pct: 92.5, pa_pct: 20,
        bsc_per_100: 50, suspensions_per_100: 10 },
      { year_group: 8, weeks: 2, last_week: '2025-09-08', pupil_weeks: 24, average_roll: 12, pupils_on_roll: 12, pupils_persistently_absent: 3, negative_events: 17,
        possible_sessions: 240, attending_sessions: 225, bsc_placements: 5, suspensions: 0, negative_per_100: 70.833333, attendance_pct: 93.75, pa_pct: 25,
        bsc_per_100: 41.666667, suspensions_per_100: 0 },
    ];
    // One term so far: the whole year is the same.
    expect(round(rows)).toEqual([...autumn.map((r) => ({ period: 'Autumn', ...r })), ...autumn.map((r) => ({ period: 'Year', ...r }))]);
  });

  it('hides counts below 5 and the BSC week that would give one away (the suppressed weeks)', async () => {
    const rows = await select(warehouse, `SELECT strftime(week_start, '%Y-%m-%d') AS week, pupils_on_roll, negative_events, possible_sessions, attending_sessions,
        pupils_persistently_absent, bsc_placements, suspensions, negative_per_100, pa_pct, suppressed
      FROM mart_school_week_suppressed ORDER BY week_start`);
    // Week 1: PA 4 (<5), suspensions 0 (<5), BSC 6. Week 2: PA 5, BSC 4 (<5), suspensions 1 (<5).
    // BSC: the term's all-year-groups total is 10 = 6 + 4, so week 1's 6 is hidden with week 2's 4.
    // A rate on a hidden count is hidden (week 1's PA %); the others stand.
    expect(round(rows)).toEqual([
      { week: '2025-09-01', pupils_on_roll: 22, negative_events: 14, possible_sessions: 220, attending_sessions: 205, pupils_persistently_absent: null,
        bsc_placements: null, suspensions: null, negative_per_100: 63.636364, pa_pct: null,
        suppressed: { bsc_placements: 'secondary', pupils_persistently_absent: 'fewer than 5', suspensions: 'fewer than 5' } },
      { week: '2025-09-08', pupils_on_roll: 22, negative_events: 16, possible_sessions: 220, attending_sessions: 205, pupils_persistently_absent: 5,
        bsc_placements: null, suspensions: null, negative_per_100: 72.727273, pa_pct: 22.727273,
        suppressed: { bsc_placements: 'fewer than 5', suspensions: 'fewer than 5' } },
    ]);
  });

  it("hides each period's small counts, the rates on them, and says why", async () => {
    const rows = await select(warehouse, `SELECT period, year_group, pupil_weeks, average_roll, pupils_on_roll, pupils_persistently_absent, negative_events, bsc_placements, suspensions,
        negative_per_100, pa_pct, pa_pct_suppression, bsc_per_100, bsc_per_100_suppression, suspensions_per_100, suspensions_per_100_suppression, suppressed
      FROM mart_school_period_suppressed WHERE period = 'Autumn' ORDER BY year_group`);
    // All: suspensions 1 (<5) hidden, so the suspension rate is '<5'; PA 5 stands (Year 7's 2 and Year 8's 3 are both hidden: 5 between them).
    // Year 7: PA 2 (<5), suspensions 1 (<5). Year 8: PA 3 (<5), suspensions 0 (<5). BSC 5 and 5: shown.
    expect(round(rows)).toEqual([
      { period: 'Autumn', year_group: 0, pupil_weeks: 44, average_roll: 22, pupils_on_roll: 22, pupils_persistently_absent: 5, negative_events: 30, bsc_placements: 10,
        suspensions: null, negative_per_100: 68.181818, pa_pct: 22.727273, pa_pct_suppression: null, bsc_per_100: 45.454545, bsc_per_100_suppression: null,
        suspensions_per_100: null, suspensions_per_100_suppression: 'fewer than 5', suppressed: { suspensions: 'fewer than 5' } },
      { period: 'Autumn', year_group: 7, pupil_weeks: 20, average_roll: 10, pupils_on_roll: 10, pupils_persistently_absent: null, negative_events: 13, bsc_placements: 5,
        suspensions: null, negative_per_100: 65, pa_pct: null, pa_pct_suppression: 'fewer than 5', bsc_per_100: 50, bsc_per_100_suppression: null,
        suspensions_per_100: null, suspensions_per_100_suppression: 'fewer than 5', suppressed: { pupils_persistently_absent: 'fewer than 5', suspensions: 'fewer than 5' } },
      { period: 'Autumn', year_group: 8, pupil_weeks: 24, average_roll: 12, pupils_on_roll: 12, pupils_persistently_absent: null, negative_events: 17, bsc_placements: 5,
        suspensions: null, negative_per_100: 70.833333, pa_pct: null, pa_pct_suppression: 'fewer than 5', bsc_per_100: 41.666667, bsc_per_100_suppression: null,
        suspensions_per_100: null, suspensions_per_100_suppression: 'fewer than 5', suppressed: { pupils_persistently_absent: 'fewer than 5', suspensions: 'fewer than 5' } },
    ]);
    // Primary: weeks 4 (PA, suspensions, BSC, suspensions), periods 5 per period × 2; secondary: week 1's BSC.
    const counts = await select(warehouse, `SELECT suppression, count(*)::INTEGER AS n FROM mart_school_suppression GROUP BY ALL ORDER BY suppression`);
    expect(counts).toEqual([{ suppression: 'fewer than 5', n: 14 }, { suppression: 'secondary', n: 1 }]);
  });
});

describe('mart_school_suppression: secondary suppression and "follows" (hand-made weeks, threshold 5)', () => {
  const periodBsc = (warehouse: Warehouse, period: string) =>
    select(warehouse, `SELECT year_group, bsc_placements, suppressed['bsc_placements'] AS why FROM mart_school_period_suppressed WHERE period = '${period}' ORDER BY year_group`);
  const warehouses: Warehouse[] = [];
  const built = async (rows: Parameters<typeof build>[1]) => {
    const warehouse = await openTempWarehouse();
    warehouses.push(warehouse);
    await build(warehouse, rows);
    return warehouse;
  };
  afterAll(() => warehouses.forEach((w) => w.close()));
  //                                   roll neg poss att pa bsc susp
  const big = (bsc: number): number[] => [40, 20, 400, 380, 10, bsc, 10];

  it('hides the next smallest year group while the hidden ones add up to less than 5 (their sum would be a small number)', async () => {
    // BSC by year group 2, 1, 30, 20 (total 53): 2 + 1 = 3 < 5 → hide 20 (the smallest shown); then 23 ≥ 5.
    const warehouse = await built([7, 8, 9, 10].map((yg, i) => [yg, '2025-09-01', 'Autumn', big([2, 1, 30, 20][i])]));
    expect(await periodBsc(warehouse, 'Autumn')).toEqual([
      { year_group: 0, bsc_placements: 53, why: null },
      { year_group: 7, bsc_placements: null, why: 'fewer than 5' },
      { year_group: 8, bsc_placements: null, why: 'fewer than 5' },
      { year_group: 9, bsc_placements: 30, why: null },
      { year_group: 10, bsc_placements: null, why: 'secondary' },
    ]);
  });

  it('carries on through the sums a hidden count exposes (year groups × terms)', async () => {
    // BSC:        Autumn  Spring | Year
    //   Year 7       2      10   |  12
    //   Year 8       8       9   |  17
    //   all         10      19   |  29
    // Year 7 Autumn (2) is alone in Autumn's year groups → Year 8 Autumn (8); alone in Year 7's terms
    // → Year 7 Spring (10); then Year 8 Autumn alone in Year 8's terms → Year 8 Spring (9): a 2 × 2
    // block, with no sum left holding exactly one hidden count, and every total shown.
    const warehouse = await built([
      [7, '2025-09-01', 'Autumn', big(2)], [8, '2025-09-01', 'Autumn', big(8)],
      [7, '2026-01-05', 'Spring', big(10)], [8, '2026-01-05', 'Spring', big(9)],
    ]);
    expect(await periodBsc(warehouse, 'Autumn')).toEqual([
      { year_group: 0, bsc_placements: 10, why: null },
      { year_group: 7, bsc_placements: null, why: 'fewer than 5' },
      { year_group: 8, bsc_placements: null, why: 'secondary' },
    ]);
    expect(await periodBsc(warehouse, 'Spring')).toEqual([
      { year_group: 0, bsc_placements: 19, why: null },
      { year_group: 7, bsc_placements: null, why: 'secondary' },
      { year_group: 8, bsc_placements: null, why: 'secondary' },
    ]);
    expect(await periodBsc(warehouse, 'Year')).toEqual([
      { year_group: 0, bsc_placements: 29, why: null },
      { year_group: 7, bsc_placements: 12, why: null },
      { year_group: 8, bsc_placements: 17, why: null },
    ]);
    const weeks = await select(warehouse, `SELECT bsc_placements FROM mart_school_week_suppressed ORDER BY week_start`);
    expect(weeks).toEqual([{ bsc_placements: 10 }, { bsc_placements: 19 }]);
  });

  it('hides sessions and the average roll with a roll below 5, and says which kind of hiding a rate rests on', async () => {
    // One year group of 3 pupils, one week: roll 3 (<5), so its sessions go with it (sessions ÷ 10 is
    // about the roll) and pupil-weeks 3 over 1 week is an average roll below 5. Negative events 12 stand.
    // negative_per_100 rests on pupil-weeks (hidden, < 5): "<5"; attendance on the sessions (hidden with it): "suppressed".
    const warehouse = await built([[7, '2025-09-01', 'Autumn', [3, 12, 30, 27, 0, 0, 0]]]);
    const [period] = await select(warehouse, `SELECT pupils_on_roll, possible_sessions, attending_sessions, pupil_weeks, average_roll, negative_events,
        negative_per_100, negative_per_100_suppression, attendance_pct, attendance_pct_suppression, pa_pct_suppression
      FROM mart_school_period_suppressed WHERE period = 'Autumn' AND year_group = 0`);
    expect(period).toEqual({ pupils_on_roll: null, possible_sessions: null, attending_sessions: null, pupil_weeks: null, average_roll: null, negative_events: 12,
      negative_per_100: null, negative_per_100_suppression: 'fewer than 5', attendance_pct: null, attendance_pct_suppression: 'secondary', pa_pct_suppression: 'fewer than 5' });
    const [week] = await select(warehouse, `SELECT pupils_on_roll, possible_sessions, attending_sessions, negative_events, negative_per_100, attendance_pct FROM mart_school_week_suppressed`);
    expect(week).toEqual({ pupils_on_roll: null, possible_sessions: null, attending_sessions: null, negative_events: 12, negative_per_100: null, attendance_pct: null });
  });
});

describe('ref_national_benchmarks: national attendance', () => {
  it('is 100 − the overall absence rate of the same year (DfE 2023/24: 100 − 8.9 = 91.1)', async () => {
    const warehouse = await openTempWarehouse();
    try {
      const sql = readModels().find((m) => m.name === 'ref_national_benchmarks')!.sql;
      const rows = await select(warehouse, `SELECT academic_year, value::DOUBLE AS value, unit, source FROM (${sql}) WHERE measure = 'attendance_pct' ORDER BY academic_year`);
      expect(rows).toEqual([
        { academic_year: '2022/23', value: 91, unit: '% of possible sessions', source: 'DfE Pupil absence in schools in England, 2022/23' },
        { academic_year: '2023/24', value: 91.1, unit: '% of possible sessions', source: 'DfE Pupil absence in schools in England, 2023/24' },
      ]);
    } finally {
      warehouse.close();
    }
  });
});
