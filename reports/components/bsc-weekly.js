import * as Plot from "npm:@observablehq/plot";
import {weekTicks} from "./format.js";

/**
 * BSC placements in each school week (Monday start): rows of mart_bsc_weekly for the chosen
 * period (one per week and year group, counted in SQL), stacked by year group, or in one colour
 * when the page already shows one year group. Holidays show as gaps, not as zero weeks.
 */
export function bscWeekly(weeks, {width, byYearGroup = true} = {}) {
  const label = (y) => (y === null ? "Not on roll" : `Year ${y}`);
  const yearGroups = [...new Set(weeks.map((d) => d.year_group))].sort((a, b) => a - b).map(label);
  // Stacked in the order the year groups were first placed in the period (drawing only).
  const byFirst = [...weeks].sort((a, b) => a.first_placed.localeCompare(b.first_placed));
  const stackOrder = [...new Set(byFirst.map((d) => d.year_group))];
  const rows = byFirst.sort((a, b) => stackOrder.indexOf(a.year_group) - stackOrder.indexOf(b.year_group) || a.week_start.localeCompare(b.week_start));
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 44,
    x: {type: "utc", label: "School week (week commencing)", tickFormat: "%-d %b", ticks: weekTicks(weeks.map((d) => d.week_start), width)},
    y: {grid: true, label: "Placements", tickFormat: "d"},
    color: byYearGroup ? {legend: true, type: "ordinal", scheme: "tableau10", domain: yearGroups} : undefined,
    marks: [
      Plot.rectY(rows, {
        x: (d) => new Date(`${d.week_start}T00:00:00Z`),
        interval: "monday",
        y: "placements",
        fill: byYearGroup ? (d) => label(d.year_group) : "#4c78a8",
        inset: 1,
        tip: {format: {x: (x) => `w/c ${x.toLocaleDateString("en-GB", {timeZone: "UTC"})}`}}
      }),
      Plot.ruleY([0])
    ]
  });
}
