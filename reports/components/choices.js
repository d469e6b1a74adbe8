import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {ukDate} from "./format.js";
import {bySchoolId} from "./school-order.js";

/** A school filter's options: the school ids in the order a reader expects (school-order.js). */
export const schoolChoices = (ids) => [...ids].sort(bySchoolId);

/**
 * The "School" filter over a page's schools (schoolChoices), greyed out with fewer than two. With
 * none (the page's export is optional: only students.csv is required), `none` says so beneath it,
 * and the value is null.
 */
export function schoolSelect(schools, {none} = {}) {
  const input = Inputs.select(schools, {label: "School", disabled: schools.length < 2});
  if (schools.length === 0 && none) input.append(html`<p class="empty" style="flex-basis: 100%">${none}</p>`);
  return input;
}

/** The distinct values of one field, sorted (numbers as numbers): the options of a filter. */
export function choices(rows, field) {
  const values = [...new Set(rows.map((d) => d[field]))];
  return values.every((v) => typeof v === "number") ? values.sort((a, b) => a - b) : values.sort();
}

/**
 * The "Week commencing" filter over a group's weeks (rows with week_start, week_number, term),
 * opening on `value` (default the latest); `describe(row)` adds to each option's words.
 */
export function weekSelect(weeks, {value = weeks.at(-1)?.week_start, describe = () => ""} = {}) {
  const byStart = new Map(weeks.map((d) => [d.week_start, d]));
  return Inputs.select([...byStart.keys()], {
    label: "Week commencing",
    value,
    format: (w) => {
      const row = byStart.get(w);
      return `${ukDate(w)} (week ${row.week_number}, ${row.term}${describe(row)})`;
    }
  });
}
