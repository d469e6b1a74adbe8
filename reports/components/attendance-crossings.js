import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {number, ukDate} from "./format.js";

/**
 * The card listing the pupils who crossed an attendance threshold in one week (rows of
 * mart_attendance_threshold_crossings), or saying that none did. Every value is shown as text.
 */
export function crossingsCard(rows, {groupLabel, week, weekNumber}) {
  const table = Inputs.table(rows, {
    columns: ["pupil", "year_group", "form", "threshold", "previous_attendance_pct_to_date", "attendance_pct_to_date", "unauthorised_last_10_weeks"],
    header: {pupil: "Pupil", year_group: "Year", form: "Form", threshold: "Threshold crossed", previous_attendance_pct_to_date: "Attendance last week (%)", attendance_pct_to_date: "Attendance now (%)", unauthorised_last_10_weeks: "Unauthorised, 10 wks"},
    format: {previous_attendance_pct_to_date: (v) => number(v, 1), attendance_pct_to_date: (v) => number(v, 1)},
    layout: "auto",
    rows: 12.5,
    select: false
  });
  const none = html`<p class="empty">No pupil in ${groupLabel === "Whole school" ? "the school" : groupLabel} crossed an attendance threshold in the week commencing ${ukDate(week)}.${weekNumber <= 2 ? " Thresholds are only judged once a pupil has two school weeks of sessions." : ""}</p>`;
  return html.fragment`<h2>${rows.length} threshold${rows.length === 1 ? "" : "s"} crossed — ${groupLabel}, w/c ${ukDate(week)}</h2>
    ${rows.length > 0 ? table : none}
    <p class="muted small">Attendance is for the academic year so far. Persistent, severe and the 90–92.9% band are judged once a pupil has 20 possible sessions before the week, so one day off in September is not a "crossing". Penalty-notice threshold: 10 unauthorised sessions (codes G, N, O, U) within 10 school weeks, DfE 2024.</p>`;
}
