import * as Plot from "npm:@observablehq/plot";

/**
 * BSC placements by reason, largest first, split into first placements and repeat referrals.
 * Beyond the `top` reasons the rest are added up in one "Other reasons" bar, so the bars
 * always account for every placement.
 */
export function bscReasons(placements, {width, windowDays = 20, top = 12} = {}) {
  const kinds = ["First placement", `Repeat (within ${windowDays} school days)`];
  const reasonOf = (d) => d.reason ?? "Not recorded";
  const counts = new Map();
  for (const d of placements) counts.set(reasonOf(d), (counts.get(reasonOf(d)) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([r]) => r);
  const kept = new Set(ranked.length > top ? ranked.slice(0, top - 1) : ranked);
  const other = `Other reasons (${ranked.length - kept.size})`;
  const rows = placements.map((d) => ({reason: kept.has(reasonOf(d)) ? reasonOf(d) : other, kind: d.is_repeat ? kinds[1] : kinds[0]}));
  const totals = new Map();
  for (const d of rows) totals.set(d.reason, (totals.get(d.reason) ?? 0) + 1);
  const domain = [...kept, ...(kept.size < ranked.length ? [other] : [])];
  return Plot.plot({
    width,
    height: 50 + domain.length * 24,
    marginLeft: 170,
    x: {grid: true, label: "Placements", tickFormat: "d"},
    y: {label: null, domain},
    color: {legend: true, domain: kinds, range: ["#4c78a8", "#f58518"]},
    marks: [
      Plot.barX(rows, Plot.groupY({x: "count"}, {y: "reason", fill: "kind", order: kinds, tip: true})),
      Plot.text(domain, {y: (r) => r, x: (r) => totals.get(r), text: (r) => String(totals.get(r)), dx: 4, textAnchor: "start"}),
      Plot.ruleX([0])
    ]
  });
}
