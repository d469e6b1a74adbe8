/**
 * The per-week intermediate of session 19 (docs/performance.md, "Session 19: the year's marts
 * from per-week rows"): `int_yeargroup_week` (a year group's own figures per week, to which
 * `mart_yeargroup_week` adds last week, the term so far and the same week last year). A weekly
 * refresh updates both from the new week on; every model then equals a full build. Each header clause that makes it so is shown to matter: on a copy of
 * sql/ without it, the refreshed marts differ from a full build.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { copyExportsBefore, lastWeekStart } from '../../src/demo/week-split.ts';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { readModels, SQL_DIR } from '../../src/models/model-files.ts';
import { runModels, type ModelRunReport } from '../../src/models/run-models.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { sqlWith } from '../helpers/sql-dir.ts';

let root: string;
let exports: string;
let before: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-week-figures-'));
  // A trust folder of one school, DEMO, two years: last year's weeks are there to compare with.
  exports = path.join(root, 'exports');
  await generateDemo({ outDir: path.join(exports, 'DEMO'), pupils: 100, years: 2, schools: 1, seed: 7, workers: 1 });
  before = path.join(root, 'before');
  copyExportsBefore(exports, before, lastWeekStart(exports));
}, 300_000);

/** Builds the exports before their last week, refreshes with the whole exports, and compares every model with a full build of them. */
async function refreshAgainstFull(sql: string): Promise<{ report: ModelRunReport; differences: string[]; db: string }> {
  const db = path.join(root, `refresh-${path.basename(sql)}.duckdb`);
  await withWarehouse(db, async (c) => {
    await ingest(c, [before]);
    await runModels(c, { sqlDir: sql });
  });
  const report = await withWarehouse(db, async (c) => {
    await ingest(c, [exports], { allowRemovals: true });
    return runModels(c, { sqlDir: sql });
  });
  const reference = path.join(root, `full-${path.basename(sql)}.duckdb`);
  await withWarehouse(reference, async (c) => {
    await ingest(c, [exports]);
    await runModels(c, { full: true, sqlDir: sql });
  });
  const names = readModels(sql).map((m) => m.name);
  const comparison = await withWarehouse(db, (c) => compareWarehouses(c, reference, { names }));
  expect(comparison.compared).toHaveLength(names.length);
  return { report, differences: comparison.differences.map((d) => d.name), db };
}

describe('the marts of a year from per-week rows, on the demo school', () => {
  it('a new week: the per-week rows are updated from that week, the marts read last year per week, and every model equals a full build', async () => {
    const { report, differences, db } = await refreshAgainstFull(SQL_DIR);
    expect(report.touched).toEqual({ DEMO: ['2025/26'] });
    expect(report.updatedByWeek).toEqual(expect.arrayContaining(['int_yeargroup_week', 'mart_yeargroup_week']));
    expect(differences).toEqual([]);
    // Last year's figures are there to be compared with (the clause below matters only if so).
    const [row] = await withWarehouse(db, (c) =>
      queryRows<{ n: bigint }>(c, "SELECT count(*) AS n FROM mart_yeargroup_week WHERE academic_year = '2025/26' AND negative_per_100_last_year IS NOT NULL"),
    );
    expect(Number(row.n)).toBeGreaterThan(0);
  }, 600_000);

  it('without "previous year of int_yeargroup_week", the refreshed weeks lose last year\'s figures: mart_yeargroup_week differs from a full build', async () => {
    const sql = sqlWith(
      path.join('marts', 'mart_yeargroup_week.sql'),
      '-- incremental: school_year; previous year of int_yeargroup_week',
      '-- incremental: school_year',
    );
    const { differences } = await refreshAgainstFull(sql);
    // …and the weekly review, which reads it.
    expect(differences).toEqual(['mart_weekly_review', 'mart_yeargroup_week']);
  }, 600_000);

  it('with "same week of int_attendance_by_pupil_week" for "year to date of", persistent absence so far is counted on the week alone: the per-week rows differ', async () => {
    const sql = sqlWith(
      path.join('intermediate', 'int_yeargroup_week.sql'),
      'year to date of int_attendance_by_pupil_week',
      'same week of int_attendance_by_pupil_week',
    );
    const { report, differences } = await refreshAgainstFull(sql);
    expect(report.updatedByWeek).toContain('int_yeargroup_week');
    expect(differences).toEqual(expect.arrayContaining(['int_yeargroup_week', 'mart_yeargroup_week']));
  }, 600_000);
});
