import {html} from "npm:htl";
import {number} from "./format.js";
import {SCHOOL_COLOURS} from "./school-trend.js";

/** A hidden figure's mark (aggregate builds: the mart's <measure>_suppression), or null when it is shown. */
function suppressionOf(s, key) {
  const why = s[`${key}_suppression`];
  return why === null || why === undefined ? null : why === "fewer than 5" ? "<5" : "suppressed";
}

/**
 * The side-by-side table (a column per school: its period row from schoolSummary; a row per
 * measure from schoolMeasures, England last) and its notes; `threshold` is the small-count threshold of an
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
        <tr><td class="muted">Pupils on roll (average over the weeks) · weeks counted</td>${summary.map((s) => html`<td class="num muted">${s.average_roll === null ? "suppressed" : number(s.average_roll)} · ${s.weeks}</td>`)}<td></td></tr>
      </tbody>
    </table>
    <p class="muted small">BSC placements and suspensions are added up over the period and divided by the average roll, so a term's figure is smaller than a year's; the national suspension rate is for a whole year and is shown only for the whole year. National figures: ${sources.join("; ")}.</p>
    ${aggregate ? html`<p class="muted small"><strong>&lt;5</strong>: a count below ${threshold} (zero included), hidden so that no pupil can be recognised; <strong>suppressed</strong>: hidden as well, so that a hidden count cannot be worked out from a total (the figure may be ${threshold} or more).</p>` : ""}`;
}
