import {html} from "npm:htl";
import {number} from "./format.js";

/** The three ways of picking pupils that the backtest compares, in the order shown. */
export const BACKTEST_RULES = [
  {rule: "watchlist", label: "The watchlist (risk score)", short: "the watchlist", colour: "#e15759"},
  {rule: "recent_negatives", label: "Most negative events in the last 6 school weeks", short: "most negative events in 6 weeks", colour: "#f28e2b"},
  {rule: "bsc_this_year", label: "Most BSC placements so far this year", short: "most BSC placements this year", colour: "#76b7b2"}
];

/**
 * Backtest rows (one per week and rule) summed over the weeks of one period: per rule, hit rate
 * (picked pupils who went on to the outcome ÷ picked), recall (÷ all pupils who went on to it)
 * and lift (hit rate ÷ base rate), each over pupil-weeks.
 */
export function backtestTotals(rows, period) {
  const inPeriod = rows.filter((d) => d.period === period);
  const sum = (list, key) => list.reduce((n, d) => n + (d[key] ?? 0), 0);
  return BACKTEST_RULES.map(({rule, label, short, colour}) => {
    const r = inPeriod.filter((d) => d.rule === rule);
    const picked = sum(r, "picked"), hits = sum(r, "picked_with_outcome"), outcomes = sum(r, "pupils_with_outcome"), roll = sum(r, "pupils_on_roll");
    const hitRate = picked > 0 ? (100 * hits) / picked : null;
    const baseRate = roll > 0 ? (100 * outcomes) / roll : null;
    return {rule, label, short, colour, weeks: r.length, picked, hits, outcomes, roll,
      hitRate, recall: outcomes > 0 ? (100 * hits) / outcomes : null, baseRate, lift: hitRate !== null && baseRate ? hitRate / baseRate : null};
  });
}

/** The three-way comparison as a table: hit rate in the top N, recall and lift, on the test weeks and the fitting weeks. */
export function backtestSummaryTable(rows, {top = 20} = {}) {
  const test = backtestTotals(rows, "test");
  const fitting = backtestTotals(rows, "fitting");
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
