import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";

/** Each flag the watchlist model can raise (mart_watchlist), with the short words used on the chips and its points. */
export const REASONS = [
  {key: "top_risk", chip: "Top 20 risk", text: "among the school's 20 highest risk scores this week (see below)", points: null},
  {key: "behaviour_rising", chip: "Behaviour rising", text: "negative events per week over the last 3 school weeks at least 1 more than in the 6 weeks before", points: 3},
  {key: "repeat_bsc", chip: "Repeat BSC", text: "a repeat BSC placement in the last 4 school weeks", points: 3},
  {key: "recent_suspension", chip: "Suspended", text: "a suspension started in the last 6 school weeks", points: 2},
  {key: "attendance_falling", chip: "Fell to 90% or below", text: "attendance for the year so far fell to 90% or below (persistent absence: absence 10% or more) in the last 4 school weeks", points: 2},
  {key: "attendance_at_risk", chip: "Attendance under 93%", text: "attendance this year below 93% (the 90–92.9% band or worse)", points: 1},
  {key: "missed_detentions", chip: "Missed detentions", text: "2 or more detentions missed in the last 4 school weeks", points: 1},
  {key: "no_active_intervention", chip: "No intervention", text: "no intervention running this week (shown with another reason; it adds no points)", points: 0}
];

/** The "Reason" filter: any reason, or one flag (not "no intervention", which has its own toggle). */
export function reasonSelect() {
  return Inputs.select(["any", ...REASONS.filter((r) => r.key !== "no_active_intervention").map((r) => r.key)], {
    label: "Reason",
    format: (k) => (k === "any" ? "Any reason" : REASONS.find((r) => r.key === k).chip)
  });
}

/** A pupil's flags as chips. */
export function reasonChips(d) {
  return html`<span class="chips">${REASONS.filter((r) => d[r.key]).map((r) => html`<span class="chip${r.key === "no_active_intervention" ? " warn" : ""}">${r.chip}</span>`)}</span>`;
}

/** The flags that add points, as list items for "How the list is made". */
export function reasonPoints() {
  return REASONS.filter((r) => r.points).map((r) => html`<li><span class="chip">${r.chip}</span> +${r.points}: ${r.text}</li>`);
}
