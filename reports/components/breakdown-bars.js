import * as Plot from "npm:@observablehq/plot";

/**
 * Horizontal bars of negative events by one breakdown (category, location, subject…), largest
 * first: rows of mart_behaviour_hotspots for one week, year group and dimension, one per label.
 */
export function breakdownBars(rows, {width, label, top = 10} = {}) {
  const totals = rows.map((d) => ({name: d.label, events: d.negative_events})).sort((a, b) => b.events - a.events).slice(0, top);
  return Plot.plot({
    width,
    height: 40 + totals.length * 22,
    marginLeft: 170,
    x: {grid: true, label: "Negative events", tickFormat: "d", ticks: Math.min(5, totals[0]?.events ?? 1)},
    y: {label: null, domain: totals.map((d) => d.name)},
    marks: [
      Plot.barX(totals, {x: "events", y: "name", fill: "#4c78a8"}),
      Plot.text(totals, {x: "events", y: "name", text: (d) => String(d.events), dx: 4, textAnchor: "start"}),
      Plot.ruleX([0])
    ],
    ariaLabel: label
  });
}
