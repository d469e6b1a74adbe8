import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {bySchoolId} from "./school-order.js";
import {number} from "./format.js";
import {schoolColour} from "./school-trend.js";

/** A hidden figure's mark (aggregate builds: the mart's <measure>_suppression), or null when it is shown. */
function suppressionOf(s, key) {
  const why = s[`${key}_suppression`];
  return why === null || why === undefined ? null : why === "fewer than 5" ? "<5" : "suppressed";
}

/**
 * The schools' period rows (schoolSummary) in the order chosen: by school id, or by a measure's
 * key, best first (measure.better), a hidden or missing figure last, ties by school id.
 */
export function orderSchools(summary, measures, order) {
  const measure = measures.find((m) => m.key === order);
  const byId = (a, b) => bySchoolId(a.school_id, b.school_id);
  if (!measure) return [...summary].sort(byId);
  const value = (s) => (suppressionOf(s, measure.key) === null && typeof s[measure.key] === "number" ? s[measure.key] : null);
  const sign = measure.better === "higher" ? -1 : 1;
  return [...summary].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === null || y === null) return (x === null) - (y === null) || byId(a, b);
    return sign * (x - y) || byId(a, b);
  });
}

/** The "Order schools by" filter: by school, or best first on one of `measures` (a trust's league table); its value is orderSchools' `order`. */
export function orderInput(measures) {
  const label = (key) => (key === "school" ? "School" : measures.find((m) => m.key === key).label);
  return Inputs.select(["school", ...measures.map((m) => m.key)], {label: "Order schools by", format: label});
}

/**
 * The side-by-side table: a row per school (its period row from schoolSummary, in the order
 * given), a column per measure (schoolMeasures), England's figures in the last row, and its
 * notes. A row per school, not a column, so that a trust of thirty schools reads down one
 * column per measure within the page's width. `schools` is every school in the chart's order
 * (for its colour); `threshold` is the small-count threshold of an aggregate build (null for staff).
 */
export function schoolsTable(summary, measures, {schools, aggregate, threshold, sources}) {
  // The school's colour in the charts; none when there are too many schools to colour each.
  const swatch = (colour) => (colour === null ? "" : html`<span style="color:${colour}">■</span> `);
  const figure = (s, m) => suppressionOf(s, m.key) ?? (s[m.key] === null || s[m.key] === undefined ? "–" : number(s[m.key], m.digits));
  return html.fragment`<div class="table-scroll"><table class="pupil-list schools-table">
      <thead><tr><th>School</th>${measures.map((m) => html`<th class="num">${m.label}<div class="muted small">${m.better} is better</div></th>`)}<th class="num">Pupils on roll (average over the weeks) · weeks counted</th></tr></thead>
      <tbody>
        ${summary.map((s) => html`<tr>
          <th scope="row">${swatch(schoolColour(schools, s.school_id))}${s.school_id}</th>
          ${measures.map((m) => html`<td class="num"><strong>${figure(s, m)}</strong></td>`)}
          <td class="num muted">${s.average_roll === null ? "suppressed" : number(s.average_roll)} · ${s.weeks}</td>
        </tr>`)}
        <tr class="national"><th scope="row">England (state secondary)</th>${measures.map((m) => html`<td class="num">${m.national ? html`${m.national.text}<div class="muted small">${m.national.source.academic_year}</div>` : html`<span class="muted">none published</span>`}</td>`)}<td></td></tr>
      </tbody>
    </table></div>
    <p class="muted small">BSC placements and suspensions are added up over the period and divided by the average roll, so a term's figure is smaller than a year's; the national suspension rate is for a whole year and is shown only for the whole year. National figures: ${sources.join("; ")}.</p>
    ${aggregate ? html`<p class="muted small"><strong>&lt;5</strong>: a count below ${threshold} (zero included), hidden so that no pupil can be recognised; <strong>suppressed</strong>: hidden as well, so that a hidden count cannot be worked out from a total (the figure may be ${threshold} or more).</p>` : ""}`;
}
