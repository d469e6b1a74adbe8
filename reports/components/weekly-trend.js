import * as Plot from "npm:@observablehq/plot";
import {weekTicks} from "./format.js";

/**
 * Negative events per 100 pupils each school week, this year against the same week number
 * last year, with the selected week marked. Partial weeks (`is_partial_week`: fewer than five
 * school days) get a hollow amber dot; the selected one and the last one are labelled, so a
 * short week's lower whole-week figure is not read as a fall.
 */
export function weeklyTrend(rows, {width, selectedWeek, y = "negative_per_100", yLast = "negative_per_100_last_year", label = "Negative events per 100 pupils"} = {}) {
  const lastYear = rows.filter((d) => d[yLast] !== null && d[yLast] !== undefined);
  const partial = rows.filter((d) => d.is_partial_week);
  const labelled = partial.filter((d) => d.week_start === selectedWeek || d === rows.at(-1));
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 48,
    x: {type: "utc", label: "School week (week commencing)", tickFormat: "%-d %b", ticks: weekTicks(rows.map((d) => d.week_start), width)},
    y: {grid: true, label, zero: true},
    // The last-year series is only in the legend when there is a last year to show.
    color: lastYear.length > 0
      ? {legend: true, domain: ["This year", "Same week last year"], range: ["#1f77b4", "#999999"]}
      : {legend: true, domain: ["This year (no data for last year)"], range: ["#1f77b4"]},
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(lastYear, {x: (d) => new Date(d.week_start), y: yLast, stroke: () => "Same week last year", strokeDasharray: "4,3"}),
      Plot.lineY(rows, {x: (d) => new Date(d.week_start), y, stroke: () => (lastYear.length > 0 ? "This year" : "This year (no data for last year)"), strokeWidth: 2, marker: "circle-stroke"}),
      Plot.dot(partial, {x: (d) => new Date(d.week_start), y, r: 5, stroke: "#e6a700", strokeWidth: 2, fill: "white"}),
      Plot.text(labelled, {x: (d) => new Date(d.week_start), y, text: (d) => `partial week (${d.school_days} day${d.school_days === 1 ? "" : "s"})`, dy: -14, textAnchor: "end", fill: "#8a6100"}),
      selectedWeek ? Plot.ruleX([new Date(selectedWeek)], {stroke: "#d62728", strokeWidth: 1.5}) : null,
      Plot.tip(rows, Plot.pointerX({x: (d) => new Date(d.week_start), y, title: (d) => `w/c ${d.week_start}\n${label}: ${d[y] ?? "–"}\nLast year: ${d[yLast] ?? "–"}`}))
    ]
  });
}
