import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {noPlacements} from "./bsc-charts.js";
import {ukDate} from "./format.js";

/**
 * The card's contents: placements in the period with no parent contact or no reintegration meeting
 * recorded, latest first. `notFollowedUp`: how many (mart_bsc_repeat's placements_not_followed_up).
 */
export function followUpCard(placements, {periodLabel, notFollowedUp}) {
  const rows = placements
    .filter((d) => !d.followed_by_parent_contact || !d.followed_by_reintegration)
    .map((d) => ({
      date: d.date,
      pupil: d.pupil ?? "(name not on roll)",
      year_group: d.year_group,
      form: d.form,
      reason: d.reason,
      missing: [!d.followed_by_parent_contact ? "Parent contact" : null, !d.followed_by_reintegration ? "Reintegration meeting" : null].filter(Boolean).join(" and ")
    }))
    .sort((a, b) => b.date.localeCompare(a.date));
  return html.fragment`<h2>${notFollowedUp} placement${notFollowedUp === 1 ? "" : "s"} with no parent contact or no reintegration meeting recorded, latest first</h2>
  ${rows.length > 0 ? Inputs.table(rows, {
    columns: ["date", "pupil", "year_group", "form", "reason", "missing"],
    header: {date: "Placement", pupil: "Pupil", year_group: "Year", form: "Form", reason: "Reason", missing: "Not recorded"},
    format: {date: ukDate, year_group: (y) => (y === null ? "–" : String(y))},
    layout: "auto",
    rows: 10.5,
    select: false
  }) : placements.length > 0 ? html`<p class="empty">Every placement in ${periodLabel} has a parent contact and a reintegration meeting recorded.</p>` : noPlacements(periodLabel)}
  <p class="muted small">Placements from the last 5 school days may still be followed up: contacts count up to 2 school days after a placement, reintegration meetings up to 5.</p>`;
}
