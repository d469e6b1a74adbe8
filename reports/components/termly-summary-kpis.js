import {html} from "npm:htl";
import {kpiCard} from "./kpi-card.js";
import {figureText} from "./termly-format.js";
import {termlyChange as change} from "./termly-view.js";

/** The termly report's six summary cards (v from termlyView), each against the previous term. */
export function termlySummaryKpis(v) {
  const {fig, vsPrevious, settings} = v;
  return html.fragment`${kpiCard({title: "Negative behaviour events", value: figureText(fig("negative_per_100_per_week")), unit: "per 100 pupils per week", detail: `${figureText(fig("negative_per_100_per_week"), {field: "count", digits: 0})} events this term`, better: "down", comparisons: [{label: `per 100 pupils per week, ${vsPrevious}`, ...change(fig("negative_per_100_per_week"))}]})}
${kpiCard({title: "Absence", value: figureText(fig("absence_pct")), unit: "% of sessions", detail: `authorised ${figureText(fig("authorised_absence_pct"))}% · unauthorised ${figureText(fig("unauthorised_absence_pct"))}%`, better: "down", comparisons: [{label: `percentage points, ${vsPrevious}`, ...change(fig("absence_pct"))}]})}
${kpiCard({title: "Persistent absence", value: figureText(fig("persistent_absence_pct")), unit: "% of pupils", detail: `${figureText(fig("persistent_absence_pct"), {field: "count", digits: 0})} pupils missed 10% or more of their sessions`, better: "down", comparisons: [{label: `percentage points, ${vsPrevious}`, ...change(fig("persistent_absence_pct"))}]})}
${kpiCard({title: "Behaviour Support Centre placements", value: figureText(fig("bsc_placements"), {field: "count", digits: 0}), unit: "placements", detail: `${figureText(fig("bsc_placements"))} per 100 pupils · ${figureText(fig("bsc_pupils_placed"), {field: "count", digits: 0})} pupils placed`, better: "down", comparisons: [{label: `per 100 pupils, ${vsPrevious}`, ...change(fig("bsc_placements"))}]})}
${kpiCard({title: "Repeat BSC referrals", value: figureText(fig("bsc_repeat_rate")), unit: "% of pupils placed", detail: `${figureText(fig("bsc_repeat_rate"), {field: "count", digits: 0})} pupils referred again within ${settings.repeat_referral_window_days} school days`, better: "down", comparisons: [{label: `percentage points, ${vsPrevious}`, ...change(fig("bsc_repeat_rate"))}]})}
${kpiCard({title: "Suspensions", value: figureText(fig("suspensions"), {field: "count", digits: 0}), unit: "suspensions", detail: `${figureText(fig("suspensions"))} per 100 pupils · ${figureText(fig("days_lost"))} school days lost`, better: "down", comparisons: [{label: `per 100 pupils, ${vsPrevious}`, ...change(fig("suspensions"))}]})}`;
}
