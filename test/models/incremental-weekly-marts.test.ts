import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { SQL_DIR } from '../../src/models/model-files.ts';
import { runModels, type ModelRunReport } from '../../src/models/run-models.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { differencesFromFullBuild } from '../helpers/full-build.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';
import { mark, registers, weekdays, writeSchool, type SchoolFiles } from '../helpers/school-builder.ts';

/*
 * The models a weekly refresh used to rebuild whole (the termly counts and report, the statement
 * incidents and their two marts, the attendance week, the BSC weekly chart) refreshed week by week
 * and compared with a full build of the same exports after each refresh, row for row.
 *
 * School days (marks): 30 Jun – 18 Jul 2025 (2024/25, Summer), 1 – 12 Sep 2025 (2025/26,
 * Autumn) and 5 – 9 Jan 2026 (Spring). Repeat window 20 school days (the default).
 * The refreshes, each adding the exports up to a date:
 *   R1 to 18 Jul: a week of the latest year. A suspension from Mon 14 Jul makes B's Fri 11 Jul
 *      event (last week) an incident; A's placement of 15 Jul makes A's of 2 Jul "referred again".
 *   R2 to 5 Sep: a new academic year (every year of the school rebuilt). C placed on 1 Sep, 2
 *      school days after 17 Jul: last year's placement is referred again; C suspended from 1 Sep,
 *      so C's Fri 18 Jul event (last year) led to it.
 *   R3 to 12 Sep: a week of the latest year that changes last year's rows: A placed on 8 Sep
 *      (a repeat of 15 Jul), B placed on 9 Sep naming B's 16 Jul event. And a correction (B's
 *      2 Sep event: severity 2 → 5, statement taken) and two deletions (B's 3 Sep placement, C's
 *      4 Sep event) of earlier rows of the year.
 *   R4 to 9 Jan: a week that starts a new term (Spring) in the same year.
 *   R5, same dates: a correction (A's 1 Jul statement time) and a deletion (A's 15 Jul placement,
 *      inside the file's dates, so the import removes it) of last year's rows.
 */
const days = [...weekdays('2025-06-30', '2025-07-18'), ...weekdays('2025-09-01', '2025-09-12'), ...weekdays('2026-01-05', '2026-01-09')];
const pupils = ['A', 'B', 'C', 'D'];

type Stage = 'R0' | 'R1' | 'R2' | 'R3' | 'R4' | 'R5';
const LAST: Record<Stage, string> = { R0: '2025-07-11', R1: '2025-07-18', R2: '2025-09-05', R3: '2025-09-12', R4: '2026-01-09', R5: '2026-01-09' };
const after = (stage: Stage, from: Stage) => Number(stage.slice(1)) >= Number(from.slice(1));

const event = (event_id: string, student_id: string, date: string, severity: number, statement_taken_at = '', action = '') => ({
  event_id, student_id, date, time: '10:00', category: 'Defiance', points: -severity, severity, statement_taken_at, action,
});
const placement = (referral_id: string, student_id: string, date: string, event_id = '', statement_taken = '') => ({
  referral_id, student_id, date, event_id, statement_taken, reason: 'Disruption', booklet: 'completed', conduct: 'good', outcome: 'completed', parent_contacted: 'N',
});
const suspension = (suspension_id: string, student_id: string, start_date: string) => ({ suspension_id, student_id, start_date, days: 1, type: 'suspension', reason: 'PA' });

function exportsAt(stage: Stage): SchoolFiles {
  const upTo = <T extends Record<string, unknown>>(rows: T[], column: string) => rows.filter((r) => (r[column] as string) <= LAST[stage]);
  const behaviour = [
    event('E1', 'A', '2025-07-01', 4, after(stage, 'R5') ? '2025-07-02 09:00' : '2025-07-01 11:00'),
    event('E2', 'B', '2025-07-11', 2),
    event('E4', 'B', '2025-07-16', 5),
    event('E3', 'C', '2025-07-18', 3),
    after(stage, 'R3') ? event('E5', 'B', '2025-09-02', 5, '2025-09-10 09:00') : event('E5', 'B', '2025-09-02', 2),
    ...(after(stage, 'R3') ? [] : [event('E6', 'C', '2025-09-04', 4)]),
    event('E7', 'A', '2025-09-10', 4, '2025-09-11 09:00', 'Suspension'),
    event('E8', 'B', '2026-01-06', 5),
  ];
  const bsc = [
    placement('P1', 'A', '2025-07-02'),
    ...(after(stage, 'R5') ? [] : [placement('P2', 'A', '2025-07-15')]),
    placement('P3', 'C', '2025-07-17'),
    placement('P4', 'C', '2025-09-01'),
    ...(after(stage, 'R3') ? [] : [placement('P5', 'B', '2025-09-03')]),
    placement('P8', 'A', '2025-09-08'),
    placement('P9', 'B', '2025-09-09', 'E4', 'N'),
    placement('P7', 'D', '2026-01-07'),
  ];
  return {
    students: pupils.map((student_id, i) => ({ student_id, first_name: student_id, last_name: 'Pupil', year_group: 7 + i })),
    attendance: registers(pupils, days.filter((d) => d <= LAST[stage]), { ...mark('A', ['2025-07-10', '2025-09-09', '2026-01-06'], 'I'), ...mark('C', ['2025-07-17', '2025-09-02'], 'O') }),
    behaviour: upTo(behaviour, 'date'),
    bsc: upTo(bsc, 'date'),
    suspensions: upTo([suspension('S1', 'B', '2025-07-14'), suspension('S2', 'C', '2025-09-01'), suspension('S3', 'A', '2026-01-05')], 'start_date'),
  };
}

