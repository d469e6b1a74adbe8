import * as Plot from "npm:@observablehq/plot";
import {weekTicks} from "./format.js";

const date = (d) => new Date(`${d.week_start}T00:00:00Z`);

/**
 * Attendance % each school week for the chosen group, its year-to-date figure, the whole school
 * (when a year group is chosen) and the national figure as a labelled rule.
 */
export function attendanceTrend(weeks, {width, label, schoolWeeks = null, national = null, nationalLabel = "", selectedWeek} = {}) {
  const series = [`${label}, each week`, `${label}, year to date`, ...(schoolWeeks ? ["Whole school, each week"] : [])];
  const values = [...weeks, ...(schoolWeeks ?? [])].flatMap((d) => [d.attendance_pct, d.attendance_pct_to_date]).filter((v) => v !== null);
  const low = Math.floor(Math.min(88, national ?? 100, ...values) / 2) * 2;
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 48,
    marginRight: 20,
    x: {type: "utc", label: "School week (week commencing)", tickFormat: "%-d %b", ticks: weekTicks(weeks.map((d) => d.week_start), width)},
    y: {grid: true, label: "Attendance (% of possible sessions)", domain: [low, 100]},
    color: {legend: true, domain: series, range: ["#1f77b4", "#7b3294", "#9e9e9e"]},
    marks: [
      national !== null ? Plot.ruleY([national], {stroke: "black", strokeDasharray: "6,4"}) : null,
      schoolWeeks ? Plot.lineY(schoolWeeks, {x: date, y: "attendance_pct", stroke: () => series[2], strokeWidth: 1.5}) : null,
      Plot.lineY(weeks, {x: date, y: "attendance_pct_to_date", stroke: () => series[1], strokeDasharray: "4,3", strokeWidth: 1.5}),
      Plot.lineY(weeks, {x: date, y: "attendance_pct", stroke: () => series[0], strokeWidth: 2, marker: "circle-stroke"}),
      // Drawn after the lines, with a white halo, so the label stays readable where a line crosses it.
      national !== null ? Plot.text([national], {y: (v) => v, frameAnchor: "right", dy: 9, dx: -4, text: () => nationalLabel, fill: "black", fontSize: 11, stroke: "white", strokeWidth: 4, paintOrder: "stroke"}) : null,
      selectedWeek ? Plot.ruleX([new Date(`${selectedWeek}T00:00:00Z`)], {stroke: "#d62728", strokeWidth: 1.5}) : null,
      Plot.tip(weeks, Plot.pointerX({
        x: date,
        y: "attendance_pct",
        title: (d) => `w/c ${d.week_start.split("-").reverse().join("/")}\nThis week: ${d.attendance_pct?.toFixed(1) ?? "–"}%\nYear to date: ${d.attendance_pct_to_date?.toFixed(1) ?? "–"}%`
      }))
    ]
  });
}
