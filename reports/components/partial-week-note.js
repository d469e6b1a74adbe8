import {html} from "npm:htl";
import {ukDate} from "./format.js";

const dayCount = (n) => `${n} school day${n === 1 ? "" : "s"}`;
const weekdayName = (iso) => new Date(`${String(iso).slice(0, 10)}T00:00:00Z`).toLocaleDateString("en-GB", {weekday: "long", timeZone: "UTC"});

/**
 * Said before a partial week's figures (a row of mart_yeargroup_week with is_partial_week):
 * why the week is short, and that it is compared per school day. `lastComplete`: the last
 * complete week's start, named when another week is on screen.
 */
export function partialWeekNote(d, {week, lastComplete}) {
  return html`<div class="card partial-week" role="note">
  <strong>Partial week:</strong> ${d.data_ends_in_week
    ? `the data ends on ${weekdayName(d.week_last_day)} ${ukDate(d.week_last_day)}, so this week holds ${dayCount(d.school_days)}.`
    : `this week had ${dayCount(d.school_days)} (the last on ${weekdayName(d.week_last_day)} ${ukDate(d.week_last_day)}); the school was closed on the other weekdays (a bank holiday, an INSET day or the end of term).`}
  The figures are for ${d.school_days === 1 ? "that day" : "those days"}, and are compared <strong>per school day</strong> (per 100 pupils per school day) with last week and the term, not with whole weeks.
  ${lastComplete !== week ? `The last complete week is w/c ${ukDate(lastComplete)}.` : ""}
</div>`;
}
