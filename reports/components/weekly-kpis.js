import {html} from "npm:htl";
import {number, signed} from "./format.js";
import {kpiCard} from "./kpi-card.js";

const dayCount = (n) => `${n} school day${n === 1 ? "" : "s"}`;
const comparison = (label, change, digits = 0) => ({label, change: change ?? null, text: signed(change, digits)});

/**
 * The weekly review's four cards for one row of mart_weekly_review: negative events,
 * attendance, BSC placements and missed detentions, with the mart's changes vs last week and
 * the term. A partial week (fewer than five school days) is compared per school day, not with
 * whole weeks.
 */
export function weeklyKpis(d) {
  const partial = d.is_partial_week;
  return html.fragment`${partial ? kpiCard({
    title: "Negative events",
    value: number(d.negative_events),
    detail: `${number(d.negative_per_100_per_day, 1)} per 100 pupils per school day (${dayCount(d.school_days)})`,
    better: "down",
    comparisons: [
      comparison("vs last week (per 100 per school day)", d.negative_per_100_per_day_change_vs_last_week, 1),
      comparison("vs term so far (per 100 per school day)", d.negative_per_100_per_day_change_vs_term, 1)
    ]
  }) : kpiCard({
    title: "Negative events",
    value: number(d.negative_events),
    detail: `${number(d.negative_per_100, 1)} per 100 pupils`,
    better: "down",
    comparisons: [
      comparison("vs last week (per 100)", d.negative_per_100_change_vs_last_week, 1),
      comparison("vs term average (per 100)", d.negative_per_100_change_vs_term_avg, 1)
    ]
  })}
  ${kpiCard({
    title: "Attendance",
    value: number(d.attendance_pct, 1),
    unit: "%",
    detail: `of ${number(d.possible_sessions)} possible sessions`,
    better: "up",
    comparisons: [
      comparison("vs last week (points)", d.attendance_pct_change_vs_last_week, 1),
      comparison("vs term so far (points)", d.attendance_pct_change_vs_term, 1)
    ]
  })}
  ${partial ? kpiCard({
    title: "BSC placements",
    value: number(d.bsc_placements),
    detail: `${number(d.bsc_placements_per_day, 2)} a school day (${dayCount(d.school_days)})`,
    better: "down",
    comparisons: [comparison("vs last week (a school day)", d.bsc_placements_per_day_change_vs_last_week, 2)]
  }) : kpiCard({
    title: "BSC placements",
    value: number(d.bsc_placements),
    detail: "placements this week",
    better: "down",
    comparisons: [
      comparison("vs last week", d.bsc_placements_change_vs_last_week),
      {label: "term weekly average", change: null, text: number(d.bsc_placements_term_avg, 1)}
    ]
  })}
  ${kpiCard({
    title: "Detentions missed",
    value: number(d.detentions_missed),
    detail: `of ${number(d.detentions_set)} set · ${number(d.suspensions)} suspension(s) · ${number(d.pupils_persistently_absent)} persistently absent so far`,
    better: "down",
    comparisons: partial
      ? [comparison("vs last week (a school day)", d.detentions_missed_per_day_change_vs_last_week, 2)]
      : [comparison("vs last week", d.detentions_missed_change_vs_last_week)]
  })}`;
}
