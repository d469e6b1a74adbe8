import * as Plot from "npm:@observablehq/plot";
import {weekTicks} from "./format.js";

const date = (d) => new Date(`${d.week_start}T00:00:00Z`);

/** Late sessions each school week: L (before the register closed, present) and U (after it closed, unauthorised absence). */
export function attendanceLateness(weeks, {width, selectedWeek} = {}) {
  const series = ["L: late before the register closed", "U: late after the register closed"];
  const rows = weeks.flatMap((d) => [
    {week_start: d.week_start, series: series[0], sessions: d.late_before_close_sessions, minutes: d.minutes_late_before_close},
    {week_start: d.week_start, series: series[1], sessions: d.late_after_close_sessions, minutes: d.minutes_late_after_close}
  ]);
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 48,
    x: {type: "utc", label: "School week (week commencing)", tickFormat: "%-d %b", ticks: weekTicks(weeks.map((d) => d.week_start), width)},
    y: {grid: true, label: "Late sessions", zero: true, tickFormat: "d"},
    color: {legend: true, domain: series, range: ["#4c78a8", "#e15759"]},
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(rows, {x: date, y: "sessions", stroke: "series", strokeWidth: 2, marker: "circle-stroke"}),
      selectedWeek ? Plot.ruleX([new Date(`${selectedWeek}T00:00:00Z`)], {stroke: "#d62728", strokeWidth: 1.5}) : null,
      Plot.tip(rows, Plot.pointer({
        x: date,
        y: "sessions",
        title: (d) => `${d.series}\nw/c ${d.week_start.split("-").reverse().join("/")}: ${d.sessions} sessions${d.sessions > 0 ? `, ${Math.round(d.minutes / d.sessions)} min late on average` : ""}`
      }))
    ]
  });
}
