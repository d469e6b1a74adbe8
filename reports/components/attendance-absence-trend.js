import * as Plot from "npm:@observablehq/plot";
import {weekTicks} from "./format.js";

const date = (d) => new Date(`${d.week_start}T00:00:00Z`);

/** Persistent (≥ 10%) and severe (≥ 50%) absence so far this year, % of pupils, each week, with national rules. */
export function absenceTrend(weeks, {width, nationalPersistent = null, nationalSevere = null, selectedWeek} = {}) {
  const series = ["Persistently absent (≥ 10% absence)", "Severely absent (≥ 50% absence)"];
  const rows = weeks.flatMap((d) => [
    {week_start: d.week_start, series: series[0], pct: d.persistent_pct, n: d.persistently_absent, of: d.pupils_measured},
    {week_start: d.week_start, series: series[1], pct: d.severe_pct, n: d.severely_absent, of: d.pupils_measured}
  ]).filter((d) => d.pct !== null);
  const rules = [
    nationalPersistent !== null ? {value: nationalPersistent, label: `National persistent absence 2023/24: ${nationalPersistent}%`, series: series[0]} : null,
    nationalSevere !== null ? {value: nationalSevere, label: `National severe absence 2023/24: ${nationalSevere}%`, series: series[1]} : null
  ].filter(Boolean);
  return Plot.plot({
    width,
    height: 280,
    marginLeft: 48,
    x: {type: "utc", label: "School week (week commencing)", tickFormat: "%-d %b", ticks: weekTicks(weeks.map((d) => d.week_start), width)},
    y: {grid: true, label: "Pupils, year to date (%)", zero: true},
    color: {legend: true, domain: series, range: ["#e15759", "#4e2a84"]},
    marks: [
      Plot.ruleY([0]),
      Plot.ruleY(rules, {y: "value", stroke: "series", strokeDasharray: "6,4", strokeOpacity: 0.7}),
      Plot.lineY(rows, {x: date, y: "pct", stroke: "series", strokeWidth: 2}),
      Plot.text(rules, {y: "value", text: "label", frameAnchor: "right", dy: -8, fill: "series", fontSize: 11, stroke: "white", strokeWidth: 4, paintOrder: "stroke"}),
      selectedWeek ? Plot.ruleX([new Date(`${selectedWeek}T00:00:00Z`)], {stroke: "#d62728", strokeWidth: 1.5}) : null,
      Plot.tip(rows, Plot.pointer({x: date, y: "pct", title: (d) => `${d.series}\nw/c ${d.week_start.split("-").reverse().join("/")}: ${d.n} of ${d.of} pupils (${d.pct.toFixed(1)}%)`}))
    ]
  });
}
