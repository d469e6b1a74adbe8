// mart_watchlist_backtest → per school, past week and rule (the watchlist and two naive rules):
// how many picked pupils went on to a repeat BSC placement or a suspension, against all pupils.
// totals/: mart_watchlist_backtest_totals, the same summed over each period's weeks per rule,
// with the hit rate, recall, base rate and lift the page shows.
// Aggregate counts only (no pupil is named).
// One part per school (src/page-data/page-parts.ts), in each: a page fetches the one on screen.
import { emitArchive, queryMart, runLoader, type PageMember } from '../../src/page-data/mart-export.ts';
import { partitionedMembers } from '../../src/page-data/page-parts.ts';

const totalColumns = ['school_id', 'period', 'rule', 'weeks', 'pupils_on_roll', 'pupils_with_outcome', 'picked', 'picked_with_outcome', 'hit_rate_pct', 'recall_pct', 'base_rate_pct', 'lift'];

await runLoader(async () => {
  const rows = await queryMart(`
    SELECT b.school_id, b.academic_year, b.week_start, b.period, b.rule, b.pupils_on_roll, b.pupils_with_outcome,
      b.picked, b.picked_with_outcome, b.base_rate_pct, b.hit_rate_pct, b.recall_pct, b.lift,
      s.watchlist_horizon_weeks, s.watchlist_top_pupils
    FROM mart_watchlist_backtest b CROSS JOIN settings s ORDER BY b.school_id, b.week_start, b.rule_order`);
  const totals = await queryMart(`SELECT ${totalColumns.join(', ')} FROM mart_watchlist_backtest_totals ORDER BY school_id, period, rule_order`);
  const inFolder = (folder: string, list: PageMember[]) => list.map((m) => ({ ...m, name: `${folder}/${m.name}` }));
  await emitArchive([
    ...partitionedMembers(rows, ['school_id', 'academic_year', 'week_start', 'period', 'rule', 'pupils_on_roll', 'pupils_with_outcome', 'picked', 'picked_with_outcome', 'base_rate_pct', 'hit_rate_pct', 'recall_pct', 'lift', 'watchlist_horizon_weeks', 'watchlist_top_pupils'], ['school_id']),
    ...inFolder('totals', partitionedMembers(totals, totalColumns, ['school_id'])),
  ]);
});
