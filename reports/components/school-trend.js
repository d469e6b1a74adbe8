import * as Plot from "npm:@observablehq/plot";
import {ukDate, weekTicks} from "./format.js";

/** Okabe–Ito: colours that stay distinct for the common kinds of colour blindness. */
export const SCHOOL_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"];

/**
 * One measure per school each school week, a line per school named at its end (so the lines
 * are told apart by label, not colour alone). `benchmark`: {value, label} drawn as a dashed rule.
 */
export function schoolTrend(rows, {width, y, label, schools, benchmark, digits = 1, height = 260, zero = true} = {}) {
  const data = rows.filter((d) => d[y] !== null && d[y] !== undefined && !Number.isNaN(d[y]));
  // End labels, nudged apart so two schools ending close together stay readable.
  const values = [...data.map((d) => d[y]), ...(benchmark ? [benchmark.value] : [])];
  const low = zero ? Math.min(0, ...values) : Math.min(...values);
  const high = Math.max(...values);
  const gap = (16 * (high - low || 1)) / (height - 60);
  const labels = schools
    .map((school_id) => data.filter((d) => d.school_id === school_id).at(-1))
    .filter(Boolean)
    .sort((a, b) => a[y] - b[y])
    .map((d) => ({school_id: d.school_id, week: d.week, labelY: d[y]}));
  for (let i = 1; i < labels.length; i++) labels[i].labelY = Math.max(labels[i].labelY, labels[i - 1].labelY + gap);
  return Plot.plot({
    width,
    height,
    marginLeft: 48,
    marginRight: 70,
    x: {type: "utc", label: "School week (week commencing)", tickFormat: "%-d %b", ticks: weekTicks(data.map((d) => d.week_start), width)},
    y: {grid: true, label, zero, nice: true},
    color: {domain: schools, range: SCHOOL_COLOURS, legend: true},
    marks: [
      zero ? Plot.ruleY([0]) : null,
      benchmark ? Plot.ruleY([benchmark.value], {stroke: "#555", strokeDasharray: "5,4"}) : null,
      benchmark ? Plot.text([benchmark], {x: data.at(0)?.week, y: "value", text: "label", textAnchor: "start", dy: -7, fill: "#444"}) : null,
      Plot.lineY(data, {x: "week", y, stroke: "school_id", strokeWidth: 2}),
      Plot.text(labels, {x: "week", y: "labelY", text: "school_id", fill: "school_id", textAnchor: "start", dx: 5, fontWeight: "bold"}),
      Plot.tip(data, Plot.pointer({x: "week", y, stroke: "school_id", title: (d) => `${d.school_id}, w/c ${ukDate(d.week_start)}\n${label}: ${d[y].toFixed(digits)}`}))
    ]
  });
}
