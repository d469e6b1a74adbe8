import * as Plot from "npm:@observablehq/plot";

/**
 * How BSC placements went on one recorded field (booklet, conduct, outcome): placements per
 * value in a fixed order, each labelled with its count and share. Unrecorded values are shown
 * as "Not recorded" rather than dropped, so the shares add up to the placements.
 */
export function bscShares(placements, {width, field, order = [], label}) {
  const counts = new Map();
  for (const d of placements) {
    const value = d[field] ?? "Not recorded";
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const domain = [...order.filter((v) => counts.has(v)), ...[...counts.keys()].filter((v) => !order.includes(v)).sort()];
  const total = placements.length;
  const rows = domain.map((value) => ({value, n: counts.get(value), share: counts.get(value) / total}));
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  return Plot.plot({
    width,
    height: 40 + rows.length * 26,
    marginLeft: 110,
    marginRight: 80,
    x: {grid: true, label: "Placements", tickFormat: "d"},
    y: {label: null, domain, tickFormat: cap},
    marks: [
      Plot.barX(rows, {x: "n", y: "value", fill: "#4c78a8"}),
      Plot.text(rows, {x: "n", y: "value", text: (d) => `${d.n} (${Math.round(d.share * 100)}%)`, dx: 4, textAnchor: "start"}),
      Plot.ruleX([0])
    ],
    ariaLabel: label
  });
}
