import {html} from "npm:htl";
import {csvDownloadButton} from "./csv-download.js";
import {pupilCell} from "./daily-list-columns.js";
import {dailyListTable} from "./daily-list-table.js";
import {longDate, ukDate} from "./format.js";

const CSV_COLUMNS = [
  {key: "list_date", label: "List date"}, {key: "date", label: "Incident date"}, {key: "time", label: "Time"}, {key: "last_name", label: "Surname"},
  {key: "first_name", label: "First name"}, {key: "form", label: "Form"}, {key: "year_group", label: "Year"}, {key: "category", label: "Category"},
  {key: "severity", label: "Severity"}, {key: "why_statement", label: "Why a statement"}, {key: "location", label: "Location"}, {key: "staff", label: "Staff"},
  {key: "school_days_waiting", label: "School days waiting"}, {key: "event_id", label: "Incident id"}, {key: "student_id", label: "Pupil id"}
];

/**
 * "In this school week: 7 of 12 such incidents (58%) had a statement the same school day, 9 (75%)
 * within 1 school day." (the week's row of mart_statements_on_time for all year groups, if any)
 */
function statementsOnTimeText(week) {
  const n = week?.incidents ?? 0;
  if (n === 0) return "No incident this school week needed a statement.";
  const pct = (v) => `${Math.round(v)}%`;
  return `In this school week: ${week.taken_same_day} of ${n} such incident${n === 1 ? "" : "s"} (${pct(week.same_day_pct_exact)}) had a statement the same school day, ${week.taken_within_1_day} (${pct(week.within_1_day_pct_exact)}) within 1 school day.`;
}

/** The incidents still waiting for a written statement at the end of one school day (rows of mart_statements_waiting), oldest first. */
export function statementsList(statements, {day, school, weekOnTime}) {
  const csv = csvDownloadButton(
    statements.map((d) => ({...d, list_date: ukDate(d.list_date), date: ukDate(d.date)})),
    CSV_COLUMNS,
    {filename: `statements-waiting-${school}-${day}.csv`, label: "Download statements waiting as CSV"}
  );
  return html`<section class="print-section">
    <h2>Statements still waiting — ${longDate(day)} — ${school}</h2>
    <p class="muted small">Incidents from the last 10 school days that need a written statement — serious (severity 4 or more), or led to a BSC placement or a suspension — with none recorded by the end of ${longDate(day)}. Oldest first. ${statementsOnTimeText(weekOnTime)}</p>
    <div class="no-print">${csv}</div>
    ${statements.length === 0 ? html`<p class="empty">No incident is waiting for a statement at the end of ${longDate(day)}.</p>` : dailyListTable(statements, [
      {label: "Incident", value: (d) => html`${ukDate(d.date)}<div class="muted small nowrap">${d.time ?? ""}</div>`},
      {label: "Pupil", value: pupilCell},
      {label: "Form", value: (d) => d.form},
      {label: "Year", value: (d) => d.year_group, className: "num"},
      {label: "Category", value: (d) => d.category},
      {label: "Severity", value: (d) => d.severity, className: "num"},
      {label: "Why a statement", value: (d) => d.why_statement},
      {label: "Where", value: (d) => d.location},
      {label: "Staff", value: (d) => d.staff},
      {label: "Waiting", value: (d) => (d.school_days_waiting === 0 ? "today" : `${d.school_days_waiting} school day${d.school_days_waiting === 1 ? "" : "s"}`), className: "num nowrap"}
    ])}
  </section>`;
}
