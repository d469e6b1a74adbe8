// The BSC page's chart cards (the contents of a card each): placements each week, by reason,
// the re-referral curve, and how placements went. `placements`: rows of bsc-placements for
// the chosen school, year, term and year group; `headline`: that period's row of bsc-repeat.
import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {bscReasons} from "./bsc-reasons.js";
import {bscShares} from "./bsc-shares.js";
import {bscWeekly} from "./bsc-weekly.js";
import {kmCurve} from "./km-curve.js";

const SHARES = {
  booklet: {title: "Booklet work completed (placements)", order: ["completed", "partial", "not completed"], label: "Booklet completion"},
  conduct: {title: "Conduct in the BSC (placements)", order: ["good", "satisfactory", "poor"], label: "Conduct"},
  outcome: {title: "Outcome of the placement (placements)", order: ["completed", "extended", "escalated", "sent home", "suspended"], label: "Outcome"}
};

/** "No BSC placements were recorded for …": what a chart card says when the period had none. */
export function noPlacements(periodLabel) {
  return html`<p class="empty">No BSC placements were recorded for ${periodLabel}.</p>`;
}

/** Placements each school week, stacked by year group when all year groups are chosen: rows of bsc-weekly for the chosen period and year group. */
export function weeklyChart(weeks, {byYearGroup, periodLabel}) {
  return weeks.length > 0 ? resize((width) => bscWeekly(weeks, {width, byYearGroup})) : noPlacements(periodLabel);
}

/** Placements by reason, with the repeats marked: rows of bsc-reasons for the chosen period and year group. */
export function reasonsChart(reasons, {windowDays, periodLabel}) {
  return reasons.length > 0 ? resize((width) => bscReasons(reasons, {width, windowDays})) : noPlacements(periodLabel);
}

/** The three "how placements went" cards: booklet, conduct and outcome shares, from the period's row of mart_bsc_repeat (undefined: nothing placed). */
export function shareCards(headline, {periodLabel}) {
  return html.fragment`${Object.entries(SHARES).map(([field, {title, order, label}]) => html`<div class="card">
    <h2>${title}</h2>
    ${headline?.placements > 0 ? resize((width) => bscShares(headline, {width, field, order, label})) : noPlacements(periodLabel)}
  </div>`)}`;
}

/** The Kaplan–Meier re-referral curve over a year's placements (rows of mart_bsc_rereferral_curve for one school and year), with how to read it. */
export function curveChart(curveRows, {windowDays, academicYear}) {
  return curveRows.length > 0
    ? html`<div>${resize((width) => kmCurve(curveRows, {width, windowDays}))}<p class="muted small">Kaplan–Meier estimate over every placement this academic year, all year groups and terms (the Year group and Term filters do not apply). A placement with no later one counts for as long as the data runs, so recent placements are not mistaken for successes. The curve stops where fewer than 10 placements are still being followed. It counts placements, so a pupil placed often counts often: it runs higher than the share of pupils above.</p></div>`
    : html`<p class="empty">No BSC placements in ${academicYear}, so there is no curve to draw.</p>`;
}
