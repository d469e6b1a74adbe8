/**
 * The impact method on the demo school's seeds (issue 11): generates each seed's demo once into
 * a cache (data/impact-seeds/, git-ignored), loads it and builds every model; later runs reuse
 * the warehouse and rebuild only the impact models (and the models they read that a change may
 * touch), then print one line per seed: behaviour-focus estimate, its 95% interval, the robust
 * (median) estimate, pupils estimated of pupils with a baseline, and the largest swing one type
 * takes from its most extreme pupil.
 *
 *   npx tsx scripts/impact-seeds.ts [--seeds 1-9] [--sql-dir DIR] [--full]
 *
 * --sql-dir runs an alternative copy of sql/ (to compare methods); --full rebuilds every model
 * and prints each impact model's build time.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ingest } from '../data-loaders/ingest.ts';
import { generateDemo } from '../src/demo/generate.ts';
import { readMacros, readModels, SQL_DIR } from '../src/models/model-files.ts';
import { runModels } from '../src/models/run-models.ts';
import { DEFAULT_SETTINGS, writeSettings } from '../src/models/settings.ts';
import { openWarehouse, queryRows } from '../src/warehouse/warehouse.ts';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const [lo, hi] = (opt('--seeds') ?? '1-9').split('-').map(Number);
const sqlDir = path.resolve(opt('--sql-dir') ?? SQL_DIR);
const full = args.includes('--full');
const cache = path.resolve('data', 'impact-seeds');
/** --var name=value: a DuckDB variable (SET VARIABLE) a trial copy of a model can read. */
const vars = args.flatMap((a, i) => (a === '--var' ? [args[i + 1]] : [])).map((v) => v.split('='));
const summary = { seeds: 0, held: 0, bias: 0, robustBias: 0, estimated: 0, withBaseline: 0, allEstimated: 0, allWithBaseline: 0, seed7Robust: '', robustHeld: 0 };
/** The models rebuilt on a cached warehouse, in this order. */
const IMPACT_MODELS = ['int_intervention_matches', 'int_impact_adjustments', 'int_impact_resamples_keyed', 'mart_intervention_impact', 'mart_intervention_impact_by_type', 'mart_termly_intervention_impact'];

const pct = (x: number | null) => (x == null ? '   n/a' : `${(100 * x).toFixed(1).padStart(6)}`);

