import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {kpiCard} from "./kpi-card.js";
import {number, ukDate} from "./format.js";
import {reasonChips} from "./watchlist-reasons.js";

const rate = (v) => (v === null || v === undefined ? "–" : number(v, 1));

/** The four cards over the pupils shown (rows of mart_watchlist after the filters); `listed`: every pupil listed that week. */
export function watchlistKpis(shown, {listed, scope}) {
  return html.fragment`${kpiCard({title: "Pupils listed", value: number(shown.length), detail: `${scope}; ${number(listed)} across the school`})}
  ${kpiCard({title: "New this week", value: number(shown.filter((d) => d.is_new).length), detail: "not on the list the week before"})}
  ${kpiCard({title: "No active intervention", value: number(shown.filter((d) => d.no_active_intervention).length), detail: "listed, with no support running this week"})}
  ${kpiCard({title: "In the top 20", value: number(shown.filter((d) => d.rank <= 20).length), detail: "the 20 highest risk scores in the school"})}`;
}

/** The card's contents: the pupils shown, ranked, with their reasons as chips, or why nobody is shown. */
export function watchlistTable(shown, {listed, school, week, scope}) {
  const rows = shown.map((d) => ({
    ...d,
    reasons: d,
    score: number(d.score, 1),
    incidents: `${rate(d.recent_negative_per_week)} vs ${rate(d.baseline_negative_per_week)}`,
    attendance: `${rate(d.recent_attendance_pct)} / ${rate(d.ytd_attendance_pct)}`
  }));
  return html.fragment`<h2>${shown.length} pupil${shown.length === 1 ? "" : "s"} listed — ${scope}, ranked (1 = most concern)</h2>
  ${shown.length > 0 ? Inputs.table(rows, {
    columns: ["rank", "pupil", "year_group", "form", "score", "reasons", "incidents", "attendance"],
    header: {rank: "Rank", pupil: "Pupil", year_group: "Year", form: "Form", score: "Score", reasons: "Reasons", incidents: "Incidents/wk", attendance: "Attendance %"},
    format: {
      // "New" (not listed the week before) sits with the name, where the eye lands.
      pupil: (v, i, rows) => (rows[i].is_new ? html`<span>${v} <span class="chip new">New</span></span>` : v),
      reasons: reasonChips
    },
    width: {rank: 40, pupil: 170, year_group: 36, form: 46, score: 44, reasons: 230, incidents: 90, attendance: 96},
    layout: "fixed",
    rows: 15.5,
    select: false
  }) : html`<p class="empty">${listed === 0 ? `Nobody was on the watchlist at ${school} in the week commencing ${ukDate(week)}.` : `No listed pupil matches the filters (${scope}) in the week commencing ${ukDate(week)}.`}</p>`}`;
}
