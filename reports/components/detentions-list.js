import {html} from "npm:htl";
import {csvDownloadButton} from "./csv-download.js";
import {byName, pupilCell} from "./daily-list-columns.js";
import {dailyListTable} from "./daily-list-table.js";
import {longDate, ukDate} from "./format.js";

const SESSION_NAMES = {"break": "Break", "lunch": "Lunch", "after school": "After school", "slt": "SLT detention", "unspecified": "Session not given"};
const sessionName = (type) => SESSION_NAMES[type] ?? type.charAt(0).toUpperCase() + type.slice(1);

const CSV_COLUMNS = [
  {key: "date", label: "Date"}, {key: "session", label: "Session"}, {key: "last_name", label: "Surname"}, {key: "first_name", label: "First name"},
  {key: "form", label: "Form"}, {key: "year_group", label: "Year"}, {key: "minutes", label: "Minutes"}, {key: "reason", label: "Reason"},
  {key: "issued_by", label: "Issued by"}, {key: "status", label: "Status"}, {key: "student_id", label: "Pupil id"}
];

/** The day's detentions grouped by session (in the school's session order), each sorted by name. */
function detentionSessions(detentions) {
  return [...new Set(detentions.map((d) => `${d.session_order}|${d.type}`))].sort().map((key) => {
    const type = key.slice(key.indexOf("|") + 1);
    return {type, name: sessionName(type), rows: detentions.filter((d) => d.type === type).sort(byName)};
  });
}

/**
 * The detentions list for one school day (rows of mart_detention_list): a heading with the
 * print button and the CSV download, then one printable section per session.
 */
export function detentionsList(detentions, {day, school, printButton}) {
  const sessions = detentionSessions(detentions);
  const csv = csvDownloadButton(
    sessions.flatMap((s) => s.rows.map((d) => ({...d, session: s.name, date: ukDate(d.date)}))),
    CSV_COLUMNS,
    {filename: `detentions-${school}-${day}.csv`, label: "Download detentions as CSV"}
  );
  return html`<section class="print-section first">
    <h2>Detentions — ${longDate(day)} — ${school}</h2>
    <div class="no-print">${printButton}${csv}</div>
    ${sessions.length === 0 ? html`<p class="empty">No detentions are set for ${longDate(day)}.</p>` : ""}
  </section>
  ${sessions.map((s, i) => html`<section class=${i === 0 ? "print-section first" : "print-section"}>
    <h3>${s.name} — ${longDate(day)} — ${s.rows.length} detention${s.rows.length === 1 ? "" : "s"}${new Set(s.rows.map((d) => d.student_id)).size < s.rows.length ? `, ${new Set(s.rows.map((d) => d.student_id)).size} pupils` : ""}</h3>
    ${dailyListTable(s.rows, [
      {label: "Pupil", value: pupilCell},
      {label: "Form", value: (d) => d.form},
      {label: "Year", value: (d) => d.year_group, className: "num"},
      {label: "Minutes", value: (d) => d.minutes, className: "num"},
      {label: "Reason", value: (d) => d.reason},
      {label: "Issued by", value: (d) => d.issued_by},
      {label: "Status", value: (d) => d.status}
    ])}
  </section>`)}`;
}
