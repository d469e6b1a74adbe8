import {html} from "npm:htl";
import {csvDownloadButton} from "./csv-download.js";
import {byName, pupilCell} from "./daily-list-columns.js";
import {dailyListTable} from "./daily-list-table.js";
import {longDate, ukDate} from "./format.js";

const CSV_COLUMNS = [
  {key: "date", label: "Date"}, {key: "last_name", label: "Surname"}, {key: "first_name", label: "First name"}, {key: "form", label: "Form"},
  {key: "year_group", label: "Year"}, {key: "periods", label: "Periods"}, {key: "start_time", label: "From"}, {key: "end_time", label: "To"},
  {key: "reason", label: "Reason"}, {key: "referred_by", label: "Referred by"}, {key: "placement_number", label: "Placement number"},
  {key: "repeat", label: "Repeat referral"}, {key: "booklet", label: "Booklet"}, {key: "conduct", label: "Conduct"}, {key: "outcome", label: "Outcome"},
  {key: "student_id", label: "Pupil id"}
];

/** The Behaviour Support Centre register for one school day (rows of mart_bsc_register), by name, with boxes to fill in. */
export function bscRegisterList(placements, {day, school}) {
  const rows = [...placements].sort(byName);
  const csv = csvDownloadButton(
    rows.map((d) => ({...d, date: ukDate(d.date), repeat: d.is_repeat ? "yes" : "no"})),
    CSV_COLUMNS,
    {filename: `bsc-register-${school}-${day}.csv`, label: "Download BSC register as CSV"}
  );
  return html`<section class="print-section">
    <h2>BSC register — ${longDate(day)} — ${school}</h2>
    <p class="muted small">Periods: how many lessons the pupil spends in the Behaviour Support Centre, with the booked times. Booklet, conduct and outcome are blank boxes to fill in until the PSO records them. <span class="flag repeat">repeat</span>: referred again within the repeat window.</p>
    <div class="no-print">${csv}</div>
    ${rows.length === 0 ? html`<p class="empty">Nobody is booked into the BSC on ${longDate(day)}.</p>` : dailyListTable(rows, [
      {label: "Pupil", value: pupilCell},
      {label: "Form", value: (d) => d.form},
      {label: "Year", value: (d) => d.year_group, className: "num"},
      {label: "Periods", value: (d) => html`${d.periods ?? "?"}${d.start_time ? html`<div class="muted small nowrap">${d.start_time}–${d.end_time ?? "?"}</div>` : ""}`},
      {label: "Reason", value: (d) => d.reason},
      {label: "Referred by", value: (d) => d.referred_by},
      {label: "Placement", value: (d) => html`${d.placement_number ?? "?"}${d.is_repeat ? html` <span class="flag repeat">repeat</span>` : ""}`},
      {label: "Booklet", value: (d) => d.booklet, className: "fill-in"},
      {label: "Conduct", value: (d) => d.conduct, className: "fill-in"},
      {label: "Outcome", value: (d) => d.outcome, className: "fill-in"}
    ])}
  </section>`;
}
