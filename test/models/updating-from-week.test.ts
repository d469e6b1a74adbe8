/**
 * A model that reads `updating_from_week` (src/models/run-models.ts, UPDATING_FROM_WEEK) reads
 * less when a weekly refresh keeps only its rows from a week on, and must give those rows exactly
 * as a whole build does. int_watchlist_signals, int_attendance_thresholds_by_pupil_week and
 * int_intervention_matches are run here on hand-made pupil-weeks (and interventions), whole and
 * then as a refresh keeping a later week, and the kept rows compared. The pupils are the cases
 * the cut must get right: one on roll all year, one with a single row inside the weeks the
 * refresh's window reads (the watchlist's 4-row frame reaches rows before the cut), one whose
 * first rows of the year are inside it, and one whose unauthorised sessions 10 weeks back decide
 * the penalty threshold; and interventions before the cut, at it and after it. The demo school's refreshes
 * (test/models/incremental-weeks-around.test.ts) hold these models, mart_pupils_of_concern and
 * int_yeargroup_week to a full build through the runner.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMacros, SQL_DIR } from '../../src/models/model-files.ts';
import { UPDATING_FROM_WEEK } from '../../src/models/run-models.ts';
import { queryRows } from '../../src/warehouse/warehouse.ts';

const modelSql = (name: string) => readFileSync(path.join(SQL_DIR, 'intermediate', `${name}.sql`), 'utf-8');
/** Each model and the column its rows are kept by. */
const MODELS: Array<[string, string]> = [
  ['int_watchlist_signals', 'week_start'],
  ['int_attendance_thresholds_by_pupil_week', 'week_start'],
  ['int_intervention_matches', 'start_week'],
];

/** The Monday of school week `i` (1 = 1 Sep 2025; 30 weeks, no holidays: week_index = week_number). */
const monday = (i: number) => new Date(Date.UTC(2025, 8, 1) + (i - 1) * 7 * 86_400_000).toISOString().slice(0, 10);

interface PupilWeeks {
  student: string;
  /** Weeks on roll, each with its attending sessions of 10, its negative events and its unauthorised sessions (else 10 − attending). */
  weeks: Array<{ week: number; attending: number; negative: number; unauthorised?: number }>;
}

const G_WEEKS = [1, 2, 3, 4, 25, 26];
const PUPILS: PupilWeeks[] = [
  // On roll every week; events now and then, absent more often from week 14.
  { student: 'A', weeks: Array.from({ length: 26 }, (_, i) => ({ week: i + 1, attending: i + 1 >= 14 ? 6 : 10, negative: (i * 7) % 3 })) },
  // Weeks 1–4 attended, then off roll until week 25, absent from then on. At week 25, the year's
  // 5th week and G's only row in the weeks a refresh from week 25 reads: the 4-row frame is weeks
  // 2, 3, 4 and 25, so the year up to 4 rows back is week 1 alone (10 sessions, under 20): not
  // falling, though the year so far (40 of 50 sessions, 80%) is red.
  { student: 'G', weeks: G_WEEKS.map((week) => ({ week, attending: week < 25 ? 10 : 0, negative: week >= 25 ? 2 : 0 })) },
  // Joins in week 20, inside the window a refresh from week 25 reads.
  { student: 'J', weeks: Array.from({ length: 7 }, (_, i) => ({ week: 20 + i, attending: 7, negative: i % 2 })) },
  // Unauthorised sessions: 9 in week 15, 1 in week 24, 9 in week 25, none otherwise. At week 25
  // the last 10 weeks (16–25) have 10, at the penalty threshold, but so had the 10 before it
  // (15–24): the threshold was not reached this week. The week 10 rows back (15) lies before the
  // last 9 weeks a refresh from week 25 would read without it.
  {
    student: 'U',
    weeks: Array.from({ length: 26 }, (_, i) => {
      const unauthorised = i + 1 === 15 || i + 1 === 25 ? 9 : i + 1 === 24 ? 1 : 0;
      return { week: i + 1, attending: 10 - unauthorised, negative: 0, unauthorised };
    }),
  },
];

