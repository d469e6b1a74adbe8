import {html} from "npm:htl";
import {number} from "./format.js";
import {SCHOOL_COLOURS} from "./school-trend.js";

// The columns a measure is made of: a hidden one makes the figure "suppressed" (aggregate builds).
const MEASURE_COLUMNS = {
  negative_per_100: ["negative_events", "pupil_weeks"], attendance_pct: ["attending_sessions", "possible_sessions"],
  pa_pct: ["pupils_persistently_absent", "pupils_on_roll"], bsc_per_100: ["bsc_placements", "pupil_weeks"], suspensions_per_100: ["suspensions", "pupil_weeks"]
};

function suppressionOf(s, key) {
  const reasons = (MEASURE_COLUMNS[key] ?? []).map((c) => s.suppressed?.[c]).filter(Boolean);
  return reasons.length === 0 ? null : reasons.includes("fewer than 5") && reasons.every((r) => r === "fewer than 5") ? "<5" : "suppressed";
}

/**
 * The side-by-side table (a column per school from schoolSummary, a row per measure from
 * schoolMeasures, England last) and its notes; `threshold` is the small-count threshold of an
 * aggregate build (null for staff).
 */
export function schoolsTable(summary, measures, {aggregate, threshold, sources}) {
  return html.fragment`<table class="pupil-list">
      <thead><tr><th>Measure</th>${summary.map((s, i) => html`<th class="num"><span style="color:${SCHOOL_COLOURS[i]}">■</span> ${s.school_id}</th>`)}<th class="num">England (state secondary)</th></tr></thead>
      <tbody>
        ${measures.map((m) => html`<tr>
          <td>${m.label}<div class="muted small">${m.better} is better</div></td>
          ${summary.map((s) => html`<td class="num"><strong>${suppressionOf(s, m.key) ?? (s[m.key] === null || s[m.key] === undefined ? "–" : number(s[m.key], m.digits))}</strong></td>`)}
          <td class="num">${m.national ? html`${m.national.text}<div class="muted small">${m.national.source.academic_year}</div>` : html`<span class="muted">none published</span>`}</td>
        </tr>`)}
        <tr><td class="muted">Pupils on roll (average over the weeks) · weeks counted</td>${summary.map((s) => html`<td class="num muted">${s.averageRoll === null ? "suppressed" : number(s.averageRoll)} · ${s.weeks}</td>`)}<td></td></tr>
      </tbody>
    </table>
    <p class="muted small">BSC placements and suspensions are added up over the period and divided by the average roll, so a term's figure is smaller than a year's; the national suspension rate is for a whole year and is shown only for the whole year. National figures: ${sources.join("; ")}.</p>
    ${aggregate ? html`<p class="muted small"><strong>&lt;5</strong>: a count below ${threshold} (zero included), hidden so that no pupil can be recognised; <strong>suppressed</strong>: hidden as well, so that a hidden count cannot be worked out from a total (the figure may be ${threshold} or more).</p>` : ""}`;
}
