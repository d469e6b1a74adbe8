import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {ukDate} from "./format.js";

/**
 * The card's contents: the pupils placed two or more times in the period (rows of
 * bsc-repeat-pupils for the chosen period and year group, counted in SQL), most placements first.
 */
export function repeatPupilsCard(pupils, {windowDays, periodLabel}) {
  const rows = [...pupils]
    .sort((a, b) => a.pupil_order - b.pupil_order)
    .map((d) => ({
      pupil: d.pupil ?? "(name not on roll)",
      year_group: d.last_year_group,
      form: d.last_form,
      placements: d.placements,
      repeats: d.repeats,
      gaps: d.gaps,
      first: d.first_date,
      last: d.last_date,
      last_reason: d.last_reason
    }));
  const listed = pupils[0]?.pupils_listed ?? 0;
  return html.fragment`<h2>${listed} pupil${listed === 1 ? "" : "s"} placed two or more times; "repeats" are placements within ${windowDays} school days of the one before</h2>
  ${rows.length > 0 ? Inputs.table(rows, {
    columns: ["pupil", "year_group", "form", "placements", "repeats", "gaps", "first", "last", "last_reason"],
    header: {pupil: "Pupil", year_group: "Year", form: "Form", placements: "Placed", repeats: "Repeats", gaps: "School days since previous", first: "First", last: "Latest", last_reason: "Latest reason"},
    format: {first: ukDate, last: ukDate, year_group: (y) => (y === null ? "–" : String(y))},
    layout: "auto",
    rows: 12.5,
    select: false
  }) : html`<p class="empty">No pupil was placed more than once in ${periodLabel}.</p>`}`;
}