async function loadInputs(c: DuckDBConnection): Promise<void> {
  for (const macro of readMacros()) await c.run(macro.sql);
  await c.run(`CREATE TABLE int_pupil_week_indexed (school_id VARCHAR, academic_year VARCHAR, week_start DATE, week_index INTEGER, week_number INTEGER,
    term VARCHAR, student_id VARCHAR, year_group INTEGER, form VARCHAR, negative_events INTEGER, serious_events INTEGER, possible_sessions INTEGER,
    attending_sessions INTEGER, unauthorised_sessions INTEGER, late_before_close_sessions INTEGER, late_after_close_sessions INTEGER,
    minutes_late_before_close INTEGER, minutes_late_after_close INTEGER,
    bsc_placements INTEGER, detentions_missed INTEGER, suspensions_started INTEGER, active_interventions INTEGER)`);
  const values = PUPILS.flatMap((p) =>
    p.weeks.map(
      (w) =>
        `('S', '2025/26', DATE '${monday(w.week)}', ${w.week}, ${w.week}, '${w.week <= 15 ? 'Autumn' : 'Spring'}', '${p.student}', 9, '9A', ${w.negative}, 0, 10,
          ${w.attending}, ${w.unauthorised ?? 10 - w.attending}, 0, 0, 0, 0, ${w.week % 9 === 0 ? 1 : 0}, 0, 0, ${w.week % 4 === 0 ? 1 : 0})`,
    ),
  );
  await c.run(`INSERT INTO int_pupil_week_indexed VALUES ${values.join(', ')}`);
  // Interventions (impact windows of 6 school weeks): G's in week 3 is before every refresh's cut
  // but numbers the later ones; A's in week 12 is kept only from week 5; A's in week 20 has U as
  // its one usable classmate, measured up to week 25 as U's own starts in it (inside A's after
  // window).
  await c.run(`CREATE TABLE settings AS SELECT 6 AS impact_window_weeks, 0.5::DOUBLE AS impact_match_caliper, 5.0::DOUBLE AS impact_attendance_caliper`);
  await c.run(`CREATE TABLE int_pupil_roll AS SELECT DISTINCT school_id, student_id, academic_year, year_group FROM int_pupil_week_indexed`);
  await c.run(`CREATE TABLE stg_interventions (school_id VARCHAR, intervention_id VARCHAR, student_id VARCHAR, type VARCHAR, focus VARCHAR,
    status VARCHAR, start_date DATE, end_date DATE)`);
  await c.run(`INSERT INTO stg_interventions VALUES ('S', 'I1', 'G', 'Mentoring', 'behaviour', 'completed', DATE '${monday(3)}' + 1, DATE '${monday(4)}'),
    ('S', 'I2', 'A', 'Mentoring', 'behaviour', 'completed', DATE '${monday(12)}' + 2, DATE '${monday(16)}'),
    ('S', 'I3', 'A', 'Mentoring', 'behaviour', 'active', DATE '${monday(20)}', NULL),
    ('S', 'I4', 'U', 'Attendance panel', 'attendance', 'active', DATE '${monday(25)}' + 1, NULL)`);
  await c.run(`CREATE TABLE int_bsc_placements AS SELECT 'S' AS school_id, 'A' AS student_id, DATE '${monday(23)}' + 1 AS date, true AS is_repeat`);
  await c.run(`CREATE TABLE ${UPDATING_FROM_WEEK} (school_id VARCHAR NOT NULL, academic_year VARCHAR NOT NULL, from_week DATE NOT NULL)`);
}

