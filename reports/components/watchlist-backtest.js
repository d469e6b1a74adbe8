import * as Plot from "npm:@observablehq/plot";
import {BACKTEST_RULES} from "./watchlist-backtest-summary.js";

const date = (d) => new Date(`${d.week_start}T00:00:00Z`);

/**
 * The watchlist backtest, week by week: the share of the top-N pupils picked by the watchlist
 * and by each naive rule who went on to a repeat BSC placement or a suspension within the
 * horizon, against the share of all pupils (base rate). Fitting weeks are shaded: the score's
 * weights were chosen on them, so only the other weeks test it.
 */
export function watchlistBacktest(rows, {width, top = 20, horizonWeeks = 6} = {}) {
  const base = "All pupils on roll (base rate)";
  const labels = Object.fromEntries(BACKTEST_RULES.map((r) => [r.rule, `Top ${top}: ${r.short}`]));
  const series = [...BACKTEST_RULES.map((r) => labels[r.rule]), base];
  const lines = [
    ...rows.map((d) => ({...d, series: labels[d.rule], pct: d.hit_rate_pct, n: d.picked_with_outcome, of: d.picked})),
    ...rows.filter((d) => d.rule === "watchlist").map((d) => ({...d, series: base, pct: d.base_rate_pct, n: d.pupils_with_outcome, of: d.pupils_on_roll}))
  ].filter((d) => d.pct !== null && d.series);
  const fitting = rows.filter((d) => d.rule === "watchlist" && d.period === "fitting");
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 48,
    x: {type: "utc", label: "Week of the list (week commencing)", tickFormat: "%b %Y"},
    y: {grid: true, label: `Repeat BSC placement or suspension in the next ${horizonWeeks} school weeks (%)`, domain: [0, 100]},
    color: {legend: true, domain: series, range: [...BACKTEST_RULES.map((r) => r.colour), "#4c78a8"]},
    marks: [
      // A week's band spans Monday to Sunday, so the shading covers the fitting weeks' points.
      Plot.rectX(fitting, {x1: date, x2: (d) => new Date(date(d).getTime() + 7 * 864e5), y1: 0, y2: 100, fill: "#bab0ac", fillOpacity: 0.18}),
      Plot.text(fitting.slice(0, 1), {x: date, y: 97, text: () => "fitting weeks", textAnchor: "start", dx: 3, fill: "currentColor", fillOpacity: 0.7}),
      Plot.ruleY([0]),
      Plot.lineY(lines, {x: date, y: "pct", stroke: "series", strokeWidth: 2, z: (d) => `${d.series}|${d.academic_year}`}),
      Plot.dot(lines, {x: date, y: "pct", fill: "series", r: 1.8}),
      Plot.tip(lines, Plot.pointer({x: date, y: "pct", title: (d) => `${d.series}, w/c ${d.week_start.split("-").reverse().join("/")} (${d.period} week)\n${d.n} of ${d.of} pupils (${d.pct.toFixed(1)}%)`}))
    ]
  });
}
