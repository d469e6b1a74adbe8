import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {number} from "./format.js";
import {kpiCard} from "./kpi-card.js";
import {pupilAttendance} from "./pupil-attendance.js";
import {pupilTimeline} from "./pupil-timeline.js";

/** The pupil profile's year at a glance (y from pupilYear): four cards, the timeline and attendance each week. */
export function pupilSummary(pupil, academicYear, y) {
  return html`<h2>${academicYear}${academicYear === pupil.academic_year ? " (latest year)" : ""}</h2>
<div class="grid grid-cols-4">
  ${kpiCard({title: "Negative events", value: number(y.negative.length), detail: `${number(y.negativePoints)} negative points · ${number(y.positive.length)} positive events`, better: "down"})}
  ${kpiCard({title: "Attendance", value: number(y.attendancePct, 1), unit: y.attendancePct === null ? "" : "%", detail: y.possible > 0 ? `${number(y.attending)} of ${number(y.possible)} possible sessions${y.persistentlyAbsent ? " · persistently absent" : ""}` : "no attendance marks this year", better: "up"})}
  ${kpiCard({title: "BSC placements", value: number(y.bsc.length), detail: `${number(y.bsc.filter((d) => d.is_repeat).length)} repeat referral(s) · ${number(y.suspensions.length)} suspension(s)`, better: "down"})}
  ${kpiCard({title: "Detentions set", value: number(y.detentions.filter((d) => d.status !== "cancelled").length), detail: `${number(y.detentions.filter((d) => d.status === "missed").length)} missed · ${number(y.detentions.filter((d) => d.status === "attended").length)} attended`, better: "down"})}
</div>
<div class="card">
  <h2>Timeline, ${academicYear}: behaviour, BSC, detentions, suspensions, contacts and interventions</h2>
  <p class="muted small">One mark per day and kind (bigger when several fall on the same day); point at a mark for what happened. Blue bars, one row per type: interventions from start to end (to the right edge while still running).</p>
  ${y.yearRecords.length > 0 ? resize((width) => pupilTimeline(y.yearRecords, {width, start: y.yearStart, end: y.yearEnd})) : html`<p class="empty">Nothing is recorded for this pupil in ${academicYear}.</p>`}
</div>
<div class="card">
  <h2>Attendance each school week, ${academicYear} (% of possible sessions)</h2>
  <p class="muted small">Dashed line: 90%. A year below it is persistent absence. Weeks with no bar had no possible sessions for this pupil (holidays, or not yet on roll).</p>
  ${y.weeks.some((d) => d.possible_sessions > 0) ? resize((width) => pupilAttendance(y.weeks, {width})) : html`<p class="empty">No attendance marks for this pupil in ${academicYear}: the attendance export had no sessions for them.</p>`}
</div>`;
}