async function imported(warehouse: Warehouse, stage: Stage): Promise<void> {
  const report = await ingest(warehouse.connection, [writeSchool(exportsAt(stage))], { allowRemovals: true });
  expect(report.files.flatMap((f) => f.rejects)).toEqual([]);
  expect(report.stopped).toEqual([]);
}

const CHANGED = ['int_bsc_referred_again', 'int_statement_incidents', 'mart_termly_counts', 'mart_termly_report', 'mart_statements_on_time', 'mart_statements_waiting', 'mart_attendance_week', 'mart_bsc_weekly'];
const modesOf = (report: ModelRunReport) => Object.fromEntries(CHANGED.map((m) => [m, report.updatedByWeek.includes(m) ? 'weeks' : report.modes[m]]));

describe('the termly, statement, attendance-week and BSC-weekly models, refreshed week by week', () => {
  let warehouse: Warehouse;
  const runs: Partial<Record<Stage, ModelRunReport>> = {};
  const differences: Partial<Record<Stage, string[]>> = {};
  const rowsAt: Partial<Record<Stage, Record<string, unknown>[]>> = {};
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    for (const stage of ['R0', 'R1', 'R2', 'R3', 'R4', 'R5'] as const) {
      await imported(warehouse, stage);
      runs[stage] = await runModels(warehouse.connection);
      differences[stage] = await differencesFromFullBuild(warehouse, (reference) => imported(reference, stage));
      rowsAt[stage] = await queryRows(
        warehouse.connection,
        `SELECT 'referred again' AS what, referral_id AS id, referred_again_within_window::VARCHAR AS value FROM int_bsc_referred_again
         UNION ALL SELECT 'incident', event_id, why_statement FROM int_statement_incidents ORDER BY ALL`,
      );
    }
  }, 600_000);
  afterAll(() => warehouse?.close());

  it('equals a full build after every refresh, row for row', () => {
    expect(differences).toEqual({ R0: [], R1: [], R2: [], R3: [], R4: [], R5: [] });
  });

  it('updates a week of the latest year from that week on, or by (school, year), not whole', () => {
    const weekly = {
      int_bsc_referred_again: 'partitions',
      int_statement_incidents: 'partitions',
      mart_termly_counts: 'partitions',
      mart_termly_report: 'partitions',
      mart_statements_on_time: 'weeks',
      mart_statements_waiting: 'weeks',
      mart_attendance_week: 'weeks',
      mart_bsc_weekly: 'weeks',
    };
    expect(runs.R1?.touched).toEqual({ school: ['2024/25'] });
    expect(modesOf(runs.R1 as ModelRunReport)).toEqual(weekly);
    // A new term in the same year: the same.
    expect(runs.R4?.touched).toEqual({ school: ['2025/26'] });
    expect(modesOf(runs.R4 as ModelRunReport)).toEqual(weekly);
  });

  it("sees last year's rows change when the week looks back across the summer, and then rebuilds their readers whole", () => {
    // R2: C's July placement is referred again in September, and C's July event led to a suspension.
    expect(rowsAt.R1).toContainEqual({ what: 'referred again', id: 'P3', value: 'false' });
    expect(rowsAt.R2).toContainEqual({ what: 'referred again', id: 'P3', value: 'true' });
    expect(rowsAt.R1).not.toContainEqual(expect.objectContaining({ what: 'incident', id: 'E3' }));
    expect(rowsAt.R2).toContainEqual({ what: 'incident', id: 'E3', value: 'suspension' });
    // R1: B's Friday event before Monday's suspension, and A's first placement referred again.
    expect(rowsAt.R0).not.toContainEqual(expect.objectContaining({ what: 'incident', id: 'E2' }));
    expect(rowsAt.R1).toContainEqual({ what: 'incident', id: 'E2', value: 'suspension' });
    expect(rowsAt.R1).toContainEqual({ what: 'referred again', id: 'P1', value: 'true' });
    // R3 touches 2025/26 alone, but A's 15 Jul placement is referred again and B's 16 Jul event
    // led to a placement: the compared models differ in 2024/25, so what reads them is rebuilt whole.
    expect(runs.R3?.touched).toEqual({ school: ['2025/26'] });
    expect(rowsAt.R3).toContainEqual({ what: 'referred again', id: 'P2', value: 'true' });
    expect(rowsAt.R3).toContainEqual({ what: 'incident', id: 'E4', value: 'serious (severity 5), BSC placement' });
    expect(modesOf(runs.R3 as ModelRunReport)).toMatchObject({ mart_termly_counts: 'full', mart_termly_report: 'full', mart_statements_on_time: 'full', mart_statements_waiting: 'full' });
  });

  it('follows corrections and deletions of earlier rows', () => {
    // R3: the corrected 2 Sep event is serious now; the deleted 4 Sep event and 3 Sep placement are gone.
    expect(rowsAt.R2).toContainEqual({ what: 'incident', id: 'E6', value: 'serious (severity 4)' });
    expect(rowsAt.R3).toContainEqual({ what: 'incident', id: 'E5', value: 'serious (severity 5)' });
    expect(rowsAt.R3).not.toContainEqual(expect.objectContaining({ id: 'E6' }));
    expect(rowsAt.R3).not.toContainEqual(expect.objectContaining({ id: 'P5' }));
    // R5: last year's rows corrected and deleted touch every year of the school.
    expect(runs.R5?.touched).toEqual({ school: ['2024/25', '2025/26'] });
    expect(rowsAt.R4).toContainEqual(expect.objectContaining({ id: 'P2' }));
    expect(rowsAt.R5).not.toContainEqual(expect.objectContaining({ id: 'P2' }));
  });
});

