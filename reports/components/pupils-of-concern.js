import {html} from "npm:htl";
import {number} from "./format.js";
import {pupilLink} from "./pupil-link.js";
import {sparkline} from "./sparkline.js";

/**
 * The weekly review's pupils of concern: one row per pupil, most negative events first, each
 * with the last 8 weeks as a sparkline on the pupil's own scale (one pupil with 20 a week would
 * flatten everyone else's line) and its peak written beside it, BSC and missed detentions this
 * term, attendance this year and the support in place.
 */
export function pupilsOfConcernTable(rows) {
  const series = rows.map((d) => String(d.recent_negative_events ?? "").split(",").filter((v) => v !== "").map(Number));
  return html`<div class="table-scroll"><table class="pupil-list">
    <thead><tr>
      <th>Pupil</th><th>Form</th><th class="num">Negative events (week)</th><th>Last 8 weeks</th>
      <th class="num">BSC (term)</th><th class="num">Missed detentions (term)</th><th class="num">Attendance (year)</th><th>Intervention now</th>
    </tr></thead>
    <tbody>${rows.map((d, i) => html`<tr>
      <td>${pupilLink(d)}</td>
      <td>${d.form}</td>
      <td class="num"><strong>${d.negative_events}</strong>${d.rising ? html` <span class="flag rising" title="At least 2 more than their own average of the 4 weeks before">▲ rising</span>` : ""}
        <div class="muted small nowrap">4-wk avg ${d.negative_events_prev_4wk_avg === null ? "–" : number(d.negative_events_prev_4wk_avg, 1)}</div>${d.serious_events > 0 ? html`<div class="muted small nowrap">${d.serious_events} serious</div>` : ""}</td>
      <td class="nowrap">${sparkline(series[i], {width: 84, max: Math.max(3, ...series[i]), label: `Negative events in the last ${series[i].length} weeks, oldest first: ${series[i].join(", ")}`})} <span class="muted small">peak ${Math.max(0, ...series[i])}</span></td>
      <td class="num">${d.bsc_placements_term}${d.bsc_placements > 0 ? html`<div class="muted small">${d.bsc_placements} this week</div>` : ""}</td>
      <td class="num">${d.detentions_missed_term}</td>
      <td class="num ${d.attendance_pct_ytd !== null && d.attendance_pct_ytd < 90 ? "bad-text" : ""}">${d.attendance_pct_ytd === null ? "–" : `${number(d.attendance_pct_ytd, 1)}%`}</td>
      <td>${d.active_intervention_types ?? html`<span class="muted">None</span>`}</td>
    </tr>`)}</tbody>
  </table></div>`;
}
