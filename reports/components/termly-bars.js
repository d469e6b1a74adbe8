import * as Plot from "npm:@observablehq/plot";

/**
 * Horizontal bars of one figure per label (year group, reason…), in the order given. A
 * suppressed figure has no bar: its row says "<5" or "suppressed" instead, so it never looks
 * like zero.
 */
export function figureBars(figures, {width, xLabel, digits = 1, suffix = "", marginLeft, fill = "#0072B2"} = {}) {
  // Room for the longest label (DfE reason names are long), up to half the width.
  const longest = Math.max(0, ...figures.map((f) => String(f.label).length));
  const left = marginLeft ?? Math.min(width / 2, 20 + longest * 7.4);
  const rows = figures.map((f) => ({
    label: f.label,
    value: f.suppressed ? null : f.value,
    text: f.suppressed ? (f.suppression === "fewer than 5" ? "<5" : "suppressed")
      : `${f.value.toLocaleString("en-GB", {minimumFractionDigits: digits, maximumFractionDigits: digits})}${suffix}`
  }));
  const max = Math.max(1, ...rows.map((d) => d.value ?? 0));
  return Plot.plot({
    width,
    height: 56 + rows.length * 24,
    marginLeft: left,
    marginRight: 56,
    marginBottom: 40,
    style: {fontSize: "13px"},
    x: {grid: true, label: xLabel, labelAnchor: "center", labelOffset: 34, labelArrow: "none", domain: [0, max * 1.08], ticks: 5},
    y: {label: null, domain: rows.map((d) => d.label)},
    marks: [
      Plot.barX(rows.filter((d) => d.value !== null), {x: "value", y: "label", fill}),
      Plot.text(rows.filter((d) => d.value !== null), {x: "value", y: "label", text: "text", dx: 4, textAnchor: "start"}),
      Plot.text(rows.filter((d) => d.value === null), {x: 0, y: "label", text: "text", dx: 4, textAnchor: "start", fill: "#555", fontStyle: "italic"}),
      Plot.ruleX([0])
    ]
  });
}
