import {html} from "npm:htl";
import {number} from "./format.js";
import {kpiCard} from "./kpi-card.js";
import {backtestSummaryTable, backtestTotals} from "./watchlist-backtest-summary.js";

function testWeeksTotals(totals) {
  const [list, ...naive] = backtestTotals(totals, "test");
  return {list, naive};
}

/**
 * The backtest card's contents for one school (rows of mart_watchlist_backtest_totals): whether
 * the watchlist beat both naive rules on the test weeks, in words, then the three-way table.
 */
export function backtestVerdict(totals, {school, horizon, top}) {
  const {list, naive} = testWeeksTotals(totals);
  const bestNaive = naive.reduce((a, b) => ((b.hitRate ?? -1) > (a.hitRate ?? -1) ? b : a));
  const beatsBoth = list.hitRate !== null && naive.every((n) => n.hitRate === null || (list.hitRate > n.hitRate && list.recall > n.recall));
  return html.fragment`<h2>Hit rate, recall and lift: the watchlist against two naive rules, ${school}</h2>
  ${list.weeks > 0 ? html`<p class="verdict ${beatsBoth ? "good" : "bad"}">${beatsBoth
    ? `On the ${list.weeks} test weeks the watchlist's top ${top} went on to a repeat placement or suspension ${number(list.hitRate, 1)}% of the time, against ${number(bestNaive.hitRate, 1)}% for the better naive rule (${bestNaive.short}), and it caught more of the pupils who did (recall ${number(list.recall, 1)}%).`
    : `On the ${list.weeks} test weeks the watchlist does not beat the naive rules here: its top ${top} had a hit rate of ${number(list.hitRate, 1)}% and recall of ${number(list.recall, 1)}%, against ${number(bestNaive.hitRate, 1)}% and ${number(bestNaive.recall, 1)}% for the rule “${bestNaive.short}”. On this school's data the simpler rule picked better: use the list for its reasons, not its order.`}</p>` : html`<p class="empty">No Spring or Summer week at ${school} has ${horizon} school weeks of data after it yet, so the list cannot be tested; the figures below are the fitting weeks only.</p>`}
  ${backtestSummaryTable(totals, {top})}`;
}

/** Three cards: the watchlist's hit rate, recall and lift on the test weeks, with the naive rules' beside them. */
export function backtestKpis(totals, {top}) {
  const {list, naive} = testWeeksTotals(totals);
  return html.fragment`${kpiCard({title: `Hit rate, top ${top}, test weeks`, value: number(list.hitRate, 1), unit: "%", detail: `${number(list.hits)} of ${number(list.picked)} pupil-weeks; naive rules ${naive.map((n) => `${number(n.hitRate, 1)}%`).join(" and ")}`})}
  ${kpiCard({title: "Recall, test weeks", value: number(list.recall, 1), unit: "%", detail: `${number(list.hits)} of ${number(list.outcomes)} pupil-weeks with the outcome; naive rules ${naive.map((n) => `${number(n.recall, 1)}%`).join(" and ")}`})}
  ${kpiCard({title: "Lift, test weeks", value: list.lift === null ? "–" : `${number(list.lift, 1)}×`, detail: `base rate ${number(list.baseRate, 1)}%; naive rules ${naive.map((n) => (n.lift === null ? "–" : `${number(n.lift, 1)}×`)).join(" and ")}`})}`;
}
