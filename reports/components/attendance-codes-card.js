import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {attendanceCodes} from "./attendance-codes.js";
import {number} from "./format.js";

/**
 * The register codes card: sessions by code other than the present marks (rows of
 * mart_attendance_codes for one school, year and group, the whole year: term 'All'), with the
 * present marks (is_present_mark, present_mark_sessions) and any retired codes named underneath.
 */
export function codesCard(rows, {academicYear, groupLabel}) {
  const presentMarks = rows[0]?.present_mark_sessions ?? 0;
  const otherCodes = rows.filter((d) => !d.is_present_mark);
  const retiredUsed = [...new Set(rows.filter((d) => d.is_retired).map((d) => d.code))];
  return html.fragment`<h2>Register codes used in ${academicYear}, other than present (sessions) — ${groupLabel}</h2>
    ${otherCodes.length > 0 ? resize((width) => attendanceCodes(otherCodes, {width})) : html`<p class="empty">Every mark in ${academicYear} was a present mark (/ or \\).</p>`}
    <p class="muted small">Not shown: ${number(presentMarks)} present marks (/ morning, \ afternoon). ${retiredUsed.length > 0 ? `Retired codes found in the data (${retiredUsed.join(", ")}) are counted as the DfE mapping says.` : "No retired codes in the data."}</p>`;
}
