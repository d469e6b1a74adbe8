import {html} from "npm:htl";
import {kpiCard} from "./kpi-card.js";
import {number, signed} from "./format.js";

// The attendance page's KPI cards (the contents of a grid-cols-4 row each).

/**
 * The attendance page's four year-to-date cards for one row of mart_attendance_week:
 * attendance, persistent and severe absence against the national figures (the mart's
 * *_vs_national; nationalFigures names them), and the 90–92.9% band against last week.
 */
export function attendanceKpis(current, national) {
  const vsAttendance = current.attendance_pct_to_date_vs_national;
  const vsPersistent = current.persistent_pct_vs_national;
  const vsSevere = current.severe_pct_vs_national;
  return html.fragment`    ${kpiCard({
      title: "Attendance, year to date",
      value: number(current.attendance_pct_to_date, 1),
      unit: "%",
      detail: `${number(current.attendance_pct, 1)}% this week · of ${number(current.possible_sessions_to_date)} possible sessions so far`,
      better: "up",
      comparisons: [
        {label: `vs national ${national.attendance ?? "–"}% (points)`, change: vsAttendance, text: signed(vsAttendance, 1)},
        {label: "this week vs last week (points)", change: current.attendance_pct_change_vs_last_week, text: signed(current.attendance_pct_change_vs_last_week, 1)}
      ]
    })}
    ${kpiCard({
      title: "Persistently absent (≥ 10%)",
      value: number(current.persistently_absent),
      unit: "pupils",
      detail: `${number(current.persistent_pct, 1)}% of ${number(current.pupils_measured)} pupils`,
      comparisons: [{label: `vs national ${national.persistent?.value ?? "–"}% (points)`, change: vsPersistent, text: signed(vsPersistent, 1)}]
    })}
    ${kpiCard({
      title: "Severely absent (≥ 50%)",
      value: number(current.severely_absent),
      unit: "pupils",
      detail: `${number(current.severe_pct, 1)}% of ${number(current.pupils_measured)} pupils`,
      comparisons: [{label: `vs national ${national.severe?.value ?? "–"}% (points)`, change: vsSevere, text: signed(vsSevere, 1)}]
    })}
    ${kpiCard({
      title: "At risk: 90–92.9% attendance",
      value: number(current.at_risk_band),
      unit: "pupils",
      detail: `${number(current.at_risk_pct, 1)}% of pupils: just above the persistent-absence line`,
      comparisons: [{label: "vs last week", change: current.at_risk_band_change_vs_last_week, text: signed(current.at_risk_band_change_vs_last_week)}]
    })}`;
}

/** How many pupils crossed each attendance threshold in the week of one mart_attendance_week row. */
export function crossingKpis(current) {
  return html.fragment`    ${kpiCard({title: "Entered persistent absence", value: number(current.entered_persistent_absence), unit: "pupils", detail: "absence reached 10% of their sessions this year"})}
    ${kpiCard({title: "Entered severe absence", value: number(current.entered_severe_absence), unit: "pupils", detail: "absence reached 50%"})}
    ${kpiCard({title: "Fell into the 90–92.9% band", value: number(current.entered_at_risk_band), unit: "pupils", detail: "from 93% or more last week"})}
    ${kpiCard({title: "Reached the penalty-notice threshold", value: number(current.reached_penalty_threshold), unit: "pupils", detail: `10 unauthorised sessions in 10 school weeks · ${number(current.penalty_threshold_now)} pupils at or over it now`})}`;
}
