/**
 * A model that reads `updating_from_week` (src/models/run-models.ts, UPDATING_FROM_WEEK) reads
 * less when a weekly refresh keeps only its rows from a week on, and must give those rows exactly
 * as a whole build does. int_watchlist_signals is run here on hand-made pupil-weeks, whole and
 * then as a refresh keeping a late week, and the kept rows compared. The pupils are the cases its
 * cut must get right: one on roll all year, one with a single row inside the weeks the refresh's
 * window reads (its 4-row frame reaches rows before the cut), and one whose first rows of the
 * year are inside it. The demo school's refreshes (test/models/incremental-weeks-around.test.ts)
 * hold the same model to a full build through the runner.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMacros, SQL_DIR } from '../../src/models/model-files.ts';
import { UPDATING_FROM_WEEK } from '../../src/models/run-models.ts';
import { queryRows } from '../../src/warehouse/warehouse.ts';

const MODEL = readFileSync(path.join(SQL_DIR, 'intermediate', 'int_watchlist_signals.sql'), 'utf-8');

/** The Monday of school week `i` (1 = 1 Sep 2025; 30 weeks, no holidays: week_index = week_number). */
const monday = (i: number) => new Date(Date.UTC(2025, 8, 1) + (i - 1) * 7 * 86_400_000).toISOString().slice(0, 10);

interface PupilWeeks {
  student: string;
  /** Weeks on roll, each with its attending sessions of 10 and its negative events. */
  weeks: Array<{ week: number; attending: number; negative: number }>;
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
];

async function loadInputs(c: DuckDBConnection): Promise<void> {
  for (const macro of readMacros()) await c.run(macro.sql);
  await c.run(`CREATE TABLE int_pupil_week_indexed (school_id VARCHAR, academic_year VARCHAR, week_start DATE, week_index INTEGER, week_number INTEGER,
    student_id VARCHAR, year_group INTEGER, negative_events INTEGER, serious_events INTEGER, possible_sessions INTEGER, attending_sessions INTEGER,
    bsc_placements INTEGER, detentions_missed INTEGER, suspensions_started INTEGER, active_interventions INTEGER)`);
  const values = PUPILS.flatMap((p) =>
    p.weeks.map(
      (w) => `('S', '2025/26', DATE '${monday(w.week)}', ${w.week}, ${w.week}, '${p.student}', 9, ${w.negative}, 0, 10, ${w.attending}, ${w.week % 9 === 0 ? 1 : 0}, 0, 0, ${w.week % 4 === 0 ? 1 : 0})`,
    ),
  );
  await c.run(`INSERT INTO int_pupil_week_indexed VALUES ${values.join(', ')}`);
  await c.run(`CREATE TABLE int_bsc_placements AS SELECT 'S' AS school_id, 'A' AS student_id, DATE '${monday(23)}' + 1 AS date, true AS is_repeat`);
  await c.run(`CREATE TABLE ${UPDATING_FROM_WEEK} (school_id VARCHAR NOT NULL, academic_year VARCHAR NOT NULL, from_week DATE NOT NULL)`);
}

describe('int_watchlist_signals reading updating_from_week', () => {
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

  const keptRows = (from: number) =>
    queryRows<Record<string, unknown>>(c, `SELECT * FROM (${MODEL}) AS m WHERE week_start >= DATE '${monday(from)}' ORDER BY student_id, week_index`);

  for (const from of [25, 20, 5]) {
    it(`a refresh keeping the weeks from week ${from} gives those rows as the whole build does`, async () => {
      await c.run(`DELETE FROM ${UPDATING_FROM_WEEK}`);
      const whole = await keptRows(from);
      await c.run(`INSERT INTO ${UPDATING_FROM_WEEK} VALUES ('S', '2025/26', DATE '${monday(from)}')`);
      const refreshed = await keptRows(from);
      expect(whole.length).toBeGreaterThan(0);
      expect(refreshed).toEqual(whole);
    });
  }

  it("G's week 25, worked out by hand: the year so far 40 of 50 sessions, not falling (the year up to 4 rows back has 10 sessions)", async () => {
    await c.run(`DELETE FROM ${UPDATING_FROM_WEEK}`);
    await c.run(`INSERT INTO ${UPDATING_FROM_WEEK} VALUES ('S', '2025/26', DATE '${monday(25)}')`);
    const [g] = (await keptRows(25)).filter((r) => r.student_id === 'G' && r.week_index === 25);
    expect({ ytd: g.ytd_attendance_pct, falling: g.attendance_falling, at_risk: g.attendance_at_risk, per_week: g.negative_per_week_this_year }).toEqual({
      ytd: 80,
      falling: false,
      at_risk: true,
      per_week: 0.4,
    });
  });
});
