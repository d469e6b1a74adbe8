import {html} from "npm:htl";
import {number} from "./format.js";

/** The three ways of picking pupils that the backtest compares, in the order shown. */
export const BACKTEST_RULES = [
  {rule: "watchlist", label: "The watchlist (risk score)", short: "the watchlist", colour: "#e15759"},
  {rule: "recent_negatives", label: "Most negative events in the last 6 school weeks", short: "most negative events in 6 weeks", colour: "#f28e2b"},
  {rule: "bsc_this_year", label: "Most BSC placements so far this year", short: "most BSC placements this year", colour: "#76b7b2"}
];

/**
 * One period's totals per rule, in the order shown (rows of mart_watchlist_backtest_totals for
 * one school: weeks, pupil-weeks, hit rate, recall, base rate and lift, summed over the period's
 * weeks in the mart). A rule with no week in the period has no row: no weeks, no rates.
 */
export function backtestTotals(totals, period) {
  return BACKTEST_RULES.map(({rule, label, short, colour}) => {
    const t = totals.find((d) => d.period === period && d.rule === rule);
    return {rule, label, short, colour, weeks: t?.weeks ?? 0, picked: t?.picked ?? 0, hits: t?.picked_with_outcome ?? 0,
      outcomes: t?.pupils_with_outcome ?? 0, roll: t?.pupils_on_roll ?? 0,
      hitRate: t?.hit_rate_pct ?? null, recall: t?.recall_pct ?? null, baseRate: t?.base_rate_pct ?? null, lift: t?.lift ?? null};
  });
}

/** The three-way comparison as a table: hit rate in the top N, recall and lift, on the test weeks and the fitting weeks (rows of mart_watchlist_backtest_totals). */
export function backtestSummaryTable(totals, {top = 20} = {}) {
  const test = backtestTotals(totals, "test");
  const fitting = backtestTotals(totals, "fitting");
  const pct = (v) => (v === null ? "–" : `${number(v, 1)}%`);
  const times = (v) => (v === null ? "–" : `${number(v, 1)}×`);
  return html`<table class="pupil-list backtest-summary">
    <thead>
      <tr><th rowspan="2">Pupils picked each week</th><th colspan="3" class="num">Test weeks (Spring and Summer)</th><th colspan="3" class="num muted">Fitting weeks (early Autumn)</th></tr>
      <tr><th class="num">Hit rate, top ${top}</th><th class="num">Recall</th><th class="num">Lift</th><th class="num muted">Hit rate</th><th class="num muted">Recall</th><th class="num muted">Lift</th></tr>
    </thead>
    <tbody>${test.map((t, i) => html`<tr data-rule=${t.rule}>
      <td><span class="swatch" style=${{background: t.colour}}></span> ${t.label}</td>
      <td class="num" title=${`${t.hits} of ${t.picked} pupil-weeks`}><strong>${pct(t.hitRate)}</strong></td>
      <td class="num" title=${`${t.hits} of ${t.outcomes} pupil-weeks with the outcome`}>${pct(t.recall)}</td>
      <td class="num">${times(t.lift)}</td>
      <td class="num muted">${pct(fitting[i].hitRate)}</td>
      <td class="num muted">${pct(fitting[i].recall)}</td>
      <td class="num muted">${times(fitting[i].lift)}</td>
    </tr>`)}</tbody>
  </table>`;
}
