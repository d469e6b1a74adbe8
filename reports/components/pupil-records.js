import {html} from "npm:htl";
import {ukDate} from "./format.js";
import {recordTable} from "./pupil-record-table.js";
import {DFE_REASONS} from "./suspension-reasons.js";

const section = (title, rows, empty, table, {scroll = false} = {}) => html`<div class="card">
  <h2>${title} (${rows.length})</h2>
  ${rows.length > 0 ? (scroll && rows.length > 12 ? html`<div class="scroll-box">${table()}</div>` : table()) : html`<p class="empty">${empty}</p>`}
</div>`;

/**
 * The pupil profile's record tables for one year (y from pupilYear): behaviour, BSC, detentions,
 * suspensions, interventions and contacts, each with its count. Free text (comments) is
 * inserted as text by recordTable, never as HTML.
 */
export function pupilRecords(y, academicYear) {
  const inYear = academicYear ?? "this year";
  return html`${section("Behaviour events, newest first", y.behaviour, `No behaviour events recorded in ${inYear}.`, () => recordTable(y.behaviour, [
  {label: "Date", value: (d) => ukDate(d.date)},
  {label: "Time", value: (d) => [d.time, d.period].filter(Boolean).join(" ")},
  {label: "Category", value: (d) => d.category},
  {label: "Points", value: (d) => (d.points > 0 ? `+${d.points}` : d.points), className: "num"},
  {label: "Where", value: (d) => [d.subject, d.location].filter(Boolean).join(" · ")},
  {label: "Staff", value: (d) => d.staff},
  {label: "Action", value: (d) => d.action},
  // Free text, exactly as typed: recordTable inserts it as text, never as HTML.
  {label: "Comment", value: (d) => d.comment, className: "comment"}
]), {scroll: true})}
${section("BSC placements, newest first", y.bsc, `No BSC placements in ${inYear}.`, () => recordTable(y.bsc, [
  {label: "Date", value: (d) => ukDate(d.date)},
  {label: "Periods", value: (d) => d.periods, className: "num"},
  {label: "Times", value: (d) => d.start_time ? `${d.start_time}–${d.end_time ?? "?"}` : ""},
  {label: "Reason", value: (d) => d.category},
  {label: "Referred by", value: (d) => d.staff},
  {label: "Booklet", value: (d) => d.booklet},
  {label: "Conduct", value: (d) => d.conduct},
  {label: "Outcome", value: (d) => d.outcome},
  {label: "Repeat referral", value: (d) => d.is_repeat ? html`<span class="flag repeat">repeat</span>` : "no"}
]), {scroll: true})}
${section("Detentions, newest first", y.detentions, `No detentions in ${inYear}.`, () => recordTable(y.detentions, [
  {label: "Date", value: (d) => ukDate(d.date)},
  {label: "Session", value: (d) => d.session},
  {label: "Minutes", value: (d) => d.minutes, className: "num"},
  {label: "Reason", value: (d) => d.category},
  {label: "Issued by", value: (d) => d.staff},
  {label: "Status", value: (d) => d.status}
]), {scroll: true})}
${section("Suspensions", y.suspensions, `No suspensions in ${inYear}.`, () => recordTable(y.suspensions, [
  {label: "Start", value: (d) => ukDate(d.date)},
  {label: "Type", value: (d) => d.status === "permanent" ? "Permanent exclusion" : "Suspension"},
  {label: "Sessions", value: (d) => d.sessions, className: "num"},
  {label: "Reason", value: (d) => d.category ? `${DFE_REASONS[d.category] ?? d.category} (${d.category})` : ""}
]))}
${section("Interventions running in the year", y.interventions, `No intervention ran in ${inYear}.`, () => recordTable(y.interventions, [
  {label: "Type", value: (d) => d.category},
  {label: "Focus", value: (d) => d.focus},
  {label: "Start", value: (d) => ukDate(d.date)},
  {label: "End", value: (d) => d.end_date ? ukDate(d.end_date) : "ongoing"},
  {label: "Status", value: (d) => d.status},
  {label: "Sessions attended", value: (d) => d.sessions_planned ? `${d.sessions ?? 0} of ${d.sessions_planned}` : d.sessions, className: "num"},
  {label: "Outcome", value: (d) => d.outcome},
  {label: "Staff", value: (d) => d.staff}
]))}
${section("Parent and carer contacts, newest first", y.contacts, `No parent or carer contacts recorded in ${inYear}.`, () => recordTable(y.contacts, [
  {label: "Date", value: (d) => ukDate(d.date)},
  {label: "Time", value: (d) => d.time},
  {label: "Method", value: (d) => d.method},
  {label: "Reason", value: (d) => d.category},
  {label: "Outcome", value: (d) => d.outcome},
  {label: "Staff", value: (d) => d.staff}
]), {scroll: true})}`;
}
