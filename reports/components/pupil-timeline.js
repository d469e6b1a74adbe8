import * as Plot from "npm:@observablehq/plot";
import {ukDate} from "./format.js";

// Okabe–Ito colours, each lane with its own symbol too, so no lane relies on colour alone.
const LANES = [
  {kind: "behaviour-negative", lane: "Negative behaviour", fill: "#D55E00", symbol: "circle"},
  {kind: "behaviour-positive", lane: "Positive behaviour", fill: "#009E73", symbol: "triangle"},
  {kind: "bsc", lane: "BSC placement", fill: "#CC79A7", symbol: "square"},
  {kind: "detention", lane: "Detention", fill: "#E69F00", symbol: "diamond"},
  {kind: "suspension", lane: "Suspension", fill: "#000000", symbol: "cross"},
  {kind: "contact", lane: "Parent contact", fill: "#0072B2", symbol: "star"}
];

const day = (iso) => new Date(`${iso}T00:00:00Z`);

function laneOf(d) {
  if (d.kind === "behaviour") return d.polarity === "positive" ? "behaviour-positive" : d.polarity === "negative" ? "behaviour-negative" : null;
  return LANES.some((l) => l.kind === d.kind) ? d.kind : null;
}

function describe(d) {
  switch (d.kind) {
    case "behaviour": return `${d.category ?? "Behaviour"} (${d.points ?? 0} pts${d.period ? `, ${d.period}` : ""})`;
    case "bsc": return `BSC: ${d.category ?? "no reason given"}${d.is_repeat ? " (repeat)" : ""}`;
    case "detention": return `${d.session ?? ""} detention: ${d.category ?? ""} (${d.status ?? "no status"})`;
    case "suspension": return `Suspension: ${d.category ?? ""}, ${d.sessions ?? "?"} sessions`;
    case "contact": return `${d.method ?? "Contact"}: ${d.category ?? ""}`;
    default: return d.kind;
  }
}

/**
 * One pupil's year as lanes: behaviour (negative, positive), BSC placements, detentions,
 * suspensions and parent contacts as marks on their dates (bigger when several fall on one
 * day), and each intervention as a bar from its start to its end (to the edge while it runs).
 * Comments are never shown here: tooltips carry category, points, period and status only.
 */
export function pupilTimeline(rows, {width, start, end} = {}) {
  const byDay = new Map();
  for (const d of rows) {
    const kind = laneOf(d);
    if (!kind) continue;
    const key = `${kind}|${d.date}`;
    const cell = byDay.get(key) ?? {kind, date: day(d.date), iso: d.date, items: []};
    cell.items.push(describe(d));
    byDay.set(key, cell);
  }
  const marks = [...byDay.values()].map((c) => ({...c, ...LANES.find((l) => l.kind === c.kind), count: c.items.length}));
  const interventions = rows
    .filter((d) => d.kind === "intervention")
    .map((d) => ({
      lane: d.category ?? "Intervention",
      start: day(d.date),
      end: d.end_date ? day(d.end_date) : end,
      running: !d.end_date,
      label: `${d.category} (${d.focus ?? "no focus"}): ${ukDate(d.date)} to ${d.end_date ? ukDate(d.end_date) : "ongoing"}, ${d.status ?? ""}${d.sessions_planned ? `, ${d.sessions ?? 0} of ${d.sessions_planned} sessions` : ""}`
    }));
  const interventionLanes = [...new Set(interventions.map((d) => d.lane))];
  const lanes = [...LANES.map((l) => l.lane), ...interventionLanes];
  return Plot.plot({
    width,
    height: 60 + lanes.length * 34,
    marginLeft: 190,
    marginRight: 20,
    x: {type: "utc", domain: [start, end], label: "Date", grid: true},
    // Long intervention names are cut to fit; the tooltip has the full name.
    y: {domain: lanes, label: null, tickFormat: (d) => (d.length > 30 ? `${d.slice(0, 29)}…` : d)},
    r: {range: [4, 11]},
    marks: [
      Plot.barX(interventions, {x1: "start", x2: "end", y: "lane", fill: "#56B4E9", fillOpacity: 0.8, inset: 6, clip: true}),
      Plot.dot(marks, {x: "date", y: "lane", r: "count", symbol: "symbol", fill: "fill", stroke: "white", strokeWidth: 0.8}),
      Plot.tip(marks, Plot.pointer({x: "date", y: "lane", title: (d) => `${ukDate(d.iso)}\n${d.items.join("\n")}`})),
      Plot.tip(interventions, Plot.pointer({x1: "start", x2: "end", y: "lane", title: "label"}))
    ]
  });
}
