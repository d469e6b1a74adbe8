import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { runModels } from '../../src/models/run-models.ts';
import { queryRows, type Warehouse } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

/**
 * The default English day on realistic data: the demo school's day (src/demo/timetable.ts) is
 * the default one, and each demo event carries both its time and its period. With the period
 * column removed, placing every event by its time alone must give back the generated period.
 */
describe('the default day gives back the demo periods from the times alone', () => {
  let warehouse: Warehouse;
  let generated: Map<string, string>;
  beforeAll(async () => {
    // One school: its files are written straight into the folder.
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-demo-times-')), 'DEMO');
    await generateDemo({ outDir: dir, pupils: 120, schools: 1, years: 1, seed: 3 });
    const file = path.join(dir, 'behaviour.csv');
    const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf-8'), { header: true, skipEmptyLines: true });
    generated = new Map(parsed.data.map((r) => [`${r.event_id}|${r.student_id}`, r.period]));
    const fields = parsed.meta.fields!.filter((f) => f !== 'period');
    writeFileSync(file, Papa.unparse({ fields, data: parsed.data.map((r) => fields.map((f) => r[f])) }));
    // The demo sends its day as periods.csv; without it, the default day applies (the same day).
    rmSync(path.join(dir, 'periods.csv'));
    warehouse = await openTempWarehouse();
    const report = await ingest(warehouse.connection, [dir]);
    expect(report.files.reduce((n, f) => n + f.rowsRejected, 0)).toBe(0);
    expect((await runModels(warehouse.connection)).failures).toEqual([]);
  }, 240_000);
  afterAll(() => warehouse?.close());

  it('every event, by its time, is in the period it was generated in', async () => {
    const placed = await queryRows<{ k: string; period: string; period_source: string }>(
      warehouse.connection,
      "SELECT event_id || '|' || student_id AS k, period, period_source FROM stg_behaviour",
    );
    expect(placed.length).toBe(generated.size);
    expect(placed.length).toBeGreaterThan(1000);
    expect(new Set(placed.map((p) => p.period_source))).toEqual(new Set(['time in default day']));
    const differing = placed.filter((p) => generated.get(p.k) !== p.period);
    expect(differing.slice(0, 5)).toEqual([]);
    // Every part of the day occurs.
    expect(new Set(placed.map((p) => p.period))).toEqual(
      new Set(['Before school', 'Registration', 'P1', 'P2', 'Break', 'P3', 'P4', 'Lunch', 'P5', 'P6', 'After school']),
    );
  });
});
