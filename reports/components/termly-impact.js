import * as Plot from "npm:@observablehq/plot";

/**
 * Intervention impact as a forest plot: the difference-in-differences (change in negative events
 * per pupil per week, against similar pupils without support) with its 95% interval. Left of
 * the zero line = fewer incidents than similar pupils. Only rows with an estimate are drawn
 * (the page lists the ones with too few pupils).
 */
export function impactForest(rows, {width} = {}) {
  const shown = rows.filter((d) => d.negative_did !== null);
  const labels = shown.map((d) => d.label);
  const extent = Math.max(0.5, ...shown.flatMap((d) => [Math.abs(d.negative_did_low), Math.abs(d.negative_did_high)]));
  return Plot.plot({
    width,
    height: 70 + labels.length * 28,
    marginLeft: 210,
    marginRight: 20,
    marginBottom: 44,
    style: {fontSize: "13px"},
    x: {domain: [-extent * 1.1, extent * 1.1], grid: true, labelAnchor: "center", labelOffset: 38, labelArrow: "none",
      label: "← fewer incidents than similar pupils · change per pupil per week · more incidents →"},
    y: {domain: labels, label: null},
    marks: [
      Plot.ruleX([0], {stroke: "#555"}),
      Plot.link(shown, {x1: "negative_did_low", x2: "negative_did_high", y1: "label", y2: "label", stroke: "#0072B2", strokeWidth: 2.5}),
      Plot.dot(shown, {x: "negative_did", y: "label", fill: "#0072B2", r: 5})
    ]
  });
}
