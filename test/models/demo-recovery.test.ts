import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../data-loaders/ingest.ts';
import { generateDemo } from '../../src/demo/generate.ts';
import { runModels } from '../../src/models/run-models.ts';
import type { Warehouse } from '../../src/warehouse/warehouse.ts';
import { queryRows } from '../../src/warehouse/warehouse.ts';
import { openTempWarehouse } from '../helpers/warehouse.ts';

/*
 * End to end on the default demo school (1,200 pupils, seed 1): the generator plants a 35% cut
 * in negative events from a pupil's first behaviour intervention and records who was flagged.
 * The models must recover it: the behaviour-focus estimate is a reduction, its 95% interval
 * excludes no effect and holds the planted cut. And the watchlist's top 20 go on to a repeat
 * BSC placement or a suspension far more often than pupils in general, and more often than the
 * top 20 by either naive rule, on the weeks the risk score's weights were not chosen on.
 * The estimate must speak for the pupils who get interventions: nine in ten of the behaviour
 * interventions with a baseline. And the same warehouse must give the same figures every time
 * the models run (the bootstrap is seeded by a hash, and its sums are exact).
 * (Seeds 1–9, with scripts/impact-seeds.ts: the basic bootstrap interval holds −35% in 9 of 9,
 * seed 7 too, where one pupil went from 1 to 13 events a week; mean bias 5.6 points, 93.5%
 * estimated; the figures are in docs/metrics.md. The test pins the default demo, which
 * `npm start` shows.)
 */
describe('models on the default demo school recover what the generator planted', () => {
  let warehouse: Warehouse;
  let planted: number;
  beforeAll(async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-recovery-')), 'demo');
    await generateDemo({ outDir: dir, seed: 1 });
    planted = JSON.parse(readFileSync(path.join(dir, 'demo-manifest.json'), 'utf-8')).plantedInterventionEffect.relativeReduction;
    warehouse = await openTempWarehouse();
    await ingest(warehouse.connection, [dir]);
    const models = await runModels(warehouse.connection);
    expect(models.failures).toEqual([]);
  });

  const impactRows = (mart: string) =>
    queryRows<{ r: string }>(warehouse.connection, `SELECT CAST(t AS VARCHAR) AS r FROM ${mart} t ORDER BY r`).then((rows) => rows.map((x) => x.r));

  it('gives the same impact figures, row for row, when the models run again on the same warehouse', async () => {
    const before = { byType: await impactRows('mart_intervention_impact_by_type'), termly: await impactRows('mart_termly_intervention_impact') };
    expect(before.byType.length).toBeGreaterThan(10);
    // The intervals are there to compare, not all NULL.
    const [withInterval] = await queryRows<{ n: number }>(
      warehouse.connection,
      'SELECT count(*)::INTEGER AS n FROM mart_intervention_impact_by_type WHERE relative_effect_low < relative_effect_high',
    );
    expect(withInterval.n).toBeGreaterThan(5);
    // Whole (a run with nothing new would leave every model as it was, and prove nothing).
    const again = await runModels(warehouse.connection, { full: true });
    expect(again.fullReason).toBe('asked for a full rebuild');
    expect(again.failures).toEqual([]);
    expect(await impactRows('mart_intervention_impact_by_type')).toEqual(before.byType);
    expect(await impactRows('mart_termly_intervention_impact')).toEqual(before.termly);
  });

  it('estimates the impact for at least nine in ten behaviour interventions with a baseline', async () => {
    const [reach] = await queryRows<{ with_baseline: number; estimated: number; no_comparison: number }>(
      warehouse.connection,
      `SELECT count(*) FILTER (WHERE has_baseline)::INTEGER AS with_baseline, count(negative_did)::INTEGER AS estimated,
         count(*) FILTER (WHERE not_estimated_because = 'no comparable pupils')::INTEGER AS no_comparison
       FROM mart_intervention_impact WHERE focus = 'behaviour'`,
    );
    expect(reach.estimated).toBeGreaterThanOrEqual(0.9 * reach.with_baseline);
    expect(reach.no_comparison).toBe(0);
  });
  afterAll(() => warehouse?.close());

  it('finds behaviour interventions cut negative events by the planted share, inside an interval that excludes zero', async () => {
    const [behaviour] = await queryRows<{ pupils: number; relative_effect: number; relative_effect_low: number; relative_effect_high: number }>(
      warehouse.connection,
      "SELECT pupils, relative_effect, relative_effect_low, relative_effect_high FROM mart_intervention_impact_by_type WHERE breakdown = 'focus' AND label = 'behaviour'",
    );
    expect(planted).toBe(0.35);
    expect(behaviour.pupils).toBeGreaterThanOrEqual(50);
    expect(behaviour.relative_effect).toBeLessThan(0);
    expect(behaviour.relative_effect_high).toBeLessThan(0);
    expect(behaviour.relative_effect_low).toBeLessThan(behaviour.relative_effect);
    // The planted cut (−35%) lies inside the interval.
    expect(behaviour.relative_effect_low).toBeLessThanOrEqual(-planted);
    expect(behaviour.relative_effect_high).toBeGreaterThanOrEqual(-planted);
  });

  it('ranks pupils so the top 20 beat the base rate, and beat both naive rules on the test weeks', async () => {
    const byRule = await queryRows<{ rule: string; hit_rate: number; recall: number; base_rate: number }>(
      warehouse.connection,
      `SELECT rule, sum(picked_with_outcome) / sum(picked) AS hit_rate, sum(picked_with_outcome) / sum(pupils_with_outcome) AS recall,
         sum(pupils_with_outcome) / sum(pupils_on_roll) AS base_rate
       FROM mart_watchlist_backtest WHERE period = 'test' GROUP BY rule ORDER BY min(rule_order)`,
    );
    expect(byRule.map((r) => r.rule)).toEqual(['watchlist', 'recent_negatives', 'bsc_this_year']);
    const [list, recentNegatives, bscThisYear] = byRule;
    expect(list.hit_rate).toBeGreaterThan(2 * list.base_rate);
    // The weights were fixed on the Autumn fitting weeks; these are the Spring and Summer weeks.
    for (const naive of [recentNegatives, bscThisYear]) {
      expect(list.hit_rate).toBeGreaterThan(naive.hit_rate);
      expect(list.recall).toBeGreaterThan(naive.recall);
    }
  });
});
