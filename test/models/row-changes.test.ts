/**
 * The model runner's log of where each run changed each model (src/models/row-changes.ts), which
 * a site rebuild reads to take the pupil timelines' terms no run has changed since: a week's
 * refresh logs, for the models it updates from a week on, that week's Monday in the school's
 * latest year and nothing earlier; a model it left alone, nothing; a full run, every model whole.
 * The weeks it logs are checked against the models themselves: every row of an earlier week is
 * the same after the refresh as before it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { copyExportsBefore, lastWeekStart } from '../../src/demo/week-split.ts';
import { keepRowChanges } from '../../src/models/row-changes.ts';
import { inputTableChangesSince, KEPT_RUNS, lastRunId, rowChangesSince, type RowChangesSince } from '../../src/warehouse/row-changes-log.ts';
import { runModels } from '../../src/models/run-models.ts';
import { queryRows, withWarehouse } from '../../src/warehouse/warehouse.ts';

let root: string;
let db: string;
let week: string;
/** The run ids: the week-ago build, the week's refresh. */
let weekAgoRun: string;
let refreshRun: string;
/** Rows of int_behaviour_events and stg_detentions dated before the week, as they were a week ago. */
let before: { behaviour: string[]; detentions: string[] };

const earlierRows = async (db: string, week: string) =>
  withWarehouse(db, async (c) => ({
    behaviour: (await queryRows<{ r: string }>(c, `SELECT CAST(b AS VARCHAR) AS r FROM int_behaviour_events b WHERE date < DATE '${week}' ORDER BY ALL`)).map((x) => x.r),
    detentions: (await queryRows<{ r: string }>(c, `SELECT CAST(d AS VARCHAR) AS r FROM stg_detentions d WHERE date < DATE '${week}' ORDER BY ALL`)).map((x) => x.r),
  }));

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pastoral-row-changes-'));
  const exports = path.join(root, 'exports');
  await generateDemo({ outDir: path.join(exports, 'DEMO'), pupils: 80, years: 2, schools: 1, seed: 5, workers: 1 });
  const weekAgo = path.join(root, 'week-ago');
  week = lastWeekStart(exports);
  copyExportsBefore(exports, weekAgo, week);
  db = path.join(root, 'w.duckdb');
  await withWarehouse(db, async (c) => {
    await ingest(c, [weekAgo]);
    await runModels(c);
    weekAgoRun = (await lastRunId(c)) as string;
  });
  before = await earlierRows(db, week);
  await withWarehouse(db, async (c) => {
    await ingest(c, [exports], { allowRemovals: true });
    await runModels(c);
    refreshRun = (await lastRunId(c)) as string;
  });
}, 600_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("the model runner's log of changed weeks", () => {
  it("logs a week's refresh from the week's Monday, in the latest year, and the rows before it are unchanged", async () => {
    expect(weekAgoRun).toMatch(/^[0-9a-f-]{36}$/);
    expect(refreshRun).not.toBe(weekAgoRun);
    await withWarehouse(db, async (c) => {
      const latest = (await queryRows<{ y: string }>(c, `SELECT max(academic_year) AS y FROM int_behaviour_events`))[0].y;
      // Models updated from the week on: that Monday, nothing before.
      for (const model of ['int_behaviour_events', 'stg_detentions', 'int_attendance_thresholds_by_pupil_week']) {
        const since = await rowChangesSince(c, weekAgoRun, [model]);
        expect(since?.whole, model).toBe(false);
        expect(Object.fromEntries([...(since?.extent ?? new Map())].map(([s, y]) => [s, Object.fromEntries(y)])), model).toEqual({ DEMO: { [latest]: week } });
      }
      // The pupils did not change: the directory is not in the log.
      expect((await rowChangesSince(c, weekAgoRun, ['mart_pupil_directory']))?.extent.size).toBe(0);
      // The timeline view's inputs, as the run parsed them, read through the view of its records
      // to the tables, which changed from the week's Monday, where the runner logs that view (by
      // partition) as changed in any row of the year.
      expect((await rowChangesSince(c, weekAgoRun, ['int_pupil_records']))?.extent.get('DEMO')?.get(latest)).toBeNull();
      expect(await inputTableChangesSince(c, weekAgoRun, 'mart_pupil_timeline')).toEqual({ whole: false, extent: new Map([['DEMO', new Map([[latest, week]])]]) });
      // Nothing after the last run; an id this warehouse never logged: unknown.
      expect((await rowChangesSince(c, refreshRun, ['int_behaviour_events']))?.extent.size).toBe(0);
      expect(await rowChangesSince(c, 'not-a-run', ['int_behaviour_events'])).toBeNull();
    });
    // What the log promises: the rows of earlier weeks are as they were.
    const after = await earlierRows(db, week);
    expect(after.behaviour.length).toBeGreaterThan(100);
    expect(after).toEqual(before);
  });

  it('logs a full run as every model changed whole, and keeps the last runs only', async () => {
    await withWarehouse(db, async (c) => {
      await runModels(c, { full: true });
      const since = await rowChangesSince(c, refreshRun, ['int_behaviour_events']);
      expect(since?.whole).toBe(true);
      // A run that changes nothing logs a run and no change.
      const full = (await lastRunId(c)) as string;
      await runModels(c);
      expect(await rowChangesSince(c, full, ['int_behaviour_events', 'mart_pupil_directory'])).toEqual({ whole: false, extent: new Map() });
      // Past KEPT_RUNS runs, the oldest are forgotten: a build from then knows nothing by the log.
      const [{ runs }] = await queryRows<{ runs: number }>(c, `SELECT count(*)::INTEGER AS runs FROM model_state.runs`);
      expect(runs).toBe(4);
      for (let i = 0; i < KEPT_RUNS - 4; i++) await keepRowChanges(c, new Map([['int_behaviour_events', 'unchanged']]), { models: new Map(), raw: new Map() });
      // KEPT_RUNS runs logged: the first still known.
      expect(await rowChangesSince(c, weekAgoRun, ['int_behaviour_events'])).not.toBeNull();
      await keepRowChanges(c, new Map(), { models: new Map(), raw: new Map() });
      expect(await rowChangesSince(c, weekAgoRun, ['int_behaviour_events'])).toBeNull();
      expect(await rowChangesSince(c, refreshRun, ['int_behaviour_events'])).not.toBeNull();
    });
  });
});

