import * as Plot from "npm:@observablehq/plot";

/**
 * BSC placements in each school week (Monday start), stacked by year group, or in one colour
 * when the page already shows one year group. Holidays show as gaps, not as zero weeks.
 */
export function bscWeekly(placements, {width, byYearGroup = true} = {}) {
  const yearGroups = [...new Set(placements.map((d) => d.year_group))].sort((a, b) => a - b).map((y) => (y === null ? "Not on roll" : `Year ${y}`));
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 44,
    x: {type: "utc", label: "School week (week commencing)", tickFormat: "%-d %b"},
    y: {grid: true, label: "Placements", tickFormat: "d"},
    color: byYearGroup ? {legend: true, type: "ordinal", scheme: "tableau10", domain: yearGroups} : undefined,
    marks: [
      Plot.rectY(
        placements,
        Plot.binX(
          {y: "count"},
          {
            x: (d) => new Date(`${d.week_start}T00:00:00Z`),
            interval: "monday",
            fill: byYearGroup ? (d) => (d.year_group === null ? "Not on roll" : `Year ${d.year_group}`) : "#4c78a8",
            inset: 1,
            tip: {format: {x: (x) => `w/c ${x.toLocaleDateString("en-GB", {timeZone: "UTC"})}`}}
          }
        )
      ),
      Plot.ruleY([0])
    ]
  });
}
