/**
 * The intervention-impact chain updated from a week on (docs/performance.md, "Session 19: the
 * impact chain by week"): int_intervention_matches and int_impact_resamples_keyed are updated
 * from the first intervention start week whose windows (impact_window_weeks before and after the
 * start) reach the changed week, and the slopes of the adjustment (int_impact_adjustments) for
 * the whole year. A week added inside an earlier intervention's after window must update that
 * intervention's rows, and every model must equal a full build of the same exports.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { copyExportsBefore, lastWeekStart } from '../../src/demo/week-split.ts';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { readModels } from '../../src/models/model-files.ts';
import { runModels } from '../../src/models/run-models.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';
import { edit, readCsv, type CsvRow as Row } from '../helpers/export-csv.ts';

type Connection = Parameters<typeof queryRows>[0];

const isoDaysBefore = (iso: string, days: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
};

describe('the impact chain in a weekly refresh', () => {
  it('a new week inside an earlier intervention after window updates its rows from that start week, as a full build would', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-impact-weeks-'));
    // A trust folder of one school, DEMO, so the exports of the week before are the same school.
    const exports = path.join(root, 'exports');
    const school = path.join(exports, 'DEMO');
    await generateDemo({ outDir: school, pupils: 150, years: 1, schools: 1, seed: 11, workers: 1 });
    const last = lastWeekStart(exports);
    // A pupil on roll, supported from three weeks before the last week: the last week is the
    // third of their six-week after window. Their one negative event of that week comes with it.
    const pupil = readCsv(path.join(school, 'students.csv')).rows.find((r) => !r.leaving_date && Number(r.year_group) >= 8 && Number(r.year_group) <= 10) as Row;
    edit(path.join(school, 'interventions.csv'), (rows) => [
      ...rows,
      { intervention_id: 'ITEST', student_id: pupil.student_id, type: 'Mentoring', start_date: isoDaysBefore(last, 21), focus: 'behaviour', status: 'active' },
    ]);
    edit(path.join(school, 'behaviour.csv'), (rows) => [
      ...rows,
      { event_id: 'ETEST', student_id: pupil.student_id, date: last, time: '10:00', polarity: 'negative', category: 'Disruption', points: '-1', severity: '2' },
    ]);
    const before = path.join(root, 'before');
    copyExportsBefore(exports, before, last);

    const afterRate = async (c: Connection) =>
      (await queryRows<{ after: number }>(c, "SELECT after_negative_per_week::DOUBLE AS after FROM int_intervention_matches WHERE intervention_id = 'ITEST' AND nearness = 0"))[0]
        ?.after;
    const db = path.join(root, 'weekly.duckdb');
    const earlier = await withWarehouse(db, async (c) => {
      await ingest(c, [before]);
      await runModels(c);
      return afterRate(c);
    });
    expect(earlier).toBeDefined();

    const { report, later } = await withWarehouse(db, async (c) => {
      await ingest(c, [exports]);
      const run = await runModels(c);
      return { report: run, later: await afterRate(c) };
    });
    // Both updated from a week on (not the whole year), and the intervention's after window saw the new week.
    expect(report.updatedByWeek).toContain('int_intervention_matches');
    expect(report.updatedByWeek).toContain('int_impact_resamples_keyed');
    expect(report.modes.int_impact_adjustments).toBe('partitions');
    expect(later).toBeGreaterThan(earlier as number);

    const reference = path.join(root, 'reference.duckdb');
    await withWarehouse(reference, async (c) => {
      await ingest(c, [exports], { allowRemovals: true });
      await runModels(c, { full: true });
    });
    const names = readModels().map((m) => m.name);
    const same = await withWarehouse(db, (c) => compareWarehouses(c, reference, { names }));
    expect(same.compared).toHaveLength(names.length);
    expect(same.differences).toEqual([]);
  }, 600_000);
});