for (let seed = lo; seed <= (hi ?? lo); seed++) {
  const dir = path.join(cache, `seed-${seed}`);
  const db = path.join(cache, `seed-${seed}.duckdb`);
  const fresh = !existsSync(db);
  if (fresh) await generateDemo({ outDir: dir, seed });
  const warehouse = await openWarehouse(db);
  const c = warehouse.connection;
  try {
    for (const [name, value] of vars) await c.run(`SET VARIABLE ${name} = ${/^[\d.]+$/.test(value) ? value : `'${value}'`}`);
    const times: Record<string, number> = {};
    if (fresh || full) {
      if (fresh) await ingest(c, [dir]);
      const report = await runModels(c, {
        sqlDir,
        onModel: (model) => {
          times[model.name] = model.seconds * 1000;
        },
      });
      if (report.failures.length) console.log(`seed ${seed}: data tests failed`, report.failures.map((f) => f.test));
    } else {
      const models = new Map(readModels(sqlDir).map((m) => [m.name, m]));
      await c.run('BEGIN TRANSACTION');
      await writeSettings(c, DEFAULT_SETTINGS);
      for (const macro of readMacros(sqlDir)) await c.run(macro.sql);
      for (const name of IMPACT_MODELS) {
        const model = models.get(name);
        if (!model) continue;
        const t = performance.now();
        await c.run(`CREATE OR REPLACE TABLE ${name} AS\n${model.sql}`);
        times[name] = performance.now() - t;
      }
      await c.run('COMMIT');
    }
    const planted = JSON.parse(readFileSync(path.join(dir, 'demo-manifest.json'), 'utf-8')).plantedInterventionEffect.relativeReduction;
    const cols = await queryRows<Record<string, string>>(c, "SELECT column_name FROM information_schema.columns WHERE table_name = 'mart_intervention_impact_by_type'");
    const has = (col: string) => cols.some((r) => r.column_name === col);
    const robust = has('robust_relative_effect') ? 'robust_relative_effect' : 'NULL';
    const robustLow = has('robust_relative_effect') ? 'robust_relative_effect_low' : 'NULL';
    const robustHigh = has('robust_relative_effect') ? 'robust_relative_effect_high' : 'NULL';
    const [b] = await queryRows<Record<string, number>>(
      c,
      `SELECT relative_effect, relative_effect_low, relative_effect_high, ${robust} AS robust, ${robustLow} AS robust_low, ${robustHigh} AS robust_high, pupils
       FROM mart_intervention_impact_by_type WHERE breakdown = 'focus' AND label = 'behaviour'`,
    );
    const [reach] = await queryRows<Record<string, number>>(
      c,
      `SELECT count(*) FILTER (WHERE has_baseline)::INTEGER AS with_baseline,
         count(*) FILTER (WHERE negative_did IS NOT NULL)::INTEGER AS estimated
       FROM mart_intervention_impact WHERE focus = 'behaviour'`,
    );
    const [all] = await queryRows<Record<string, number>>(
      c,
      `SELECT count(*) FILTER (WHERE has_baseline)::INTEGER AS with_baseline,
         count(*) FILTER (WHERE negative_did IS NOT NULL)::INTEGER AS estimated
       FROM mart_intervention_impact`,
    );
    const types = await queryRows<Record<string, number | string>>(
      c,
      `SELECT label, pupils, relative_effect, ${robust} AS robust FROM mart_intervention_impact_by_type
       WHERE breakdown = 'type' AND pupils > 0 ORDER BY label`,
    );
    const held = b.relative_effect_low <= -planted && b.relative_effect_high >= -planted;
    const robustHeld = b.robust_low <= -planted && b.robust_high >= -planted;
    console.log(
      `seed ${seed}: behaviour ${pct(b.relative_effect)}% (${pct(b.relative_effect_low)} to ${pct(b.relative_effect_high)}) ` +
        `${held ? 'holds' : 'MISSES'} −${100 * planted}%; robust ${pct(b.robust)}% (${pct(b.robust_low)} to ${pct(b.robust_high)}) ${robustHeld ? 'holds' : 'MISSES'}; ` +
        `estimated ${reach.estimated}/${reach.with_baseline} with a baseline (${((100 * reach.estimated) / reach.with_baseline).toFixed(0)}%)`,
    );
    summary.seeds++;
    summary.held += held ? 1 : 0;
    summary.robustHeld += robustHeld ? 1 : 0;
    summary.bias += b.relative_effect + planted;
    summary.robustBias += (b.robust ?? NaN) + planted;
    summary.estimated += reach.estimated;
    summary.withBaseline += reach.with_baseline;
    summary.allEstimated += all.estimated;
    summary.allWithBaseline += all.with_baseline;
    console.log(`         all focuses: estimated ${all.estimated}/${all.with_baseline}`);
    console.log(`         types: ${types.map((t) => `${t.label} ${t.pupils}: ${pct(t.relative_effect as number)}/${pct(t.robust as number)}`).join('; ')}`);
    const impactTimes = Object.entries(times).filter(([n]) => n.includes('impact'));
    console.log(`         ms: ${impactTimes.map(([n, t]) => `${n} ${t.toFixed(0)}`).join(', ')}`);
  } finally {
    warehouse.close();
  }
}
console.log(
  `${summary.seeds} seeds: interval holds the planted cut in ${summary.held}; mean bias ${pct(summary.bias / summary.seeds)} points ` +
    `(robust ${pct(summary.robustBias / summary.seeds)}, its interval holds in ${summary.robustHeld}); behaviour estimated ${summary.estimated}/${summary.withBaseline} ` +
    `(${((100 * summary.estimated) / summary.withBaseline).toFixed(1)}%), all ${summary.allEstimated}/${summary.allWithBaseline} ` +
    `(${((100 * summary.allEstimated) / summary.allWithBaseline).toFixed(1)}%)`,
);
