import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { mark, modelledSchool, registers, rows, weekdays } from '../helpers/school-builder.ts';

/*
 * Ten Year 9 pupils over two school weeks (20 possible sessions each). P1–P5 are
 * disadvantaged (FSM), P6–P10 are not.
 * Suspensions: P1 twice (PD 4 sessions, VA 1.5 days = 3 sessions), P2 once (PP, 2 sessions);
 *   P6 permanently excluded. → 3 suspensions, 30.00 per 100 pupils; 1 permanent, 10.00 per 100;
 *   2 pupils suspended, 1 with more than one; days lost (4 + 3 + 2) / 2 = 4.5 → 45.00 per 100.
 * Gaps, disadvantaged vs the rest:
 *   negative events 10 (P1 5, P2 3, P3 2) per 5 pupils = 200 per 100 vs 5 (P7 3, P8 2) per 5 = 100 → risk ratio 2.00;
 *   suspensions 3 vs 0 → 60 per 100 vs 0: no ratio (÷ 0), small count (3 < 5);
 *   absence: P1 ill 4 sessions → 4 of 100 sessions = 4.00% vs 0%; PA: P1 (20%) → 20% of pupils vs 0%.
 */
describe('mart_suspensions and mart_group_gaps', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const ids = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10'];
    const days = weekdays('2025-09-08', '2025-09-19');
    const neg = (id: string, student: string) => ({ event_id: id, student_id: student, date: '2025-09-09', category: 'Disruption', points: -1 });
    warehouse = await modelledSchool({
      students: ids.map((id, i) => ({ student_id: id, year_group: 9, fsm: i < 5 ? 'Y' : 'N', gender: i % 2 === 0 ? 'F' : 'M', sen: 'N' })),
      attendance: registers(ids, days, mark('P1', ['2025-09-10', '2025-09-11'], 'I')),
      behaviour: [
        ...['a', 'b', 'c', 'd', 'e'].map((x) => neg(`P1${x}`, 'P1')), ...['a', 'b', 'c'].map((x) => neg(`P2${x}`, 'P2')),
        ...['a', 'b'].map((x) => neg(`P3${x}`, 'P3')), ...['a', 'b', 'c'].map((x) => neg(`P7${x}`, 'P7')), ...['a', 'b'].map((x) => neg(`P8${x}`, 'P8')),
      ],
      suspensions: [
        { suspension_id: 'S1', student_id: 'P1', start_date: '2025-09-15', sessions: 4, days: '', type: 'suspension', reason: 'PD' },
        { suspension_id: 'S2', student_id: 'P1', start_date: '2025-09-17', sessions: '', days: 1.5, type: 'suspension', reason: 'va' },
        { suspension_id: 'S3', student_id: 'P2', start_date: '2025-09-18', sessions: 2, days: '', type: 'suspension', reason: 'PP' },
        { suspension_id: 'S4', student_id: 'P6', start_date: '2025-09-19', sessions: 2, days: '', type: 'permanent', reason: 'PA' },
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it('counts suspensions per 100 pupils as DfE does', async () => {
    const result = await rows(
      warehouse,
      `SELECT year_group, pupils_on_roll, suspensions, permanent_exclusions, pupils_suspended, pupils_with_more_than_one, days_lost,
         reason_persistent_disruption, suspensions_per_100, permanent_exclusions_per_100, days_lost_per_100, national_suspensions_per_100
       FROM mart_suspensions ORDER BY year_group`,
    );
    const expected = { pupils_on_roll: 10, suspensions: 3, permanent_exclusions: 1, pupils_suspended: 2, pupils_with_more_than_one: 1, days_lost: 4.5,
      reason_persistent_disruption: 1, suspensions_per_100: 30, permanent_exclusions_per_100: 10, days_lost_per_100: 45, national_suspensions_per_100: 22.6 };
    expect(result).toEqual([{ year_group: 0, ...expected }, { year_group: 9, ...expected }]);
    const reasons = await rows(warehouse, "SELECT reason, reason_description, suspensions FROM mart_suspension_reasons WHERE type = 'suspension' ORDER BY reason");
    expect(reasons).toEqual([
      { reason: 'PD', reason_description: 'Persistent disruptive behaviour', suspensions: 1 },
      { reason: 'PP', reason_description: 'Physical assault against a pupil', suspensions: 1 },
      { reason: 'VA', reason_description: 'Verbal abuse or threat against an adult', suspensions: 1 },
    ]);
  });

  it('compares each pupil group with the rest, flagging small counts', async () => {
    const gaps = await rows(
      warehouse,
      `SELECT measure, group_pupils, rest_pupils, group_count, rest_count, group_rate, rest_rate, risk_ratio, small_count
       FROM mart_group_gaps WHERE dimension = 'Disadvantaged' ORDER BY measure`,
    );
    expect(gaps).toEqual([
      { measure: 'Absence', group_pupils: 5, rest_pupils: 5, group_count: 4, rest_count: 0, group_rate: 4, rest_rate: 0, risk_ratio: null, small_count: true },
      { measure: 'BSC placements', group_pupils: 5, rest_pupils: 5, group_count: 0, rest_count: 0, group_rate: 0, rest_rate: 0, risk_ratio: null, small_count: true },
      { measure: 'Detentions', group_pupils: 5, rest_pupils: 5, group_count: 0, rest_count: 0, group_rate: 0, rest_rate: 0, risk_ratio: null, small_count: true },
      { measure: 'Negative behaviour events', group_pupils: 5, rest_pupils: 5, group_count: 10, rest_count: 5, group_rate: 200, rest_rate: 100, risk_ratio: 2, small_count: false },
      { measure: 'Persistent absence', group_pupils: 5, rest_pupils: 5, group_count: 1, rest_count: 0, group_rate: 20, rest_rate: 0, risk_ratio: null, small_count: true },
      { measure: 'Suspensions', group_pupils: 5, rest_pupils: 5, group_count: 3, rest_count: 0, group_rate: 60, rest_rate: 0, risk_ratio: null, small_count: true },
    ]);
  });
});

/*
 * A suspension whose pupil is not on roll that year: P3 (Year 9) left on 18 July 2025; a
 * suspension of P3 is dated 16 September 2025 (a slip in the export). 2025/26: P1 and P2 on roll,
 * P1 suspended once → 1 suspension, 1 × 100 ÷ 2 = 50.00 per 100 pupils, one row for Year 9 and
 * one for all year groups. P3's suspension is in neither (P3 is not in the 2 pupils on roll).
 */
describe('mart_suspensions with a suspension dated when its pupil was not on roll', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const ids = ['P1', 'P2', 'P3'];
    warehouse = await modelledSchool({
      students: ids.map((id) => ({ student_id: id, year_group: 9, gender: 'F', sen: 'N', leaving_date: id === 'P3' ? '2025-07-18' : '' })),
      attendance: [...registers(ids, weekdays('2025-07-14', '2025-07-18')), ...registers(['P1', 'P2'], weekdays('2025-09-08', '2025-09-19'))],
      suspensions: [
        { suspension_id: 'S1', student_id: 'P1', start_date: '2025-09-15', sessions: 4, days: '', type: 'suspension', reason: 'PD' },
        { suspension_id: 'S2', student_id: 'P3', start_date: '2025-09-16', sessions: 2, days: '', type: 'suspension', reason: 'PD' },
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it('counts only suspensions of pupils on roll, one row per year group', async () => {
    const result = await rows(
      warehouse,
      `SELECT academic_year, year_group, pupils_on_roll, suspensions, pupils_suspended, days_lost, suspensions_per_100
       FROM mart_suspensions WHERE academic_year = '2025/26' ORDER BY year_group`,
    );
    const one = { pupils_on_roll: 2, suspensions: 1, pupils_suspended: 1, days_lost: 2, suspensions_per_100: 50 };
    expect(result).toEqual([
      { academic_year: '2025/26', year_group: 0, ...one },
      { academic_year: '2025/26', year_group: 9, ...one },
    ]);
  });
});

/*
 * Ten Year 9 pupils over two school weeks. P1–P5 disadvantaged (FSM), P6–P10 not; P9 and P10 on
 * SEN support (K), the rest no SEN (N).
 *   P1 ill 4 of 20 sessions: persistently absent. P5 dual registered (D) every session: no
 *   possible session, so neither persistently absent nor not.
 *   Persistent absence, disadvantaged: 1 of the 4 pupils with a possible session = 25.00% (not
 *   1 of 5 = 20%); the rest: 0 of 5.
 *   Negative events: P1 5 (No SEN), P9 3 and P10 3 (SEN support). No SEN vs the rest: 5 events
 *   of 8 pupils against 6 events of 2 pupils: the rest is 2 pupils, a small count.
 */
describe('mart_group_gaps: persistent absence of pupils with a possible session, and a small rest', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    const ids = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10'];
    const days = weekdays('2025-09-08', '2025-09-19');
    const neg = (id: string, student: string) => ({ event_id: id, student_id: student, date: '2025-09-09', category: 'Disruption', points: -1 });
    warehouse = await modelledSchool({
      students: ids.map((id, i) => ({ student_id: id, year_group: 9, fsm: i < 5 ? 'Y' : 'N', gender: 'F', sen: i >= 8 ? 'K' : 'N' })),
      attendance: registers(ids, days, { ...mark('P1', ['2025-09-10', '2025-09-11'], 'I'), ...mark('P5', days, 'D') }),
      behaviour: [
        ...['a', 'b', 'c', 'd', 'e'].map((x) => neg(`P1${x}`, 'P1')),
        ...['a', 'b', 'c'].map((x) => neg(`P9${x}`, 'P9')), ...['a', 'b', 'c'].map((x) => neg(`P10${x}`, 'P10')),
      ],
    });
  });
  afterAll(() => warehouse?.close());

  it('takes persistent absence over the pupils with a possible session', async () => {
    const [pa] = await rows(
      warehouse,
      `SELECT group_pupils, group_count, group_rate, rest_count, rest_rate FROM mart_group_gaps
       WHERE dimension = 'Disadvantaged' AND measure = 'Persistent absence'`,
    );
    expect(pa).toEqual({ group_pupils: 5, group_count: 1, group_rate: 25, rest_count: 0, rest_rate: 0 });
  });

  it('flags a rest of fewer than 5 pupils as a small count', async () => {
    const [events] = await rows(
      warehouse,
      `SELECT group_pupils, rest_pupils, group_count, rest_count, rest_rate, small_count FROM mart_group_gaps
       WHERE pupil_group = 'No SEN (N)' AND measure = 'Negative behaviour events'`,
    );
    expect(events).toEqual({ group_pupils: 8, rest_pupils: 2, group_count: 5, rest_count: 6, rest_rate: 300, small_count: true });
  });
});
