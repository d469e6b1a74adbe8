import * as Inputs from "npm:@observablehq/inputs";
import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {nationalRule} from "./school-measures.js";
import {schoolTrend, tooManyToColour} from "./school-trend.js";

/** The "Pick out in the charts" filter when there are more schools than colours (schoolTrend's `highlight`); else null. */
export function pickOutInput(schools) {
  return tooManyToColour(schools) ? Inputs.select(schools, {label: "Pick out in the charts"}) : null;
}

/**
 * The schools comparison's week-by-week charts (rows of schoolWeeks), a card each; the BSC and
 * suspension charts only in the staff build (too few a week to show without identifying pupils).
 * `highlight`: the school picked out when there are more schools than colours (schoolTrend).
 */
export function schoolTrendCards(rows, {schools, measures, aggregate, highlight = null}) {
  const [, attendance, pa, , suspensions] = measures;
  const card = (title, chart) => html`<div class="card">
      <h2>${title}</h2>
      ${resize((width) => chart(width))}
    </div>`;
  const note = highlight === null ? "" : html`<p class="muted small">${schools.length} schools: each school is a grey line (point at one for its name), and ${highlight}, picked out above, is the blue line.</p>`;
  return html`${note}<div class="grid grid-cols-2">
    ${card("Negative events per 100 pupils, each week", (width) => schoolTrend(rows, {width, highlight, y: "negative_per_100", label: "Negative events per 100 pupils", schools}))}
    ${card("Attendance, each week (% of possible sessions)", (width) => schoolTrend(rows, {width, highlight, y: "attendance_pct", label: "Attendance (%)", schools, benchmark: nationalRule(attendance), zero: false}))}
    ${card("Persistently absent so far (% of pupils on roll)", (width) => schoolTrend(rows, {width, highlight, y: "pa_pct", label: "Persistently absent (%)", schools, benchmark: nationalRule(pa)}))}
    ${aggregate ? "" : card("BSC placements per 100 pupils, added up from the start of the period", (width) => schoolTrend(rows, {width, highlight, y: "bsc_per_100_so_far", label: "BSC placements per 100 pupils", schools}))}
    ${aggregate ? "" : card("Suspensions per 100 pupils, added up from the start of the period", (width) => schoolTrend(rows, {width, highlight, y: "suspensions_per_100_so_far", label: "Suspensions per 100 pupils", schools, benchmark: nationalRule(suspensions, ", full year")}))}
  </div>`;
}
