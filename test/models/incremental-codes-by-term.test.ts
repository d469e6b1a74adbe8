import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { runModels, type ModelRunReport } from '../../src/models/run-models.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { differencesFromFullBuild } from '../helpers/full-build.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';
import { mark, registers, weekdays, writeSchool, type SchoolFiles } from '../helpers/school-builder.ts';

/*
 * int_attendance_codes_by_term (the register codes per term, year group and code) is updated from
 * the first changed week by its term's last possible day (term_last_day): a weekly refresh
 * recounts the terms that may hold that week's marks, and mart_attendance_codes adds them up.
 * The school's calendar runs the Autumn term into January (to Fri 9 Jan 2026), past the default
 * pattern's 31 December: a week of January marks then belongs to Autumn, so Autumn's rows must be
 * recounted (with a bound of 31 December they would be left without that week).
 * School days: 1 – 5 Sep 2025 (Autumn), 5 – 9 Jan 2026 (Autumn, by the calendar), 12 – 16 Jan
 * (Spring). Pupils A (Year 7) and B (Year 8), present unless: A 'I' on 7 Jan (both sessions),
 * B 'O' on the morning of 14 Jan.
 *   R0: marks to 5 Sep. R1: to 9 Jan (a week of Autumn). R2: to 16 Jan (a week of Spring).
 */
const days = [...weekdays('2025-09-01', '2025-09-05'), ...weekdays('2026-01-05', '2026-01-16')];
const LAST = { R0: '2025-09-05', R1: '2026-01-09', R2: '2026-01-16' } as const;
type Stage = keyof typeof LAST;

function exportsAt(stage: Stage): SchoolFiles {
  return {
    students: [
      { student_id: 'A', first_name: 'A', last_name: 'Pupil', year_group: 7 },
      { student_id: 'B', first_name: 'B', last_name: 'Pupil', year_group: 8 },
    ],
    calendar: [
      { academic_year: '2025/26', term: 'Autumn', half_term: 1, start_date: '2025-09-01', end_date: '2025-10-24' },
      { academic_year: '2025/26', term: 'Autumn', half_term: 2, start_date: '2025-11-03', end_date: '2026-01-09' },
      { academic_year: '2025/26', term: 'Spring', half_term: 3, start_date: '2026-01-12', end_date: '2026-02-13' },
    ],
    attendance: registers(['A', 'B'], days.filter((d) => d <= LAST[stage]), { ...mark('A', ['2026-01-07'], 'I'), ...mark('B', ['2026-01-14'], 'O', ['AM']) }),
  };
}

async function imported(warehouse: Warehouse, stage: Stage): Promise<void> {
  const report = await ingest(warehouse.connection, [writeSchool(exportsAt(stage))], { allowRemovals: true });
  expect(report.files.flatMap((f) => f.rejects)).toEqual([]);
  expect(report.stopped).toEqual([]);
}

describe('the register codes per term, refreshed week by week', () => {
  let warehouse: Warehouse;
  const runs: Partial<Record<Stage, ModelRunReport>> = {};
  const differences: Partial<Record<Stage, string[]>> = {};
  const counts: Partial<Record<Stage, Record<string, unknown>[]>> = {};
  beforeAll(async () => {
    warehouse = await openTempWarehouse();
    for (const stage of ['R0', 'R1', 'R2'] as const) {
      await imported(warehouse, stage);
      runs[stage] = await runModels(warehouse.connection);
      expect(runs[stage]?.failures).toEqual([]);
      differences[stage] = await differencesFromFullBuild(warehouse, (reference) => imported(reference, stage));
      counts[stage] = await queryRows(
        warehouse.connection,
        `SELECT term, year_group, code, sessions FROM mart_attendance_codes WHERE term <> 'All' AND year_group <> 0 ORDER BY ALL`,
      );
    }
  }, 300_000);
  afterAll(() => warehouse?.close());

  it('equals a full build after every refresh, row for row', () => {
    expect(differences).toEqual({ R0: [], R1: [], R2: [] });
  });

  it('recounts from the changed week by the term, and adds up the terms for the year', () => {
    for (const stage of ['R1', 'R2'] as const) {
      const run = runs[stage] as ModelRunReport;
      expect(run.fullReason).toBeNull();
      expect(run.updatedByWeek).toContain('int_attendance_codes_by_term');
      expect(run.modes.mart_attendance_codes).toBe('partitions');
    }
  });

  it('counts the January week of the Autumn term (by the calendar) with Autumn, and the next week with Spring', () => {
    // R1: Autumn = 10 days. A: 9 '/', 9 '\', 2 'I'; B: 10 and 10.
    const autumn = [
      { term: 'Autumn', year_group: 7, code: '/', sessions: 9 },
      { term: 'Autumn', year_group: 7, code: 'I', sessions: 2 },
      { term: 'Autumn', year_group: 7, code: '\\', sessions: 9 },
      { term: 'Autumn', year_group: 8, code: '/', sessions: 10 },
      { term: 'Autumn', year_group: 8, code: '\\', sessions: 10 },
    ];
    expect(counts.R0).toEqual([
      { term: 'Autumn', year_group: 7, code: '/', sessions: 5 },
      { term: 'Autumn', year_group: 7, code: '\\', sessions: 5 },
      { term: 'Autumn', year_group: 8, code: '/', sessions: 5 },
      { term: 'Autumn', year_group: 8, code: '\\', sessions: 5 },
    ]);
    expect(counts.R1).toEqual(autumn);
    // R2: Spring = 5 days. A: 5 and 5; B: 4 '/', 1 'O', 5 '\'. Autumn as it was.
    expect(counts.R2).toEqual([
      ...autumn,
      { term: 'Spring', year_group: 7, code: '/', sessions: 5 },
      { term: 'Spring', year_group: 7, code: '\\', sessions: 5 },
      { term: 'Spring', year_group: 8, code: '/', sessions: 4 },
      { term: 'Spring', year_group: 8, code: 'O', sessions: 1 },
      { term: 'Spring', year_group: 8, code: '\\', sessions: 5 },
    ]);
  });
});
