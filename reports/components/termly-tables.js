// The termly report's tables and figures, section by section (v from termlyView). Every
// figure arrives suppressed from SQL (mart_termly_report); these only lay them out.
import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {benchmarkBars} from "./termly-benchmarks.js";
import {figureCell, figureText} from "./termly-format.js";
import {termlyTable} from "./termly-table.js";
import {isCountRow} from "./termly-view.js";

/** 2. Negative events by year group this term, against the previous term. */
export function behaviourByYearGroup(v) {
  const {fig} = v;
  return termlyTable(v.yearGroupLabels, [
  {label: "Year group", align: "left", value: (y) => y},
  {label: "Pupils on roll", count: true, value: (y) => figureCell(fig("pupils_on_roll", {label: y}), {digits: 0})},
  {label: "Negative events", count: true, value: (y) => figureCell(fig("negative_per_100_per_week", {label: y}), {field: "count", digits: 0})},
  {label: "Per 100 pupils per week", value: (y) => figureCell(fig("negative_per_100_per_week", {label: y}))},
  {label: v.previous ? `${v.previous} (per 100 per week)` : "Previous term", value: (y) => figureCell(fig("negative_per_100_per_week", {label: y}), {field: "previous_value"})},
  {label: "Change (per 100 per week)", value: (y) => figureCell(fig("negative_per_100_per_week", {label: y}), {field: "change", signed: true})}
]);
}

/** 3. BSC placements, pupils placed and repeats: this term, the previous term and the year to date. */
export function bscTable(v) {
  const {fig} = v;
  return termlyTable([
  {name: "Placements", f: fig("bsc_placements"), field: "count", digits: 0, ytd: fig("bsc_placements", {period: "year_to_date"})},
  {name: "Placements per 100 pupils", f: fig("bsc_placements"), ytd: fig("bsc_placements", {period: "year_to_date"})},
  {name: "Pupils placed", f: fig("bsc_pupils_placed"), field: "count", digits: 0, ytd: fig("bsc_pupils_placed", {period: "year_to_date"})},
  {name: "Pupils placed, % of pupils", f: fig("bsc_pupils_placed"), ytd: fig("bsc_pupils_placed", {period: "year_to_date"})},
  {name: `Pupils placed again within ${v.settings.repeat_referral_window_days} school days`, f: fig("bsc_repeat_rate"), field: "count", digits: 0, ytd: fig("bsc_repeat_rate", {period: "year_to_date"})},
  {name: "Repeat rate, % of pupils placed", f: fig("bsc_repeat_rate"), ytd: fig("bsc_repeat_rate", {period: "year_to_date"})}
], [
  {label: "", align: "left", value: (r) => r.name},
  {label: "This term", count: isCountRow, value: (r) => figureCell(r.f, {field: r.field ?? "value", digits: r.digits ?? 1})},
  {label: v.previous ?? "Previous term", count: isCountRow, value: (r) => figureCell(r.f, {field: r.field === "count" ? "previous_count" : "previous_value", digits: r.digits ?? 1})},
  {label: "Year to date", count: isCountRow, value: (r) => figureCell(r.ytd, {field: r.field ?? "value", digits: r.digits ?? 1})}
]);
}

/** 3. BSC by year group this term. */
export function bscByYearGroup(v) {
  const {fig} = v;
  return termlyTable(v.yearGroupLabels, [
  {label: "Year group", align: "left", value: (y) => y},
  {label: "Placements", count: true, value: (y) => figureCell(fig("bsc_placements", {label: y}), {field: "count", digits: 0})},
  {label: "Per 100 pupils", value: (y) => figureCell(fig("bsc_placements", {label: y}))},
  {label: "Pupils placed", count: true, value: (y) => figureCell(fig("bsc_pupils_placed", {label: y}), {field: "count", digits: 0})},
  {label: "Repeat rate (% of pupils placed)", value: (y) => figureCell(fig("bsc_repeat_rate", {label: y}))}
]);
}

