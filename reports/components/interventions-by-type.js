import * as Plot from "npm:@observablehq/plot";

const STATUS_COLOURS = {Running: "#f58518", Completed: "#4c78a8", Withdrawn: "#bab0ac", Planned: "#72b7b2", Ended: "#9d755d"};
const STATUS_ORDER = Object.keys(STATUS_COLOURS);

/** Interventions started in the year, by type, stacked by where they are now. */
export function interventionsByType(list, {width} = {}) {
  const statusOf = (d) => (d.is_running ? "Running" : d.status === "completed" ? "Completed" : d.status === "withdrawn" ? "Withdrawn" : d.status === "planned" ? "Planned" : "Ended");
  const rows = list.map((d) => ({type: d.type ?? "Not recorded", status: statusOf(d)}));
  const totals = new Map();
  for (const d of rows) totals.set(d.type, (totals.get(d.type) ?? 0) + 1);
  const types = [...totals].sort((a, b) => b[1] - a[1]).map(([t]) => t);
  const statuses = STATUS_ORDER.filter((s) => rows.some((d) => d.status === s));
  return Plot.plot({
    width,
    height: 50 + types.length * 26,
    marginLeft: 200,
    x: {grid: true, label: "Interventions", tickFormat: "d"},
    y: {domain: types, label: null},
    color: {legend: true, domain: statuses, range: statuses.map((s) => STATUS_COLOURS[s])},
    marks: [
      Plot.barX(rows, Plot.groupY({x: "count"}, {y: "type", fill: "status", order: statuses, tip: true})),
      Plot.text(types, {y: (t) => t, x: (t) => totals.get(t), text: (t) => String(totals.get(t)), dx: 4, textAnchor: "start"}),
      Plot.ruleX([0])
    ]
  });
}