/*
 * mart_statements_waiting's "10 weeks back of int_statement_incidents": a day's list holds the
 * incidents of its last 10 school days, and an incident dated on a weekend takes the next school
 * day's number. With marks on Mondays only (every school week one school day), B's Saturday
 * 13 Sep event (school week 1 by its date) is school day 2 and still on the list of Monday
 * 17 Nov (school day 11), 10 school weeks after the week of its date. A refresh adding that
 * Monday updates the lists from it on: read 10 school weeks back, the list equals a full
 * build's; read 9 (a copy of sql/ with the clause shortened), it loses the incident.
 */
describe("the statements waiting list's reach back", () => {
  const mondays = weekdays('2025-09-08', '2025-11-17').filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1);
  const files = (last: string): SchoolFiles => ({
    students: [{ student_id: 'B', first_name: 'B', last_name: 'Pupil', year_group: 9 }],
    attendance: registers(['B'], mondays.filter((d) => d <= last)),
    behaviour: [event('E1', 'B', '2025-09-13', 5)],
  });
  const shortened = (): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-sql-'));
    cpSync(SQL_DIR, dir, { recursive: true });
    const file = path.join(dir, 'marts', 'mart_statements_waiting.sql');
    writeFileSync(file, readFileSync(file, 'utf-8').replace('10 weeks back of int_statement_incidents', '9 weeks back of int_statement_incidents'));
    return dir;
  };

  /** The 17 Nov list after a refresh that adds that Monday, and whether the waiting lists equal a full build's. */
  async function refreshed(sql: string): Promise<{ list: unknown[]; byWeek: boolean; same: boolean }> {
    const warehouse = await openTempWarehouse();
    const reference = await openTempWarehouse();
    try {
      await ingest(warehouse.connection, [writeSchool(files('2025-11-10'))]);
      await runModels(warehouse.connection, { sqlDir: sql });
      await ingest(warehouse.connection, [writeSchool(files('2025-11-17'))]);
      const run = await runModels(warehouse.connection, { sqlDir: sql });
      await ingest(reference.connection, [writeSchool(files('2025-11-17'))]);
      await runModels(reference.connection, { sqlDir: sql, full: true });
      const same = await compareWarehouses(warehouse.connection, reference.path, { names: ['mart_statements_waiting'] });
      const list = await queryRows(warehouse.connection, "SELECT event_id, school_days_waiting FROM mart_statements_waiting WHERE list_date = DATE '2025-11-17'");
      return { list, byWeek: run.updatedByWeek.includes('mart_statements_waiting'), same: same.differences.length === 0 };
    } finally {
      warehouse.close();
      reference.close();
    }
  }

  it('keeps an incident dated 10 school weeks before the list, as a full build does', async () => {
    expect(await refreshed(SQL_DIR)).toEqual({ list: [{ event_id: 'E1', school_days_waiting: 9 }], byWeek: true, same: true });
  }, 300_000);

  it('loses it when the clause reads one school week less', async () => {
    expect(await refreshed(shortened())).toEqual({ list: [], byWeek: true, same: false });
  }, 300_000);
});
