// mart_watchlist_backtest → per past week: the top 20's hit rate against the base rate.
import { queryMart, runLoader, writeJson } from '../../src/reports/mart-export.ts';

await runLoader(async () => {
  writeJson(await queryMart(`
    SELECT b.school_id, b.academic_year, b.week_start, b.pupils_on_roll, b.pupils_with_outcome, b.top_ranked,
      b.top_ranked_with_outcome, b.base_rate_pct, b.hit_rate_pct, b.lift, s.watchlist_horizon_weeks
    FROM mart_watchlist_backtest b CROSS JOIN settings s ORDER BY b.school_id, b.week_start`));
});
