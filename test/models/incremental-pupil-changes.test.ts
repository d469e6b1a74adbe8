/**
 * Changes to the pupils in a weekly refresh (docs/performance.md, "Session 47" and "Session 48").
 * - A pupil who joins during the year: `int_pupil_years` is compared by `changes_from`, the earlier
 *   of the pupil's first day on roll that year and their earliest record dated in it, so a weekly
 *   refresh hands its readers the change from that week on, not the whole year. Every model then
 *   equals a full build, also when the new pupil-year has records from before the pupil's
 *   admission (an admission date corrected into the year), which the models join to the
 *   pupil-year by year alone: on a copy of sql/ that leaves those records out of `changes_from`,
 *   the refreshed models differ from a full build.
 * - A change to the pupils file (a row added, a leaving date set, a SEN status recorded) is read
 *   only through compared models (raw.students is `gated`), so the school's other changes stay by
 *   week. A leaving date is compared by its own week (`int_pupil_roll`); a pupil's details (SEN,
 *   disadvantage) are in `int_pupil_years` alone, not in `int_pupil_roll` (the pupil-week models)
 *   or `int_pupil_names` (the staff lists), so they leave those alone; a change to an older
 *   year's rows hands every year on whole. Each equals a full build; on a copy of sql/
 *   whose weeks on roll depend on the leaving date before its week, the refresh differs.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { copyExportsBefore, lastWeekStart } from '../../src/demo/week-split.ts';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { readModels, SQL_DIR } from '../../src/models/model-files.ts';
import { runModels } from '../../src/models/run-models.ts';
import { ROW_CHANGES_SCHEMA } from '../../src/warehouse/row-changes-log.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { edit, readCsv, type CsvRow as Row } from '../helpers/export-csv.ts';
import { sqlWith } from '../helpers/sql-dir.ts';

const YEAR = '2025/26';
const YEAR_START = '2025-09-01';

let root: string;
let generated: string;
let last: string;

/** An ISO date `days` after `iso`. */
function plusDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-joiners-'));
  // A trust folder of one school, DEMO, two years.
  generated = path.join(root, 'generated');
  await generateDemo({ outDir: path.join(generated, 'DEMO'), pupils: 100, years: 2, schools: 1, seed: 7, workers: 1 });
  last = lastWeekStart(generated);
}, 300_000);

/** A copy of the generated exports, changed by `change` (given the school's folder). */
function exportsWith(name: string, change: (school: string) => void): string {
  const dir = path.join(root, name);
  cpSync(generated, dir, { recursive: true });
  change(path.join(dir, 'DEMO'));
  return dir;
}

/**
 * Builds `exports` as they stood before their last week (`asBefore` changes that copy further,
 * given its school's folder), refreshes with the whole of them, and compares every model with a
 * full build; with where the refresh changed each model of the school's latest year.
 */
async function refreshAgainstFull(exports: string, sql: string = SQL_DIR, asBefore?: (school: string) => void) {
  const tag = `${path.basename(exports)}-${path.basename(sql)}`;
  const before = path.join(root, `before-${tag}`);
  copyExportsBefore(exports, before, last);
  asBefore?.(path.join(before, 'DEMO'));
  const db = path.join(root, `refresh-${tag}.duckdb`);
  await withWarehouse(db, async (c) => {
    await ingest(c, [before]);
    await runModels(c, { sqlDir: sql });
  });
  const { report, fromWeeks, years } = await withWarehouse(db, async (c) => {
    await ingest(c, [exports], { allowRemovals: true });
    const report = await runModels(c, { sqlDir: sql });
    // Which years of the school this run changed, per model.
    const changed = await queryRows<{ model: string; years: string[] }>(
      c,
      `SELECT model, list_sort(list_distinct(list(academic_year))) AS years FROM ${ROW_CHANGES_SCHEMA}.row_changes
       WHERE seq = (SELECT max(seq) FROM ${ROW_CHANGES_SCHEMA}.runs) AND school_id = 'DEMO' GROUP BY model`,
    );
    // Where this run changed each model of the school's latest year: null is the whole year.
    const rows = await queryRows<{ model: string; from_week: string | null }>(
      c,
      `SELECT model, strftime(from_week, '%Y-%m-%d') AS from_week FROM ${ROW_CHANGES_SCHEMA}.row_changes
       WHERE seq = (SELECT max(seq) FROM ${ROW_CHANGES_SCHEMA}.runs) AND school_id = 'DEMO' AND academic_year = '${YEAR}'`,
    );
    return { report, fromWeeks: new Map(rows.map((r) => [r.model, r.from_week])), years: new Map(changed.map((r) => [r.model, r.years])) };
  });
  const reference = path.join(root, `full-${tag}.duckdb`);
  await withWarehouse(reference, async (c) => {
    await ingest(c, [exports]);
    await runModels(c, { full: true, sqlDir: sql });
  });
  const names = readModels(sql).map((m) => m.name);
  const same = await withWarehouse(db, (c) => compareWarehouses(c, reference, { names }));
  expect(same.compared).toHaveLength(names.length);
  return { report, fromWeeks, years, differences: same.differences.map((d) => d.name) };
}

