import * as Plot from "npm:@observablehq/plot";

const date = (d) => new Date(`${d.week_start}T00:00:00Z`);

/**
 * The watchlist backtest: for each past week, the share of the top-ranked pupils who went on to
 * a repeat BSC placement or a suspension within the horizon, against the share of all pupils.
 */
export function watchlistBacktest(weeks, {width, top = 20, horizonWeeks = 6} = {}) {
  const series = [`Top ${top} on the list`, "All pupils on roll (base rate)"];
  const rows = weeks.flatMap((d) => [
    {week_start: d.week_start, academic_year: d.academic_year, series: series[0], pct: d.hit_rate_pct, n: d.top_ranked_with_outcome, of: d.top_ranked},
    {week_start: d.week_start, academic_year: d.academic_year, series: series[1], pct: d.base_rate_pct, n: d.pupils_with_outcome, of: d.pupils_on_roll}
  ]).filter((d) => d.pct !== null);
  return Plot.plot({
    width,
    height: 280,
    marginLeft: 48,
    x: {type: "utc", label: "Week of the list (week commencing)", tickFormat: "%b %Y"},
    y: {grid: true, label: `Repeat BSC placement or suspension in the next ${horizonWeeks} school weeks (%)`, domain: [0, 100]},
    color: {legend: true, domain: series, range: ["#e15759", "#4c78a8"]},
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(rows, {x: date, y: "pct", stroke: "series", strokeWidth: 2, z: (d) => `${d.series}|${d.academic_year}`}),
      Plot.dot(rows, {x: date, y: "pct", fill: "series", r: 2}),
      Plot.tip(rows, Plot.pointer({x: date, y: "pct", title: (d) => `${d.series}, w/c ${d.week_start.split("-").reverse().join("/")}\n${d.n} of ${d.of} pupils (${d.pct.toFixed(1)}%)`}))
    ]
  });
}
