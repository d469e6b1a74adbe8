import {html} from "npm:htl";
import {bscRegisterList} from "./bsc-register-list.js";
import {detentionsList} from "./detentions-list.js";
import {statementsList} from "./statements-list.js";

// The school week of a day (its Monday), for the statements-on-time line.
function weekOf(iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

function printButton() {
  const button = html`<button type="button" class="print-button no-print">Print the lists</button>`;
  button.onclick = () => window.print();
  return button;
}

/**
 * The three printable lists for one school and day: detentions, the BSC register and the
 * statements still waiting. `month` is the day's month file ({detentions, bsc, statements});
 * `statementsOnTime` the rows of mart_statements_on_time (all year groups: year_group 0). Without a
 * day, says there is none.
 */
export function dailyLists({school, day, month, statementsOnTime}) {
  if (!day) return html`<div class="print-lists">
    <p class="empty">No detentions or BSC placements are recorded${school ? ` for ${school}` : " (no detentions or BSC export has rows)"} in the 12 months the lists cover.</p>
  </div>`;
  const onDay = (rows, field = "date") => (rows ?? []).filter((d) => d.school_id === school && d[field] === day.date);
  const weekOnTime = statementsOnTime.find((d) => d.school_id === school && d.week_start === weekOf(day.date) && d.year_group === 0);
  return html`<div class="print-lists">
    ${detentionsList(onDay(month.detentions), {day: day.date, school, printButton: printButton()})}
    ${bscRegisterList(onDay(month.bsc), {day: day.date, school})}
    ${statementsList(onDay(month.statements, "list_date"), {day: day.date, school, weekOnTime})}
  </div>`;
}
