/**
 * Other impact estimators and intervals, side by side on the demo seeds (issue 11): reads each
 * seed's cached warehouse (data/impact-seeds/seed-N.duckdb, built by scripts/impact-seeds.ts)
 * read-only, takes every behaviour intervention's pupil and comparison pupils from
 * int_intervention_matches, and recomputes, with its own Poisson(1) pupil bootstrap (1,000
 * resamples, seeded per seed, so not the warehouse's own draws):
 *   ratio        the models' estimate (sum of DiDs ÷ sum of counterfactuals), percentile interval
 *   basic        the same estimate, basic interval (2 × estimate − the 97.5th / 2.5th percentiles)
 *   bca          the same estimate, BCa interval (jackknife over the pupils supported)
 *   tlog         the same estimate, bootstrap-t on its log (delta-method standard error)
 *   refit        the same, with the adjustment's slopes re-fitted in every resample
 *   robust       each pupil's DiD held within 3 scaled MADs of the median, bounds re-found per resample
 *   logDid       DiD of log rates (log of count + ½ per week), unadjusted: exp(mean) − 1
 *   logDidAdj    the same, adjusted for the run and level on the log scale
 *   condPois     conditional Poisson with pupil effects: A | A + B ~ Binomial, trend from logDidAdj
 * and prints, per method, the seeds whose interval holds the planted −35% and the mean shortfall.
 *
 *   npx tsx scripts/impact-methods.ts [--seeds 1-9]
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
const [firstSeed, lastSeed] = (args.includes('--seeds') ? args[args.indexOf('--seeds') + 1] : '1-9').split('-').map(Number);
const PLANTED = -0.35;
const PSEUDO_COUNT = 0.5;
const REPS = 1000;

type Row = Record<string, number | string | boolean | null>;
interface Measured {
  measured_id: string;
  student_id: string;
  focus: string;
  nearness: number;
  baseline_weeks: number;
  after_weeks: number;
  window_weeks: number;
  b: number;
  a: number;
  x1: number;
  x2: number;
  y: number;
  adjustment: number;
  did: number | null;
  countB: number;
  countA: number;
  logChange: number;
  logRun: number;
  logLevel: number;
}

/** A small seeded generator (mulberry32): the resamples are the same on every run. */
function generator(seed: number) {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const POISSON_1_CDF = [0.36787944117, 0.73575888234, 0.91969860293, 0.98101184312, 0.99634015317, 0.99940581518, 0.99991675885, 0.9999897508, 0.99999887479];
const poisson1 = (u: number) => {
  const k = POISSON_1_CDF.findIndex((p) => u < p);
  return k === -1 ? POISSON_1_CDF.length : k;
};
function quantile(xs: number[], p: number): number {
  const s = xs.filter(Number.isFinite).sort((x, y) => x - y);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (h - lo);
}
function weightedMedian(values: number[], weights: number[]): number {
  const order = values.map((_, i) => i).filter((i) => weights[i] > 0).sort((i, j) => values[i] - values[j]);
  const total = order.reduce((s, i) => s + weights[i], 0);
  let run = 0;
  for (const i of order) {
    run += weights[i];
    if (run >= total / 2) return values[i];
  }
  return Number.NaN;
}
const normalCdf = (x: number) => {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const p = 0.3989422804014327 * Math.exp((-x * x) / 2) * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x > 0 ? 1 - p : p;
};
const normalQuantile = (p: number) => {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
};
/** Least squares y = a + b1 x1 + b2 x2, as int_intervention_matches fits it (the run alone with no spread in the level). */
function slopes(points: { y: number; x1: number; x2: number; w: number }[]): [number, number] {
  const n = points.reduce((s, p) => s + p.w, 0);
  const mean = (f: (p: (typeof points)[number]) => number) => points.reduce((s, p) => s + p.w * f(p), 0) / n;
  const m1 = mean((p) => p.x1);
  const m2 = mean((p) => p.x2);
  const my = mean((p) => p.y);
  const s11 = mean((p) => (p.x1 - m1) ** 2);
  const s22 = mean((p) => (p.x2 - m2) ** 2);
  const s12 = mean((p) => (p.x1 - m1) * (p.x2 - m2));
  const s1y = mean((p) => (p.x1 - m1) * (p.y - my));
  const s2y = mean((p) => (p.x2 - m2) * (p.y - my));
  const det = s11 * s22 - s12 * s12;
  if (det > 1e-9 * s11 * s22 && det > 0) return [(s22 * s1y - s12 * s2y) / det, (s11 * s2y - s12 * s1y) / det];
  return [s11 > 0 ? s1y / s11 : 0, 0];
}

const tally: Record<string, { held: number; short: number; seeds: number }> = {};
function record(method: string, estimate: number, low: number, high: number, line: string[]) {
  const held = low <= PLANTED && high >= PLANTED;
  tally[method] ??= { held: 0, short: 0, seeds: 0 };
  tally[method].held += held ? 1 : 0;
  tally[method].short += estimate - PLANTED;
  tally[method].seeds++;
  line.push(`${method} ${(100 * estimate).toFixed(1)} (${(100 * low).toFixed(1)} to ${(100 * high).toFixed(1)})${held ? '' : ' MISSES'}`);
}

for (let seed = firstSeed; seed <= (lastSeed ?? firstSeed); seed++) {
  const instance = await DuckDBInstance.create(path.join('data', 'impact-seeds', `seed-${seed}.duckdb`), { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const raw = (
    await connection.runAndReadAll(
      `SELECT m.*, a.adjustment, i.negative_did AS did FROM int_intervention_matches m
       JOIN mart_intervention_impact i USING (school_id, intervention_id, student_id)
       LEFT JOIN int_impact_adjustments a USING (school_id, academic_year, intervention_key)
       WHERE NOT m.on_attendance AND m.usable`,
    )
  ).getRowObjectsJson() as Row[];
  connection.closeSync();
  instance.closeSync();
  const rows: Measured[] = raw.map((r) => {
    const num = (k: string) => (r[k] == null ? Number.NaN : Number(r[k]));
    const wb = num('baseline_weeks');
    const wa = num('after_weeks');
    const w = num('window_weeks');
    const countB = num('baseline_negative_per_week') * wb;
    const countA = num('after_negative_per_week') * wa;
    return {
      measured_id: String(r.measured_id), student_id: String(r.student_id), focus: String(r.focus), nearness: num('nearness'),
      baseline_weeks: wb, after_weeks: wa, window_weeks: w, b: num('baseline_negative_per_week'), a: num('after_negative_per_week'),
      x1: num('x1'), x2: num('x2'), y: num('y'), adjustment: num('adjustment'), did: r.did == null ? null : Number(r.did), countB, countA,
      logChange: Math.log((countA + PSEUDO_COUNT) / wa) - Math.log((countB + PSEUDO_COUNT) / wb),
      logRun: Math.log((2 * num('x1') + PSEUDO_COUNT) / 2),
      logLevel: Math.log(((w - 2) * num('x2') + PSEUDO_COUNT) / (w - 2)),
    };
  });
  const comparisons = rows.filter((r) => r.nearness > 0 && Number.isFinite(r.y));
  const [g1, g2] = slopes(comparisons.map((c) => ({ y: c.logChange, x1: c.logRun, x2: c.logLevel, w: 1 })));
  // Each intervention's pupil (nearness 0) with its comparison pupils.
  const byIntervention = new Map<string, { pupil: Measured; comparisons: Measured[] }>();
  raw.forEach((r, i) => {
    const key = `${r.intervention_id}|${r.student_id}`;
    const set = byIntervention.get(key) ?? { pupil: rows[i], comparisons: [] };
    if (rows[i].nearness === 0) set.pupil = rows[i];
    else set.comparisons.push(rows[i]);
    byIntervention.set(key, set);
  });
  const behaviour = [...byIntervention.values()].filter((s) => s.pupil.nearness === 0 && s.pupil.focus === 'behaviour' && s.pupil.did != null && s.comparisons.length > 0);
  const pupils = [...new Set(rows.map((r) => r.measured_id))];
  const random = generator(seed * 7919);
  const draws: Map<string, number>[] = [];
  for (let rep = 0; rep <= REPS; rep++) draws.push(new Map(pupils.map((p) => [p, rep === 0 ? 1 : poisson1(random())])));

  const estimate = (rep: number) => {
    const weight = (id: string) => draws[rep].get(id) ?? 0;
    const [h1, h2] = rep === 0 ? [0, 0] : slopes(comparisons.map((c) => ({ y: c.y, x1: c.x1, x2: c.x2, w: weight(c.measured_id) })).filter((p) => p.w > 0));
    let did = 0;
    let cf = 0;
    let didRefit = 0;
    let cfRefit = 0;
    let logSum = 0;
    let logAdjSum = 0;
    let weights = 0;
    const dids: number[] = [];
    const cfs: number[] = [];
    const afters: number[] = [];
    const ws: number[] = [];
    const conditional: { after: number; total: number; ratio: number; w: number }[] = [];
    for (const { pupil, comparisons: cs } of behaviour) {
      const w = weight(pupil.measured_id);
      if (!w) continue;
      let cw = cs.reduce((s, c) => s + weight(c.measured_id), 0);
      const cWeight = (c: Measured) => (cw > 0 ? weight(c.measured_id) : 1);
      if (cw === 0) cw = cs.length;
      const cMean = (f: (c: Measured) => number) => cs.reduce((s, c) => s + cWeight(c) * f(c), 0) / cw;
      const counterfactual = Math.max(0, pupil.b + cMean((c) => c.y) + pupil.adjustment);
      const refit = rep === 0 ? counterfactual : Math.max(0, pupil.b + cMean((c) => c.y) + h1 * (pupil.x1 - cMean((c) => c.x1)) + h2 * (pupil.x2 - cMean((c) => c.x2)));
      did += w * (pupil.a - counterfactual);
      cf += w * counterfactual;
      didRefit += w * (pupil.a - refit);
      cfRefit += w * refit;
      dids.push(pupil.a - counterfactual);
      cfs.push(counterfactual);
      afters.push(pupil.a);
      ws.push(w);
      const logTrend = cMean((c) => c.logChange);
      const logAdjustment = g1 * (pupil.logRun - cMean((c) => c.logRun)) + g2 * (pupil.logLevel - cMean((c) => c.logLevel));
      logSum += w * (pupil.logChange - logTrend);
      logAdjSum += w * (pupil.logChange - logTrend - logAdjustment);
      weights += w;
      conditional.push({ after: pupil.countA, total: pupil.countA + pupil.countB, ratio: Math.exp(logTrend + logAdjustment) * (pupil.after_weeks / pupil.baseline_weeks), w });
    }
    const median = weightedMedian(dids, ws);
    const halfWidth = 3 * 1.4826 * weightedMedian(dids.map((d) => Math.abs(d - median)), ws);
    const robust = dids.reduce((s, d, i) => s + ws[i] * (halfWidth > 0 ? Math.max(median - halfWidth, Math.min(median + halfWidth, d)) : d), 0);
    let logTheta = Math.log(0.7);
    for (let it = 0; it < 30; it++) {
      let score = 0;
      let information = 0;
      for (const p of conditional) {
        const odds = Math.exp(logTheta) * p.ratio;
        const share = odds / (1 + odds);
        score += p.w * (p.after - p.total * share);
        information += p.w * p.total * share * (1 - share);
      }
      logTheta += score / information;
    }
    const afterSum = did + cf;
    const variance = afters.reduce((s, a, i) => s + ws[i] * (a / afterSum - cfs[i] / cf) ** 2, 0);
    return {
      ratio: did / cf, refit: didRefit / cfRefit, robust: robust / cf, logDid: Math.exp(logSum / weights) - 1, logDidAdj: Math.exp(logAdjSum / weights) - 1,
      condPois: Math.exp(logTheta) - 1, logRatio: Math.log(afterSum / cf), logSe: Math.sqrt(variance), afters, cfs, afterSum, cf,
    };
  };
  const point = estimate(0);
  const resampled = Array.from({ length: REPS }, (_, i) => estimate(i + 1));
  const line: string[] = [];
  const percentile = (k: 'ratio' | 'refit' | 'robust' | 'logDid' | 'logDidAdj' | 'condPois') =>
    [quantile(resampled.map((r) => r[k]), 0.025), quantile(resampled.map((r) => r[k]), 0.975)];
  const [lo, hi] = percentile('ratio');
  record('ratio', point.ratio, lo, hi, line);
  record('basic', point.ratio, Math.max(-1, 2 * point.ratio - hi), 2 * point.ratio - lo, line);
  // BCa: bias from the share of resamples below the estimate, acceleration from the jackknife.
  const ratios = resampled.map((r) => r.ratio);
  const z0 = normalQuantile(ratios.filter((x) => x < point.ratio).length / ratios.length);
  const jack = point.afters.map((a, i) => (point.afterSum - a) / (point.cf - point.cfs[i]) - 1);
  const jackMean = jack.reduce((s, x) => s + x, 0) / jack.length;
  const acceleration = jack.reduce((s, x) => s + (jackMean - x) ** 3, 0) / (6 * jack.reduce((s, x) => s + (jackMean - x) ** 2, 0) ** 1.5);
  const bcaLevel = (alpha: number) => {
    const z = normalQuantile(alpha);
    return normalCdf(z0 + (z0 + z) / (1 - acceleration * (z0 + z)));
  };
  record('bca', point.ratio, quantile(ratios, bcaLevel(0.025)), quantile(ratios, bcaLevel(0.975)), line);
  const t = resampled.map((r) => (r.logRatio - point.logRatio) / r.logSe);
  record('tlog', point.ratio, Math.exp(point.logRatio - quantile(t, 0.975) * point.logSe) - 1, Math.exp(point.logRatio - quantile(t, 0.025) * point.logSe) - 1, line);
  for (const k of ['refit', 'robust', 'logDid', 'logDidAdj', 'condPois'] as const) {
    const [l, h] = percentile(k);
    record(k, point[k], l, h, line);
  }
  console.log(`seed ${seed} (${behaviour.length} behaviour interventions): ${line.join('; ')}`);
}
for (const [method, t] of Object.entries(tally)) {
  console.log(`${method.padEnd(10)} holds −35% in ${t.held} of ${t.seeds}; mean estimate ${(100 * (t.short / t.seeds)).toFixed(1)} points above −35%`);
}
