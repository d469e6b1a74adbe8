import * as Plot from "npm:@observablehq/plot";
import {WEEKDAYS, periodDomain} from "./format.js";

/** Negative events by weekday × period: where and when the week went wrong. */
export function weekdayPeriodHeatmap(rows, {width} = {}) {
  const periods = periodDomain([...new Set(rows.map((d) => d.period))]);
  return Plot.plot({
    width,
    height: 240,
    marginLeft: 48,
    padding: 0.05,
    x: {domain: periods, label: "Period", tickRotate: width < 640 ? -35 : 0},
    y: {domain: WEEKDAYS, label: null},
    color: {type: "linear", scheme: "blues", label: "Negative events", legend: true, zero: true},
    marks: [
      Plot.cell(rows, Plot.group({fill: "sum"}, {x: "period", y: (d) => WEEKDAYS[d.weekday - 1], fill: "negative_events", inset: 0.5})),
      Plot.text(rows, Plot.group({text: "sum"}, {x: "period", y: (d) => WEEKDAYS[d.weekday - 1], text: "negative_events", fill: "black", stroke: "white", strokeWidth: 3, paintOrder: "stroke"}))
    ]
  });
}
