import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {attendanceLateness} from "./attendance-lateness.js";
import {number} from "./format.js";

const total = (weeks, field) => weeks.reduce((n, d) => n + d[field], 0);

/** The late-arrivals card: L and U sessions each week (rows of mart_attendance_week), and the year's totals with average minutes late. */
export function latenessCard(weeks, {academicYear, groupLabel, selectedWeek}) {
  const lateL = total(weeks, "late_before_close_sessions");
  const lateU = total(weeks, "late_after_close_sessions");
  const minutesL = total(weeks, "minutes_late_before_close");
  const minutesU = total(weeks, "minutes_late_after_close");
  return html.fragment`<h2>Late arrivals each school week (sessions) — ${groupLabel}, ${academicYear}</h2>
    ${resize((width) => attendanceLateness(weeks, {width, selectedWeek}))}
    <p class="muted small">This year: ${number(lateL)} L marks (late before the register closed: counted as present${lateL > 0 ? `, ${number(minutesL / lateL, 0)} minutes late on average` : ""}) and ${number(lateU)} U marks (after it closed: an unauthorised absence${lateU > 0 ? `, ${number(minutesU / lateU, 0)} minutes on average` : ""}).</p>`;
}