describe('a pupil who joins during the year (int_pupil_years compared by changes_from)', () => {
  it("hands its readers the change from the pupil's first week, not the whole year, and equals a full build", async () => {
    // A new pupil admitted on the Tuesday of the last week, with that week's marks: a copy of a
    // pupil on roll, under a new id.
    const admitted = plusDays(last, 1);
    const exports = exportsWith('joiner', (school) => {
      let template: Row | undefined;
      edit(path.join(school, 'students.csv'), (rows) => {
        template = rows.find((r) => !r.leaving_date && r.year_group === '8');
        return [...rows, { ...(template as Row), student_id: 'JOINER1', upn: '', admission_date: admitted, leaving_date: '' }];
      });
      expect(template).toBeDefined();
      edit(path.join(school, 'attendance.csv'), (rows) => [
        ...rows,
        ...rows.filter((r) => r.student_id === template?.student_id && r.date.slice(0, 10) >= admitted).map((r) => ({ ...r, student_id: 'JOINER1' })),
      ]);
    });
    const { report, fromWeeks, differences } = await refreshAgainstFull(exports);
    expect(report.fullReason).toBeNull();
    expect(differences).toEqual([]);
    // The new pupil-year's week, and the pupil-week models updated from it.
    expect(fromWeeks.get('int_pupil_years')).toBe(last);
    for (const model of ['int_pupil_week_indexed', 'int_watchlist_signals', 'int_attendance_thresholds_by_pupil_week', 'mart_yeargroup_week']) {
      expect(fromWeeks.get(model), model).toBe(last);
    }

    // Compared without a week (as before session 47): the same models, but the whole year.
    const whole = await refreshAgainstFull(
      exports,
      sqlWith('intermediate/int_pupil_roll.sql', 'incremental weeks: compared by changes_from; left_in_year by its own week', 'incremental weeks: compared'),
    );
    expect(whole.differences).toEqual([]);
    expect(whole.fromWeeks.get('int_pupil_roll')).toBeNull();
    expect(whole.fromWeeks.get('int_pupil_week_indexed')).toBeNull();
  }, 600_000);

  it('a pupil-year that appears with records dated before the admission counts from the earliest of them, and equals a full build', async () => {
    // A pupil on roll all year whose admission date is corrected to the Monday of the last week:
    // their pupil-year of this year appears only now (it did not reach the year's school days
    // before), while their behaviour events of the autumn were imported weeks ago. Their marks
    // before the new admission are removed, so the events alone are earlier than it.
    const admitted = last;
    let pupil: string | undefined;
    let firstEvent: string | undefined;
    const exports = exportsWith('corrected', (school) => {
      const events = readCsv(path.join(school, 'behaviour.csv')).rows.filter((r) => r.date.slice(0, 10) >= YEAR_START && r.date.slice(0, 10) < last);
      edit(path.join(school, 'students.csv'), (rows) => {
        const chosen = rows.find((r) => !r.leaving_date && r.admission_date < YEAR_START && ['8', '9', '10'].includes(r.year_group) && events.some((e) => e.student_id === r.student_id));
        pupil = chosen?.student_id;
        return rows.map((r) => (r === chosen ? { ...r, admission_date: admitted } : r));
      });
      expect(pupil).toBeDefined();
      firstEvent = events.filter((e) => e.student_id === pupil).map((e) => e.date.slice(0, 10)).sort()[0];
      edit(path.join(school, 'attendance.csv'), (rows) => rows.filter((r) => !(r.student_id === pupil && r.date.slice(0, 10) >= YEAR_START && r.date.slice(0, 10) < admitted)));
    });
    // A week ago the pupil was listed with that admission date already (copyExportsBefore would
    // leave out a pupil admitted since; then their records of earlier weeks would have been
    // refused, and the refresh would add them: a change to the older year).
    const listed = (school: string) => edit(path.join(school, 'students.csv'), (rows) => [...rows, ...readCsv(path.join(exports, 'DEMO', 'students.csv')).rows.filter((r) => r.student_id === pupil)]);
    const { report, fromWeeks, differences } = await refreshAgainstFull(exports, SQL_DIR, listed);
    expect(report.fullReason).toBeNull();
    expect(differences).toEqual([]);
    // No later than the Monday of the pupil's first event this year.
    const changedFrom = fromWeeks.get('int_pupil_years');
    expect(changedFrom).not.toBeNull();
    expect((changedFrom as string) <= (firstEvent as string)).toBe(true);

    // With the records left out of changes_from, the change is handed on from the admission's
    // week alone: the autumn events keep no year group in the refresh, unlike a full build.
    const admissionOnly = sqlWith('intermediate/int_pupil_years.sql', 'c.year_first_day), e.first_record) as changes_from', 'c.year_first_day), NULL) as changes_from');
    const wrong = await refreshAgainstFull(exports, admissionOnly, listed);
    expect(wrong.fromWeeks.get('int_pupil_years')).toBe(last);
    expect(wrong.differences).toContain('int_behaviour_events');
  }, 600_000);
});

