import * as Plot from "npm:@observablehq/plot";
import {TERMLY_COLOURS} from "./termly-palette.js";

/** Moves end-of-line labels apart (in data units) so that close lines keep readable names. */
function spreadLabels(points, minGap) {
  const sorted = [...points].sort((a, b) => a.value - b.value);
  for (let i = 1; i < sorted.length; i++) sorted[i].labelY = Math.max(sorted[i].value, sorted[i - 1].labelY + minGap);
  return sorted;
}

/**
 * A figure term by term, one line per year group (or other label), up to the report's term.
 * Suppressed figures leave a gap in their line. `termLabels` fixes the x order.
 */
export function termTrend(rows, {width, termLabels, labels, yLabel, height = 260} = {}) {
  const shown = rows.filter((d) => !d.suppressed && d.value !== null);
  const last = termLabels.at(-1);
  const max = Math.max(1, ...shown.map((d) => d.value));
  const ends = spreadLabels(shown.filter((d) => d.term_label === last).map((d) => ({...d, labelY: d.value})), (max * 1.05 * 14) / (height - 60));
  return Plot.plot({
    width,
    height,
    marginLeft: 48,
    marginRight: 70,
    style: {fontSize: "13px"},
    x: {type: "point", domain: termLabels, label: null, padding: 0.3},
    y: {grid: true, zero: true, domain: [0, max * 1.05], label: yLabel},
    color: {domain: labels, range: TERMLY_COLOURS, legend: true},
    marks: [
      Plot.ruleY([0]),
      Plot.line(rows, {x: "term_label", y: (d) => (d.suppressed ? NaN : d.value), z: "label", stroke: "label", strokeWidth: 2}),
      Plot.dot(shown, {x: "term_label", y: "value", fill: "label", r: 3.5}),
      Plot.text(ends, {x: "term_label", y: "labelY", text: "label", fill: "label", dx: 8, textAnchor: "start", fontWeight: 600})
    ]
  });
}
