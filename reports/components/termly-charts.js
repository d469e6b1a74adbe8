// The termly report's charts (v from termlyView), each sized to its card.
import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {figureBars} from "./termly-bars.js";
import {termTrend} from "./termly-term-trend.js";
import {weeklyYearGroupTrend} from "./termly-weekly-trend.js";

/** 2. Negative events per 100 pupils per week, term by term (the last six terms), a line per year group; when every figure is hidden, says so rather than draw empty axes. */
export function termByTermChart(v) {
  const {report, school, term} = v;
  const series = report.series(school, "negative_per_100_per_week", "year_group", term.term_index);
  if (!series.some((d) => !d.suppressed && d.value !== null)) return html`<p class="empty">Every year group's figure is suppressed (fewer than 5 pupils or events), so there is no line to draw.</p>`;
  return resize((width) => termTrend(series, {width, termLabels: report.terms(school).filter((t) => t.term_index <= term.term_index).slice(-6).map((t) => t.term_label), labels: v.yearGroupLabels, yLabel: "Negative events per 100 pupils per week"}));
}

/** 2. The same, week by week this term. */
export function weekByWeekChart(v) {
  return v.at.weekly().length > 0 ? resize((width) => weeklyYearGroupTrend(v.at.weekly(), {width, labels: v.yearGroupLabels})) : html`<p class="empty">No school weeks in this term.</p>`;
}

/** 3. BSC placements per 100 pupils, by year group. */
export function bscBars(v) {
  return resize((width) => figureBars(v.at.list("bsc_placements", "year_group"), {width, xLabel: "Placements per 100 pupils this term", marginLeft: 70}));
}

/** 4. Reasons for suspension this term, most given first. */
export function suspensionReasonBars(v) {
  const reasons = v.at.list("suspensions_by_reason", "reason");
  return reasons.length > 0 ? resize((width) => figureBars(reasons.sort((a, b) => (b.value ?? -1) - (a.value ?? -1)), {width, xLabel: "% of this term's suspensions", digits: 0, suffix: "%", fill: "#D55E00"})) : html`<p class="empty">No suspensions this term.</p>`;
}

/** 4. Suspensions per 100 pupils, by year group. */
export function suspensionBars(v) {
  return resize((width) => figureBars(v.at.list("suspensions", "year_group"), {width, xLabel: "Suspensions per 100 pupils this term", marginLeft: 80, fill: "#D55E00"}));
}