describe('models reading updating_from_week', () => {
  let instance: DuckDBInstance;
  let c: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    c = await instance.connect();
    await loadInputs(c);
  });
  afterAll(() => {
    c?.closeSync();
    instance?.closeSync();
  });

  const keptRows = (model: string, from: number, keptBy = 'week_start') =>
    queryRows<Record<string, unknown>>(c, `SELECT * FROM (${modelSql(model)}) AS m WHERE ${keptBy} >= DATE '${monday(from)}' ORDER BY ALL`);
  const refreshFrom = async (from: number | null) => {
    await c.run(`DELETE FROM ${UPDATING_FROM_WEEK}`);
    if (from !== null) await c.run(`INSERT INTO ${UPDATING_FROM_WEEK} VALUES ('S', '2025/26', DATE '${monday(from)}')`);
  };

  for (const [model, keptBy] of MODELS) {
    for (const from of [25, 20, 5]) {
      it(`${model}: a refresh keeping the weeks from week ${from} gives those rows as the whole build does`, async () => {
        await refreshFrom(null);
        const whole = await keptRows(model, from, keptBy);
        await refreshFrom(from);
        const refreshed = await keptRows(model, from, keptBy);
        expect(whole.length).toBeGreaterThan(0);
        expect(refreshed).toEqual(whole);
      });
    }
  }

  it("U's week 25 in a refresh from it, worked out by hand: 10 unauthorised sessions in the last 10 weeks, as in the 10 before, so the threshold is not newly reached", async () => {
    await refreshFrom(25);
    const [u] = (await keptRows('int_attendance_thresholds_by_pupil_week', 25)).filter((r) => r.student_id === 'U' && (r.week_start as Date).toISOString().slice(0, 10) === monday(25));
    expect({ last_10: u.unauthorised_last_10_weeks, reached: u.reached_penalty_threshold, to_date: u.possible_sessions_to_date }).toEqual({
      last_10: 10,
      reached: false,
      to_date: 250,
    });
  });

  it("G's week 25, worked out by hand: the year so far 40 of 50 sessions, not falling (the year up to 4 rows back has 10 sessions)", async () => {
    await refreshFrom(25);
    const [g] = (await keptRows('int_watchlist_signals', 25)).filter((r) => r.student_id === 'G' && r.week_index === 25);
    expect({ ytd: g.ytd_attendance_pct, falling: g.attendance_falling, at_risk: g.attendance_at_risk, per_week: g.negative_per_week_this_year }).toEqual({
      ytd: 80,
      falling: false,
      at_risk: true,
      per_week: 0.4,
    });
  });

  it("A's intervention from week 20 in a refresh from it, worked out by hand: 6 baseline weeks (14–19) of 6 negative events, U its classmate measured to week 25", async () => {
    await refreshFrom(20);
    const rows = (await keptRows('int_intervention_matches', 20, 'start_week')).filter((r) => r.intervention_id === 'I3');
    const a = rows.find((r) => r.nearness === 0n) as Record<string, unknown>;
    // A's negative events in week k are (7(k − 1)) mod 3: weeks 14–19 give 1, 2, 0, 1, 2, 0, and
    // weeks 21–26 give 2, 0, 1, 2, 0, 1; attending 6 of 10 sessions from week 14 on. Week 14 is
    // the first week a refresh from week 20 reads.
    expect({ key: a.intervention_key, weeks: a.baseline_weeks, before: a.baseline_negative_per_week, after: a.after_negative_per_week, pct: a.baseline_attendance_pct }).toEqual({
      key: 3,
      weeks: 6n,
      before: 1,
      after: 1,
      pct: 60,
    });
    // U: no negative events; after weeks 21–25 only (U's own intervention starts on the Tuesday of
    // week 25: measured up to the last school week that starts before it). G and J have too few
    // baseline weeks; U is outside the caliper (a gap of 1 event a week on both run and level).
    const u = rows.filter((r) => r.nearness !== 0n).map((r) => ({ who: r.measured_id, after: r.after_weeks, within: r.within_caliper, y: r.y }));
    expect(u).toEqual([{ who: 'U', after: 5n, within: false, y: 0 }]);
  });
});
