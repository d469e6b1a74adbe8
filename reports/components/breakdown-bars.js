import * as Plot from "npm:@observablehq/plot";

/**
 * Horizontal bars of negative events by one breakdown (category, location, subject…), largest
 * first: rows of mart_behaviour_hotspots for one week, year group and dimension, one per label.
 * Beyond `top` labels, the largest `top` − 1 are kept and the rest add up to one last bar
 * ("Other categories (3)"), so the bars account for every event the week's card counts.
 */
export function breakdownBars(rows, {width, label, top = 10} = {}) {
  const sorted = rows.map((d) => ({name: d.label, events: d.negative_events})).sort((a, b) => b.events - a.events);
  const rest = sorted.length > top ? sorted.slice(top - 1) : [];
  const totals = rest.length > 0
    ? [...sorted.slice(0, top - 1), {name: `Other ${String(label ?? "labels").toLowerCase()} (${rest.length})`, events: rest.reduce((n, d) => n + d.events, 0)}]
    : sorted;
  const longest = Math.max(...totals.map((d) => d.events), 1);
  return Plot.plot({
    width,
    height: 40 + totals.length * 22,
    marginLeft: 170,
    x: {grid: true, label: "Negative events", tickFormat: "d", ticks: Math.min(5, longest)},
    y: {label: null, domain: totals.map((d) => d.name)},
    marks: [
      Plot.barX(totals, {x: "events", y: "name", fill: "#4c78a8"}),
      Plot.text(totals, {x: "events", y: "name", text: (d) => String(d.events), dx: 4, textAnchor: "start"}),
      Plot.ruleX([0])
    ],
    ariaLabel: label
  });
}
