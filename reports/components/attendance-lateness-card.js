import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {attendanceLateness} from "./attendance-lateness.js";
import {number} from "./format.js";

/**
 * The late-arrivals card: L and U sessions each week (rows of mart_attendance_week), and the
 * year's totals with average minutes late: the *_to_date figures of the year's last week.
 */
export function latenessCard(weeks, {academicYear, groupLabel, selectedWeek}) {
  const year = weeks.at(-1) ?? {};
  const lateL = year.late_before_close_sessions_to_date ?? 0;
  const lateU = year.late_after_close_sessions_to_date ?? 0;
  return html.fragment`<h2>Late arrivals each school week (sessions) — ${groupLabel}, ${academicYear}</h2>
    ${resize((width) => attendanceLateness(weeks, {width, selectedWeek}))}
    <p class="muted small">This year: ${number(lateL)} L marks (late before the register closed: counted as present${lateL > 0 ? `, ${number(year.avg_minutes_late_before_close_to_date, 0)} minutes late on average` : ""}) and ${number(lateU)} U marks (after it closed: an unauthorised absence${lateU > 0 ? `, ${number(year.avg_minutes_late_after_close_to_date, 0)} minutes on average` : ""}).</p>`;
}
