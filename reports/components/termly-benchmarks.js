import * as Plot from "npm:@observablehq/plot";

const SERIES = ["This term", "Year to date", "National"];

/**
 * The school against the national figure, one group of bars per measure: this term, the year
 * so far and the national full-year figure, each labelled with its value. rows:
 * [{measure: "Absence", term, yearToDate, national}] (null = suppressed or not available, said
 * in words instead of a bar: `termText` / `yearToDateText`, "<5" or "suppressed" as the table
 * beside the chart says, figureText in termly-format.js).
 */
export function benchmarkBars(rows, {width, xLabel} = {}) {
  const bars = rows.flatMap((r) => [
    {measure: r.measure, series: SERIES[0], value: r.term, hidden: r.termText},
    {measure: r.measure, series: SERIES[1], value: r.yearToDate, hidden: r.yearToDateText},
    {measure: r.measure, series: SERIES[2], value: r.national, hidden: "no national figure"}
  ]);
  const shown = bars.filter((d) => d.value !== null && d.value !== undefined);
  const max = Math.max(1, ...shown.map((d) => d.value));
  return Plot.plot({
    width,
    height: 60 + rows.length * 62,
    marginLeft: 175,
    marginRight: 50,
    marginBottom: 40,
    style: {fontSize: "13px"},
    x: {grid: true, domain: [0, max * 1.1], label: xLabel, labelAnchor: "center", labelOffset: 34, labelArrow: "none"},
    y: {domain: SERIES, axis: null},
    fy: {domain: rows.map((r) => r.measure), label: null, padding: 0.15, axis: "left"},
    color: {domain: SERIES, range: ["#0072B2", "#E69F00", "#555555"], legend: true},
    marks: [
      Plot.barX(shown, {fy: "measure", y: "series", x: "value", fill: "series"}),
      Plot.text(shown, {fy: "measure", y: "series", x: "value", text: (d) => d.value.toLocaleString("en-GB", {minimumFractionDigits: 1, maximumFractionDigits: 1}), dx: 4, textAnchor: "start", fontSize: 12}),
      Plot.text(bars.filter((d) => d.value === null || d.value === undefined), {fy: "measure", y: "series", x: 0, dx: 4, textAnchor: "start",
        text: (d) => d.hidden ?? "suppressed", fill: "#555", fontStyle: "italic", fontSize: 11}),
      Plot.ruleX([0])
    ]
  });
}