/** 4. Suspensions against the national figures. */
export function suspensionsTable(v) {
  const {fig} = v;
  return termlyTable([
  {name: "Suspensions", f: fig("suspensions"), field: "count", digits: 0, ytd: fig("suspensions", {period: "year_to_date"})},
  {name: "Suspensions per 100 pupils", f: fig("suspensions"), ytd: fig("suspensions", {period: "year_to_date"}), national: "suspensions"},
  {name: "Pupils suspended (% of pupils)", f: fig("pupils_suspended"), ytd: fig("pupils_suspended", {period: "year_to_date"})},
  {name: "Pupils suspended more than once", f: fig("pupils_suspended_more_than_once"), digits: 0, countRow: true, ytd: fig("pupils_suspended_more_than_once", {period: "year_to_date"})},
  {name: "School days lost to suspension", f: fig("days_lost"), ytd: fig("days_lost", {period: "year_to_date"})},
  {name: "Days lost per 100 pupils", f: fig("days_lost_per_100"), ytd: fig("days_lost_per_100", {period: "year_to_date"})},
  {name: "Permanent exclusions per 100 pupils", f: fig("permanent_exclusions"), digits: 2, ytd: fig("permanent_exclusions", {period: "year_to_date"}), national: "permanent_exclusions"}
], [
  {label: "", align: "left", value: (r) => r.name},
  {label: "This term", count: isCountRow, value: (r) => figureCell(r.f, {field: r.field ?? "value", digits: r.digits ?? 1})},
  {label: v.previous ?? "Previous term", count: isCountRow, value: (r) => figureCell(r.f, {field: r.field === "count" ? "previous_count" : "previous_value", digits: r.digits ?? 1})},
  {label: "Year to date", count: isCountRow, value: (r) => figureCell(r.ytd, {field: r.field ?? "value", digits: r.digits ?? 1})},
  {label: "National, full year", value: (r) => r.national ? v.nationalCell(r.national) : ""}
]);
}

/** 5. Absence against the national figures, as bars. */
export function absenceChart(v) {
  const {fig} = v;
  return resize((width) => benchmarkBars([
  ["Absence", "absence_pct"], ["Authorised absence", "authorised_absence_pct"], ["Unauthorised absence", "unauthorised_absence_pct"],
  ["Persistent absence", "persistent_absence_pct"], ["Severe absence", "severe_absence_pct"]
].map(([name, m]) => {
  const f = fig(m), y = fig(m, {period: "year_to_date"});
  return {measure: name, term: f && !f.suppressed ? f.value : null, yearToDate: y && !y.suppressed ? y.value : null, national: v.national(m).national_value ?? null,
    termText: figureText(f), yearToDateText: figureText(y)};
}), {width, xLabel: "% of possible sessions (absence) · % of pupils (persistent, severe)"}));
}

/** 5. Absence against the national figures, as a table. */
export function absenceTable(v) {
  const {fig} = v;
  return termlyTable(["absence_pct", "authorised_absence_pct", "unauthorised_absence_pct", "persistent_absence_pct", "severe_absence_pct"], [
  {label: "", align: "left", value: (m) => ({absence_pct: "Absence, % of sessions", authorised_absence_pct: "Authorised absence, % of sessions", unauthorised_absence_pct: "Unauthorised absence, % of sessions", persistent_absence_pct: "Persistent absence, % of pupils", severe_absence_pct: "Severe absence, % of pupils"})[m]},
  {label: "This term", value: (m) => figureCell(fig(m))},
  {label: v.previous ?? "Previous term", value: (m) => figureCell(fig(m), {field: "previous_value"})},
  {label: "Year to date", value: (m) => figureCell(fig(m, {period: "year_to_date"}))},
  {label: "National", value: (m) => v.nationalCell(m)}
]);
}

/** 5. Attendance by year group this term. */
export function attendanceByYearGroup(v) {
  const {fig} = v;
  return termlyTable(v.yearGroupLabels, [
  {label: "Year group", align: "left", value: (y) => y},
  {label: "Absence, % of sessions", value: (y) => figureCell(fig("absence_pct", {label: y}))},
  {label: "Change (points)", value: (y) => figureCell(fig("absence_pct", {label: y}), {field: "change", signed: true})},
  {label: "Persistently absent (pupils)", count: true, value: (y) => figureCell(fig("persistent_absence_pct", {label: y}), {field: "count", digits: 0})},
  {label: "Persistent absence, % of pupils", value: (y) => figureCell(fig("persistent_absence_pct", {label: y}))},
  {label: "Change (points)", value: (y) => figureCell(fig("persistent_absence_pct", {label: y}), {field: "change", signed: true})}
]);
}