/** A pupil on roll all of this year since an earlier one (rows in both years), with no leaving date. */
function pupilOnRoll(rows: Row[]): Row {
  const chosen = rows.find((r) => !r.leaving_date && r.admission_date < plusDays(YEAR_START, -365) && ['8', '9', '10'].includes(r.year_group));
  expect(chosen).toBeDefined();
  return chosen as Row;
}

/**
 * Exports in which one detail (`column`) of a pupil on roll is changed (`to`, from its value), and
 * the edit that gives the copy as it stood a week ago the old value: a detail recorded in the last week.
 */
function detailRecorded(name: string, column: string, to: (value: string) => string): { exports: string; unrecorded: (school: string) => void } {
  let pupil = '';
  let was = '';
  const exports = exportsWith(name, (school) => {
    edit(path.join(school, 'students.csv'), (rows) => {
      const chosen = pupilOnRoll(rows);
      pupil = chosen.student_id;
      was = chosen[column];
      return rows.map((r) => (r === chosen ? { ...r, [column]: to(r[column]) } : r));
    });
  });
  const unrecorded = (school: string) => edit(path.join(school, 'students.csv'), (rows) => rows.map((r) => (r.student_id === pupil ? { ...r, [column]: was } : r)));
  return { exports, unrecorded };
}

