import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {number, ukDate} from "./format.js";
import {kpiCard} from "./kpi-card.js";

const perWeek = (v) => (v === null || v === undefined ? "–" : number(v, 1));

/** Four cards over the interventions running on `asOf` (rows of mart_intervention_list with is_running). */
export function runningKpis(running, {asOf}) {
  return html.fragment`${kpiCard({title: "Interventions running", value: number(running.length), detail: `for ${number(new Set(running.map((d) => d.pupil)).size)} pupils`})}
  ${kpiCard({title: "Reviews overdue", value: number(running.filter((d) => d.review_overdue).length), detail: `running, with a review date before ${ukDate(asOf) || "–"}`})}
  ${kpiCard({title: "Behaviour focus", value: number(running.filter((d) => d.focus === "behaviour").length), detail: "running interventions"})}
  ${kpiCard({title: "Attendance or wellbeing focus", value: number(running.filter((d) => d.focus !== "behaviour").length), detail: "running interventions"})}`;
}

/** The card's contents: the running interventions of the chosen focus and year group, overdue reviews first, then the earliest review. */
export function runningCard(running, {focus, yearGroup, school, asOf}) {
  const rows = running
    .filter((d) => (focus === "All" || d.focus === focus) && (yearGroup === 0 || d.year_group === yearGroup))
    .map((d) => ({
      ...d,
      sessions: d.sessions_planned === null ? "–" : `${d.sessions_attended ?? 0} of ${d.sessions_planned}`,
      incidents: d.baseline_negative_per_week === null ? "–"
        : `${perWeek(d.baseline_negative_per_week)} → ${d.after_weeks > 0 ? `${perWeek(d.after_negative_per_week)} (${d.after_weeks} wk${d.after_weeks === 1 ? "" : "s"})` : "not yet"}`
    }))
    .sort((a, b) => (b.review_overdue - a.review_overdue) || String(a.review_date).localeCompare(String(b.review_date)));
  return html.fragment`<h2>${rows.length} running intervention${rows.length === 1 ? "" : "s"}, earliest review first</h2>
  ${rows.length > 0 ? Inputs.table(rows, {
    columns: ["pupil", "year_group", "form", "type", "staff", "start_date", "review_date", "sessions", "incidents"],
    header: {pupil: "Pupil", year_group: "Year", form: "Form", type: "Type", staff: "Staff", start_date: "Started", review_date: "Review", sessions: "Sessions", incidents: "Incidents/wk: before → since"},
    format: {
      start_date: ukDate,
      review_date: (v, i, rows) => rows[i].review_overdue ? html`<span>${ukDate(v)} <span class="chip warn">overdue</span></span>` : ukDate(v)
    },
    layout: "auto",
    rows: 12.5,
    select: false
  }) : html`<p class="empty">${running.length === 0 ? `No intervention is running at ${school} on ${ukDate(asOf) || "–"}.` : "No running intervention matches the focus and year group chosen."}</p>`}
  <p class="muted small">Sessions: attended of planned. Incidents/wk: the pupil's own negative events per school week in the 6 school weeks before the start week, and in the weeks since (up to 6). One pupil's change is not an impact estimate: see below for that.</p>`;
}
