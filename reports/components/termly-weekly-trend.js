import * as Plot from "npm:@observablehq/plot";
import {TERMLY_COLOURS} from "./termly-palette.js";

/**
 * Each school week of the term, one small panel per year group: negative events per 100 pupils
 * on roll that week. Suppressed weeks (fewer than 5 events) are gaps, marked with a cross on
 * the axis so a gap never reads as zero.
 */
export function weeklyYearGroupTrend(rows, {width, labels, height = 200} = {}) {
  const data = rows.map((d) => ({...d, date: new Date(d.week_start)}));
  return Plot.plot({
    width,
    height,
    style: {fontSize: "12px"},
    marginLeft: 36,
    marginTop: 24,
    marginBottom: 36,
    fx: {domain: labels, label: null, padding: 0.12},
    x: {type: "utc", label: null, ticks: "month", tickFormat: "%b"},
    // The unit is in the card's title: a y label here would run into the year-group titles.
    // Every week suppressed: a 0–1 axis (only crosses on it), not the empty domain's stray ticks.
    y: {grid: true, zero: true, label: null, domain: data.some((d) => !d.suppressed && d.value !== null) ? undefined : [0, 1]},
    color: {domain: labels, range: TERMLY_COLOURS},
    marks: [
      Plot.frame({stroke: "#ddd"}),
      Plot.ruleY([0]),
      Plot.line(data, {fx: "label", x: "date", y: (d) => (d.suppressed ? NaN : d.value), stroke: "label", strokeWidth: 1.8}),
      Plot.dot(data.filter((d) => d.suppressed), {fx: "label", x: "date", y: 0, symbol: "times", stroke: "#666", r: 3}),
      Plot.tip(data, Plot.pointerX({fx: "label", x: "date", y: (d) => (d.suppressed ? 0 : d.value),
        title: (d) => `${d.label}, w/c ${d.date.toLocaleDateString("en-GB", {timeZone: "UTC"})}\n${d.suppressed ? "suppressed (fewer than 5 events)" : `${d.value} per 100 pupils`}`}))
    ]
  });
}
