import * as Plot from "npm:@observablehq/plot";

/**
 * Risk ratios of each pupil group against all other pupils, one panel per measure (log scale:
 * twice as likely and half as likely are the same distance from 1). Suppressed ratios are
 * written out at 1 rather than drawn.
 */
export function riskRatioDots(figures, {width, measures, groups, height} = {}) {
  const rows = figures.map((f) => ({
    measure: f.measureTitle,
    group: f.label,
    ratio: f.suppressed || f.risk_ratio === null ? null : Math.max(0.2, Math.min(5, f.risk_ratio)), // off-scale ratios sit at the edge, labelled with their value
    raw: f.risk_ratio,
    text: f.suppressed ? (f.suppression === "fewer than 5" ? "<5" : "suppressed") : f.risk_ratio === null ? "–" : `${f.risk_ratio.toFixed(1)}×`
  }));
  return Plot.plot({
    width,
    height: height ?? 70 + groups.length * 30,
    marginLeft: 180,
    marginTop: 30,
    marginRight: 10,
    style: {fontSize: "12px"},
    fx: {domain: measures, label: null, padding: 0.08},
    x: {type: "log", domain: [0.15, 6], ticks: [0.5, 1, 2, 4], tickFormat: (d) => `${d}×`, label: null},
    y: {domain: groups, label: null},
    marks: [
      Plot.frame({stroke: "#ddd"}),
      Plot.ruleX([1], {stroke: "#888"}),
      Plot.dot(rows.filter((d) => d.ratio !== null), {fx: "measure", x: "ratio", y: "group", r: 5,
        fill: (d) => (d.raw >= 1.5 ? "#D55E00" : d.raw <= 0.67 ? "#0072B2" : "#888")}),
      Plot.text(rows.filter((d) => d.ratio !== null), {fx: "measure", x: "ratio", y: "group", text: "text", dy: -11, fontSize: 11}),
      Plot.text(rows.filter((d) => d.ratio === null), {fx: "measure", x: 1, y: "group", text: "text", fontSize: 10, fill: "#555", fontStyle: "italic"})
    ]
  });
}
