import * as Plot from "npm:@observablehq/plot";
import {WEEKDAYS, periodDomain} from "./format.js";

/**
 * Negative events by weekday × period: where and when the week went wrong (rows of
 * mart_behaviour_hotspots for one week and year group, one per weekday and period). `periods`
 * fixes the columns (e.g. every period seen this term) so the grid keeps its shape week to week;
 * `order` (period → place in the school's day) sorts them.
 */
export function weekdayPeriodHeatmap(rows, {width, periods, order} = {}) {
  const cells = rows.map((d) => ({weekday: WEEKDAYS[d.weekday - 1], period: d.period, events: d.negative_events}));
  const max = Math.max(1, ...cells.map((d) => d.events));
  return Plot.plot({
    width,
    height: 240,
    marginLeft: 48,
    marginBottom: 48,
    padding: 0.05,
    x: {domain: periodDomain(periods ?? [...new Set(cells.map((d) => d.period))], order), label: "Period", tickRotate: -30},
    y: {domain: WEEKDAYS, label: null},
    color: {type: "linear", scheme: "blues", domain: [0, max], label: "Negative events", legend: true, tickFormat: "d", ticks: Math.min(max, 5)},
    marks: [
      Plot.cell(cells, {x: "period", y: "weekday", fill: "events", inset: 0.5}),
      // Labels switch to white on the darker cells so they stay readable.
      Plot.text(cells, {x: "period", y: "weekday", text: "events", fill: (d) => (d.events > max * 0.55 ? "white" : "black")}),
      Plot.tip(cells, Plot.pointer({x: "period", y: "weekday", title: (d) => `${d.weekday} ${d.period}: ${d.events} negative event(s)`}))
    ]
  });
}
