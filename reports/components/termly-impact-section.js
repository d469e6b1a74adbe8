// Section 7 of the termly report: intervention impact as it stood at the end of the term
// (rows of termly-impact.json; the method is impact's, this only lays the figures out).
import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {impactForest} from "./termly-impact.js";
import {signedNumber} from "./signed-number.js";
import {termlyTable} from "./termly-table.js";

const impactOrder = (d) => (d.breakdown === "all" ? 0 : d.breakdown === "focus" ? 1 : 2);
// Foci pool every type aimed at the same thing ("attendance" → all attendance-focused support).
const impactLabel = (d) => (d.breakdown === "focus" ? `${d.label.charAt(0).toUpperCase()}${d.label.slice(1)}-focused (all types)` : d.label);
const countText = (value, suppression) => (suppression ? (suppression.startsWith("fewer") ? "<5" : "suppressed") : value === null ? "–" : String(value));
// The estimate, its interval, and in words what it says (or why there is none).
const verdictCell = (v, lo, hi, digits, verdict) => v === null
  ? html`<span class="termly-verdict">${verdict}</span>`
  : html`${signedNumber(v, digits)} <span class="termly-interval">(${signedNumber(lo, digits)} to ${signedNumber(hi, digits)})</span><br><span class="termly-verdict">${verdict}</span>`;

/** This school and term's impact rows, overall first, then by focus, then by type. */
export function termlyImpactRows(rows, {school, term}) {
  const impact = rows.filter((d) => d.school_id === school && d.term_index === term.term_index);
  return [...impact].sort((a, b) => impactOrder(a) - impactOrder(b) || a.label.localeCompare(b.label)).map((d) => ({...d, label: impactLabel(d)}));
}

/** The estimates as a forest plot, and which types had too few pupils to say. */
export function impactChart(impactShown, v) {
  const minPupils = v.settings.impact_min_pupils;
  return html.fragment`<div class="termly-chart">${impactShown.some((d) => d.enough_measured) ? resize((width) => impactForest(impactShown, {width})) : html`<p class="empty">No intervention type had ${minPupils} or more pupils measured by the end of this term, so there is no estimate to draw.</p>`}</div>
${impactShown.some((d) => !d.enough_measured) ? html`<p class="termly-note">Too few pupils to say (fewer than ${minPupils} measured): ${impactShown.filter((d) => !d.enough_measured).map((d) => d.label).join(", ")}.</p>` : ""}`;
}

/** Started, measured and the two estimates for each focus and type. */
export function impactTable(impactShown, v) {
  return impactShown.length > 0 ? termlyTable(impactShown, [
  {label: "Intervention", align: "left", value: (d) => d.label},
  {label: "Started this year", count: true, value: (d) => countText(d.interventions_started, d.interventions_started_suppression)},
  {label: html`Measured<br><span class="termly-unit">${v.settings.impact_window_weeks} weeks on</span>`, count: true, value: (d) => countText(d.interventions_measured, d.interventions_measured_suppression)},
  {label: html`Negative events<br><span class="termly-unit">per pupil per week, vs similar pupils (95% interval)</span>`, value: (d) => verdictCell(d.negative_did, d.negative_did_low, d.negative_did_high, 2, d.behaviour_verdict)},
  {label: html`Attendance<br><span class="termly-unit">percentage points, vs similar pupils (95% interval)</span>`, value: (d) => verdictCell(d.attendance_did, d.attendance_did_low, d.attendance_did_high, 1, d.attendance_verdict)}
]) : html`<p class="empty">No interventions had started by the end of this term.</p>`;
}
