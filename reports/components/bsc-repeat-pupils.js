import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {ukDate} from "./format.js";

/** One row per pupil with two or more placements in the period: how often, and how close together. */
function repeatPupils(placements) {
  const byPupil = new Map();
  for (const d of placements) byPupil.set(d.student_id, [...(byPupil.get(d.student_id) ?? []), d]);
  return [...byPupil.values()]
    .filter((rows) => rows.length > 1)
    .map((rows) => {
      const sorted = rows.slice().sort((a, b) => a.date.localeCompare(b.date));
      const last = sorted.at(-1);
      return {
        pupil: last.pupil ?? "(name not on roll)",
        year_group: last.year_group,
        form: last.form,
        placements: sorted.length,
        repeats: sorted.filter((d) => d.is_repeat).length,
        // Every gap to the previous placement, even when that one fell before the period, so the gaps match the repeats.
        gaps: sorted.map((d) => d.school_days_since_previous).filter((g) => g !== null),
        first: sorted[0].date,
        last: last.date,
        last_reason: last.reason
      };
    })
    .sort((a, b) => b.placements - a.placements || b.repeats - a.repeats || b.last.localeCompare(a.last));
}

/** The card's contents: the pupils placed two or more times in the period (rows of bsc-placements), most placements first. */
export function repeatPupilsCard(placements, {windowDays, periodLabel}) {
  const rows = repeatPupils(placements);
  return html.fragment`<h2>${rows.length} pupil${rows.length === 1 ? "" : "s"} placed two or more times; "repeats" are placements within ${windowDays} school days of the one before</h2>
  ${rows.length > 0 ? Inputs.table(rows, {
    columns: ["pupil", "year_group", "form", "placements", "repeats", "gaps", "first", "last", "last_reason"],
    header: {pupil: "Pupil", year_group: "Year", form: "Form", placements: "Placed", repeats: "Repeats", gaps: "School days since previous", first: "First", last: "Latest", last_reason: "Latest reason"},
    format: {gaps: (g) => g.join(", "), first: ukDate, last: ukDate, year_group: (y) => (y === null ? "–" : String(y))},
    layout: "auto",
    rows: 12.5,
    select: false
  }) : html`<p class="empty">No pupil was placed more than once in ${periodLabel}.</p>`}`;
}
