import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { copyExportsBefore, lastWeekStart } from '../../src/demo/week-split.ts';
import { compareWarehouses } from '../../src/models/compare-warehouses.ts';
import { incrementalOf, readModels } from '../../src/models/model-files.ts';
import { runModels, type ModelRunReport } from '../../src/models/run-models.ts';
import { runRefresh } from '../../src/refresh/refresh.ts';
import { withWarehouse } from '../../src/warehouse/warehouse.ts';

type Row = Record<string, string>;

function readCsv(file: string): { fields: string[]; rows: Row[] } {
  const parsed = Papa.parse<Row>(readFileSync(file, 'utf-8'), { header: true, skipEmptyLines: true });
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

function writeCsv(file: string, fields: string[], rows: Row[]): void {
  writeFileSync(file, `${Papa.unparse(rows, { columns: fields, newline: '\n' })}\n`);
}

/** Edits one export file in place. */
function edit(file: string, change: (rows: Row[]) => Row[]): void {
  const { fields, rows } = readCsv(file);
  writeCsv(file, fields, change(rows));
}

const fakeBuild = async (_db: string, outDir: string) => {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'index.html'), 'built');
};

/** A fresh warehouse from `exports`, every model built whole. */
async function fullBuild(db: string, exports: string): Promise<ModelRunReport> {
  return withWarehouse(db, async (c) => {
    await ingest(c, [exports], { allowRemovals: true });
    return runModels(c, { full: true });
  });
}

describe('the incremental header', () => {
  it('reads the partitioning, the year expression and the years each input is read for', () => {
    expect(incrementalOf('select 1')).toBeNull();
    expect(incrementalOf('-- incremental: school\nselect 1')).toEqual({ by: 'school', yearExpression: 'academic_year', allYearsOf: [], previousYearOf: [] });
    expect(incrementalOf('-- incremental: school_year by academic_year_of(date); all years of a, b; previous year of c\nselect 1')).toEqual({
      by: 'school_year',
      yearExpression: 'academic_year_of(date)',
      allYearsOf: ['a', 'b'],
      previousYearOf: ['c'],
    });
    expect(() => incrementalOf('-- incremental: per pupil\nselect 1', 'x.sql')).toThrow(/x\.sql: cannot read/);
    expect(() => incrementalOf('-- incremental: school_year; some years of a\nselect 1', 'x.sql')).toThrow(/cannot read "some years of a"/);
  });

  it('every model that names an input in its header reads that input', () => {
    for (const model of readModels()) {
      for (const dep of [...(model.incremental?.allYearsOf ?? []), ...(model.incremental?.previousYearOf ?? [])]) {
        expect(model.sql, `${model.name} names ${dep}`).toMatch(new RegExp(`\\b${dep}\\b`));
      }
    }
  });
});

describe('the weekly refresh rebuilds only what changed', () => {
  it('gives the marts a full rebuild gives, row for row (a new week, a corrected and a deleted older row, then an older year corrected)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-incremental-'));
    const full = path.join(root, 'full');
    await generateDemo({ outDir: full, pupils: 100, years: 2, schools: 2, seed: 7, workers: 1 });
    const cutoff = lastWeekStart(full);
    const before = path.join(root, 'before');
    const split = copyExportsBefore(full, before, cutoff);
    expect(split.dropped).toBeGreaterThan(0);

    // The week's inbox: the whole exports, with one older behaviour event corrected (DEMO1) and
    // one older behaviour event deleted in the MIS (DEMO2), both earlier this academic year.
    const inbox = path.join(root, 'inbox');
    copyExportsBefore(full, inbox, '9999-12-31');
    const older = (r: Row) => r.date >= '2026-01-05' && r.date < '2026-02-01' && r.polarity === 'negative';
    let corrected = '';
    edit(path.join(inbox, 'DEMO1', 'behaviour.csv'), (rows) => {
      const row = rows.find(older) as Row;
      corrected = row.event_id;
      row.severity = row.severity === '5' ? '1' : '5';
      row.location = 'Corrected corridor';
      return rows;
    });
    let deleted = '';
    edit(path.join(inbox, 'DEMO2', 'behaviour.csv'), (rows) => {
      deleted = (rows.find(older) as Row).event_id;
      return rows.filter((r) => r.event_id !== deleted);
    });
    expect(corrected).not.toBe('');
    expect(deleted).not.toBe('');

    const db = path.join(root, 'incremental.duckdb');
    const out = path.join(root, 'site');
    const first = await runRefresh({ inbox: before, db, out, build: fakeBuild });
    expect(first.models?.fullReason).toBe('no earlier run to compare with');

    const second = await runRefresh({ inbox, db, out, build: fakeBuild });
    const report = second.models as ModelRunReport;
    expect(second.summary.changes.find((c) => c.type === 'behaviour')).toMatchObject({ corrected: 1, removed: 1 });
    expect(report.fullReason).toBeNull();
    expect(report.touched).toEqual({ DEMO1: ['2025/26'], DEMO2: ['2025/26'] });
    // The big per-pupil-week models were updated by partition; the cross-year ones rebuilt whole.
    expect(report.modes.int_attendance_by_pupil_week).toBe('partitions');
    expect(report.modes.mart_pupil_week).toBe('partitions');
    expect(report.modes.mart_pupils_of_concern).toBe('partitions');
    expect(report.modes.mart_intervention_impact).toBe('full');
    expect(report.modes.ref_attendance_codes).toBe('unchanged');

    const names = readModels().map((m) => m.name);
    const reference = path.join(root, 'reference.duckdb');
    const whole = await fullBuild(reference, inbox);
    expect(whole.failures).toEqual([]);
    const same = await withWarehouse(db, (c) => compareWarehouses(c, reference, { names }));
    expect(same.compared).toHaveLength(names.length);
    expect(same.differences).toEqual([]);

    // A correction to last year's data (a detention's status in DEMO1, 2024/25) rebuilds every
    // year of DEMO1 and nothing of DEMO2.
    edit(path.join(inbox, 'DEMO1', 'detentions.csv'), (rows) => {
      const row = rows.find((r) => r.date < '2025-06-01' && r.date >= '2025-01-01') as Row;
      row.status = row.status === 'attended' ? 'missed' : 'attended';
      return rows;
    });
    const third = await runRefresh({ inbox, db, out, build: fakeBuild });
    expect(third.models?.touched).toEqual({ DEMO1: ['2024/25', '2025/26'] });
    const reference2 = path.join(root, 'reference2.duckdb');
    await fullBuild(reference2, inbox);
    const again = await withWarehouse(db, (c) => compareWarehouses(c, reference2, { names }));
    expect(again.differences).toEqual([]);

    // Nothing new: every model is left as it was.
    const idle = await withWarehouse(db, (c) => runModels(c));
    expect(new Set(Object.values(idle.modes))).toEqual(new Set(['unchanged', 'view']));
  }, 600_000);
});
