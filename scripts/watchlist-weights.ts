// How the watchlist's risk-score weights were chosen, reproducibly: for each candidate set of
// weights on a small grid, the number of top-N pupils (settings.watchlist_top_pupils) who went
// on to a repeat BSC placement or a suspension, summed over the FITTING weeks of each modelled
// warehouse given (mart_watchlist_backtest.period), and, beside it, over the TEST weeks. The
// weights are chosen by the fitting column only; the test column is there to report, not to
// choose by. Candidates are printed best-on-fitting first.
// Run: npx tsx scripts/watchlist-weights.ts data/demo.duckdb [more.duckdb …]
// (each a warehouse built by `pastoral models`, e.g. demo seeds 1–4: `pastoral demo --seed K`).
import { openWarehouse, queryRows } from '../src/warehouse/warehouse.ts';

interface Weights { previous3: number; yearRate: number; bsc4: number; serious6: number }

const grid: Weights[] = [];
for (const previous3 of [0, 0.5, 1]) for (const yearRate of [1.5, 3, 4.5, 6]) for (const bsc4 of [2, 3, 4]) for (const serious6 of [0, 1]) grid.push({ previous3, yearRate, bsc4, serious6 });

const score = (w: Weights) =>
  `negative_last_3_weeks + ${w.previous3} * (negative_last_6_weeks - negative_last_3_weeks) + ${w.yearRate} * negative_per_week_this_year + ${w.bsc4} * bsc_last_4_weeks + ${w.serious6} * serious_last_6_weeks`;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npx tsx scripts/watchlist-weights.ts WAREHOUSE.duckdb [...]');
  process.exit(2);
}
const totals = grid.map(() => ({ fitting: 0, test: 0 }));
for (const file of files) {
  const warehouse = await openWarehouse(file, { readOnly: true });
  try {
    const columns = grid.map((w, i) => `(${score(w)})::DOUBLE AS s${i}`).join(', ');
    const rows = await queryRows<{ candidate: string; period: 'fitting' | 'test'; hits: number }>(warehouse.connection, `
      WITH s AS (SELECT watchlist_horizon_weeks AS h, watchlist_top_pupils AS n FROM settings),
      outcome_weeks AS (
        SELECT school_id, student_id, week_index FROM int_pupil_week_indexed WHERE suspensions_started > 0
        UNION
        SELECT r.school_id, r.student_id, i.week_index FROM mart_bsc_referrals r
        JOIN (SELECT DISTINCT school_id, week_start, week_index FROM int_pupil_week_indexed) i
          ON i.school_id = r.school_id AND i.week_start = school_week_start(r.date)
        WHERE r.is_repeat
      ),
      periods AS (SELECT DISTINCT school_id, week_start, period FROM mart_watchlist_backtest WHERE period IN ('fitting', 'test')),
      pupils AS (
        SELECT g.*, p.period, EXISTS (
          SELECT 1 FROM outcome_weeks o WHERE o.school_id = g.school_id AND o.student_id = g.student_id
            AND o.week_index BETWEEN g.week_index + 1 AND g.week_index + (SELECT h FROM s)) AS outcome,
          ${columns}
        FROM int_watchlist_signals g JOIN periods p USING (school_id, week_start)
      ),
      long AS (UNPIVOT pupils ON ${grid.map((_, i) => `s${i}`).join(', ')} INTO NAME candidate VALUE risk),
      ranked AS (
        SELECT *, row_number() OVER (PARTITION BY candidate, school_id, week_start ORDER BY risk DESC, student_id) AS pick
        FROM long WHERE risk > 0
      )
      SELECT candidate, period, count(*) FILTER (WHERE outcome)::INTEGER AS hits
      FROM ranked WHERE pick <= (SELECT n FROM s) GROUP BY ALL`);
    for (const r of rows) totals[Number(r.candidate.slice(1))][r.period] += r.hits;
  } finally {
    warehouse.close();
  }
}
const order = grid.map((w, i) => ({ w, ...totals[i] })).sort((a, b) => b.fitting - a.fitting || b.test - a.test);
console.log('fitting hits  test hits  weights (last 3 weeks = 1; previous 3 weeks, per week this year, BSC in 4 weeks, serious in 6 weeks)');
for (const o of order) console.log(`${String(o.fitting).padStart(12)}  ${String(o.test).padStart(9)}  ${o.w.previous3}, ${o.w.yearRate}, ${o.w.bsc4}, ${o.w.serious6}`);