describe('what a model is built from, read through views (inputTableChangesSince), on a hand-made log', () => {
  // m reads the table t0 and the view v1, which reads the view v2 (reading the table t1) and the
  // view v3, which reads a raw table itself. The first run is the previous build's; the second
  // logs `states`. `since` reads what changed after the first.
  type Logged = Array<[string, 'full' | Array<[string, string, string | null]>]>;
  const withLog = async (states: Logged, check: (since: (except?: string[]) => Promise<RowChangesSince | null>) => Promise<void>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-through-views-'));
    try {
      await withWarehouse(path.join(dir, 'w.duckdb'), async (c) => {
        await c.run('CREATE TABLE t0 (x INTEGER); CREATE TABLE t1 (x INTEGER); CREATE VIEW v2 AS SELECT * FROM t1; CREATE VIEW v3 AS SELECT 1 AS x; CREATE VIEW v1 AS SELECT * FROM v2, v3');
        const inputs = { models: new Map([['m', ['t0', 'v1']], ['v1', ['v2', 'v3']], ['v2', ['t1']]]), raw: new Map([['v3', ['marks']]]) };
        const first = await keepRowChanges(c, new Map(), inputs);
        const logged = states.map(([model, s]) => [model, s === 'full' ? 'full' : new Map(s.map(([school, year, from]) => [school, new Map([[year, from]])]))] as const);
        await keepRowChanges(c, new Map(logged), inputs);
        await check((except = []) => inputTableChangesSince(c, first, 'm', except));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("takes the tables' weeks, not the views' whole years, and a view reading a raw table as it is logged", async () => {
    await withLog(
      [['t0', [['S', '2025/26', '2026-03-02']]], ['t1', [['S', '2025/26', '2026-03-09']]], ['v1', [['S', '2025/26', null]]], ['v2', [['S', '2025/26', null]]], ['v3', [['S', '2024/25', null]]]],
      async (since) => {
        expect(await since()).toEqual({ whole: false, extent: new Map([['S', new Map([['2024/25', null], ['2025/26', '2026-03-02']])]]) });
        expect(await since(['t0', 'v3'])).toEqual({ whole: false, extent: new Map([['S', new Map([['2025/26', '2026-03-09']])]]) });
      },
    );
  });

  it('counts every row changed when a view passed through was built whole (its code changed)', async () => {
    await withLog([['t1', [['S', '2025/26', '2026-03-09']]], ['v2', 'full']], async (since) => {
      expect((await since())?.whole).toBe(true);
    });
  });
});
