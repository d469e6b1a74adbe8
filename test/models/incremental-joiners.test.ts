/**
 * A pupil who joins during the year (docs/performance.md, "Session 47"): `int_pupil_years` is
 * compared by `changes_from`, the earlier of the pupil's first day on roll that year and their
 * earliest record dated in it, so a weekly refresh hands its readers the change from that week
 * on, not the whole year. Every model then equals a full build, also when the new pupil-year has
 * records from before the pupil's admission (an admission date corrected into the year), which
 * the models join to the pupil-year by year alone: on a copy of sql/ that leaves those records
 * out of `changes_from`, the refreshed models differ from a full build.
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
 * Builds `exports` as they stood before their last week, refreshes with the whole of them, and
 * compares every model with a full build; with where the refresh changed two models.
 */
async function refreshAgainstFull(exports: string, sql: string = SQL_DIR) {
  const tag = `${path.basename(exports)}-${path.basename(sql)}`;
  const before = path.join(root, `before-${tag}`);
  copyExportsBefore(exports, before, last);
  const db = path.join(root, `refresh-${tag}.duckdb`);
  await withWarehouse(db, async (c) => {
    await ingest(c, [before]);
    await runModels(c, { sqlDir: sql });
  });
  const { report, fromWeeks } = await withWarehouse(db, async (c) => {
    await ingest(c, [exports], { allowRemovals: true });
    const report = await runModels(c, { sqlDir: sql });
    // Where this run changed each model of the school's latest year: null is the whole year.
    const rows = await queryRows<{ model: string; from_week: string | null }>(
      c,
      `SELECT model, strftime(from_week, '%Y-%m-%d') AS from_week FROM ${ROW_CHANGES_SCHEMA}.row_changes
       WHERE seq = (SELECT max(seq) FROM ${ROW_CHANGES_SCHEMA}.runs) AND school_id = 'DEMO' AND academic_year = '${YEAR}'`,
    );
    return { report, fromWeeks: new Map(rows.map((r) => [r.model, r.from_week])) };
  });
  const reference = path.join(root, `full-${tag}.duckdb`);
  await withWarehouse(reference, async (c) => {
    await ingest(c, [exports]);
    await runModels(c, { full: true, sqlDir: sql });
  });
  const names = readModels(sql).map((m) => m.name);
  const same = await withWarehouse(db, (c) => compareWarehouses(c, reference, { names }));
  expect(same.compared).toHaveLength(names.length);
  return { report, fromWeeks, differences: same.differences.map((d) => d.name) };
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
    const whole = await refreshAgainstFull(exports, sqlWith('intermediate/int_pupil_years.sql', 'incremental weeks: compared by changes_from', 'incremental weeks: compared'));
    expect(whole.differences).toEqual([]);
    expect(whole.fromWeeks.get('int_pupil_years')).toBeNull();
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
    const { report, fromWeeks, differences } = await refreshAgainstFull(exports);
    expect(report.fullReason).toBeNull();
    expect(differences).toEqual([]);
    // No later than the Monday of the pupil's first event this year.
    const changedFrom = fromWeeks.get('int_pupil_years');
    expect(changedFrom).not.toBeNull();
    expect((changedFrom as string) <= (firstEvent as string)).toBe(true);

    // With the records left out of changes_from, the change is handed on from the admission's
    // week alone: the autumn events keep no year group in the refresh, unlike a full build.
    const admissionOnly = sqlWith('intermediate/int_pupil_years.sql', 'c.year_first_day), e.first_record) as changes_from', 'c.year_first_day), NULL) as changes_from');
    const wrong = await refreshAgainstFull(exports, admissionOnly);
    expect(wrong.fromWeeks.get('int_pupil_years')).toBe(last);
    expect(wrong.differences).toContain('int_behaviour_events');
  }, 600_000);
});