describe('a change to the pupils file in a weekly refresh (raw.students read through compared models alone)', () => {
  it("a pupil who leaves in the last week changes the pupil-week models from that week on, the other records' models too, and equals a full build", async () => {
    const left = plusDays(last, 1);
    let pupil = '';
    const exports = exportsWith('leaver', (school) => {
      edit(path.join(school, 'students.csv'), (rows) => {
        const chosen = pupilOnRoll(rows);
        pupil = chosen.student_id;
        return rows.map((r) => (r === chosen ? { ...r, leaving_date: left } : r));
      });
      edit(path.join(school, 'attendance.csv'), (rows) => rows.filter((r) => !(r.student_id === pupil && r.date.slice(0, 10) > left)));
    });
    const { report, fromWeeks, years, differences } = await refreshAgainstFull(exports);
    // The exports as they stood a week ago had no leaving date for the pupil (copyExportsBefore).
    expect(readCsv(path.join(root, 'before-leaver-sql', 'DEMO', 'students.csv')).rows.find((r) => r.student_id === pupil)?.leaving_date).toBe('');
    expect(report.fullReason).toBeNull();
    expect(differences).toEqual([]);
    // The leaving date is on the pupil's rows of both years in int_pupil_years, so it and its
    // readers change in both years, whole; int_pupil_roll only in the leaving week.
    expect(years.get('int_pupil_years')).toEqual(['2024/25', YEAR]);
    expect(fromWeeks.get('int_pupil_years')).toBeNull();
    expect(years.get('int_pupil_roll')).toEqual([YEAR]);
    expect(fromWeeks.get('int_pupil_roll')).toBe(last);
    for (const model of ['int_pupil_week_indexed', 'int_watchlist_signals', 'int_behaviour_events', 'int_attendance_by_pupil_week', 'mart_yeargroup_week']) {
      expect(years.get(model), model).toEqual([YEAR]);
      expect(fromWeeks.get(model), model).toBe(last);
    }
    expect(fromWeeks.get('mart_group_gaps')).toBeNull();
    // The staff lists show names, year group and form (int_pupil_names): the week's own rows alone.
    expect(years.get('int_pupil_names')).toBeUndefined();
    expect(fromWeeks.get('mart_pupils_of_concern')).toBe(last);

    // Without the leaving date compared by its own week: the pupil's first week, the start of the year.
    const byRow = await refreshAgainstFull(exports, sqlWith('intermediate/int_pupil_roll.sql', '; left_in_year by its own week', ''));
    expect(byRow.differences).toEqual([]);
    expect(byRow.fromWeeks.get('int_pupil_roll') ?? '').not.toBe(last);
    expect((byRow.fromWeeks.get('int_pupil_week_indexed') ?? YEAR_START) < last).toBe(true);

    // The clause is a promise: weeks on roll that end two weeks before the leaving date break it,
    // and the refresh, handing the change on from the leaving week, then differs from a full build.
    const early = sqlWith('intermediate/int_pupil_weeks.sql', ">= w.first_day", ">= w.first_day + INTERVAL 14 DAY");
    const broken = await refreshAgainstFull(exports, early);
    expect(broken.differences).toContain('int_pupil_week_indexed');
  }, 900_000);

  it("a pupil's SEN status recorded in the last week leaves the pupil-week models to the week's own rows, rebuilds the marts that show it, and equals a full build", async () => {
    const { exports, unrecorded } = detailRecorded('sen', 'sen', (sen) => (sen === 'K' ? 'N' : 'K'));
    const { report, fromWeeks, years, differences } = await refreshAgainstFull(exports, SQL_DIR, unrecorded);
    expect(report.fullReason).toBeNull();
    expect(differences).toEqual([]);
    expect(years.get('int_pupil_years')).toEqual(['2024/25', YEAR]);
    expect(years.get('int_pupil_roll')).toBeUndefined();
    // The week's own rows alone (the week's marks and events), as in a week with no pupil change.
    for (const model of ['int_pupil_week_indexed', 'int_watchlist_signals', 'int_behaviour_events']) {
      expect(years.get(model), model).toEqual([YEAR]);
      expect(fromWeeks.get(model), model).toBe(last);
    }
    expect(years.get('int_pupil_names')).toBeUndefined();
    for (const model of ['mart_pupils_of_concern', 'mart_watchlist']) expect(years.get(model), model).toEqual([YEAR]);
    // The marts that count pupils by SEN: both years whole.
    expect(years.get('mart_group_gaps')).toEqual(['2024/25', YEAR]);
    expect(fromWeeks.get('mart_group_gaps')).toBeNull();
  }, 600_000);

  it("a pupil's year group corrected (every year's row of the pupil changes) hands every year on whole, and equals a full build", async () => {
    const { exports, unrecorded } = detailRecorded('year-group', 'year_group', (year) => String(Number(year) + 1));
    const { report, fromWeeks, years, differences } = await refreshAgainstFull(exports, SQL_DIR, unrecorded);
    expect(report.fullReason).toBeNull();
    expect(differences).toEqual([]);
    for (const model of ['int_pupil_roll', 'int_pupil_week_indexed', 'int_behaviour_events']) {
      expect(years.get(model), model).toEqual(['2024/25', YEAR]);
      expect(fromWeeks.get(model), model).toBeNull();
    }
  }, 600_000);
});
