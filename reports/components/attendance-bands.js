import * as Plot from "npm:@observablehq/plot";
import {BAND_COLOURS, BAND_LABELS} from "./attendance-heatmap.js";

/** Pupils in each attendance band (year to date) per year group, as shares of the pupils measured. */
export function attendanceBands(rows, {width} = {}) {
  const fields = ["band_red", "band_amber_red", "band_amber", "band_green"];
  const names = ["Under 90% (red)", "90–92.9% (amber/red)", "93–95.9% (amber)", "96% or more (green)"];
  const data = rows.flatMap((d) => fields.map((f, i) => ({year: `Year ${d.year_group}`, band: names[i], n: d[f], of: d.pupils_measured})));
  const years = [...new Set(rows.map((d) => d.year_group))].sort((a, b) => a - b).map((y) => `Year ${y}`);
  return Plot.plot({
    width,
    height: 70 + years.length * 34,
    marginLeft: 64,
    x: {label: "Pupils (%)", percent: true, grid: true},
    y: {domain: years, label: null},
    color: {legend: true, domain: names, range: BAND_COLOURS},
    marks: [
      Plot.barX(data, Plot.stackX({x: "n", y: "year", fill: "band", order: names, offset: "normalize", title: (d) => `${d.year}, ${d.band}: ${d.n} of ${d.of} pupils`})),
      Plot.text(data, Plot.stackX({x: "n", y: "year", z: "band", order: names, offset: "normalize", text: (d) => (d.of > 0 && d.n / d.of >= 0.06 ? String(d.n) : ""), fill: (d) => (d.band.startsWith("90") || d.band.startsWith("93") ? "black" : "white")}))
    ]
  });
}
