import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {attendanceBands} from "./attendance-bands.js";
import {ukDate} from "./format.js";

/**
 * The attendance-bands card's contents: pupils in each band at the end of `week`, a bar per
 * year group (rows of mart_attendance_week for one school and year; the all-year-groups rows
 * are left out), for one year group or (yearGroup 0) all of them.
 */
export function bandsCard(rows, {week, yearGroup}) {
  const atWeek = rows.filter((d) => d.week_start === week && d.year_group !== 0 && (yearGroup === 0 || d.year_group === yearGroup));
  return html.fragment`<h2>Pupils by attendance band, year to date at w/c ${ukDate(week)} (% of pupils; labels are pupils)</h2>
    ${atWeek.some((d) => d.pupils_measured > 0) ? resize((width) => attendanceBands(atWeek, {width})) : html`<p class="empty">No pupil has a possible session yet this year.</p>`}`;
}
