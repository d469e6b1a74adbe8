import * as Plot from "npm:@observablehq/plot";

/**
 * BSC placements by reason, largest first, split into first placements and repeat referrals:
 * rows of mart_bsc_reasons for the chosen period and year group (counted in SQL, where the
 * reasons beyond 12 bars are already one "Other reasons (N)" row, so the bars always account
 * for every placement).
 */
export function bscReasons(reasons, {width, windowDays = 20} = {}) {
  const kinds = ["First placement", `Repeat (within ${windowDays} school days)`];
  const ordered = [...reasons].sort((a, b) => a.reason_order - b.reason_order);
  const domain = ordered.map((d) => d.reason);
  const rows = ordered
    .flatMap((d) => [{reason: d.reason, kind: kinds[0], n: d.first_placements}, {reason: d.reason, kind: kinds[1], n: d.repeat_placements}])
    .filter((d) => d.n > 0);
  return Plot.plot({
    width,
    height: 50 + domain.length * 24,
    marginLeft: 170,
    x: {grid: true, label: "Placements", tickFormat: "d"},
    y: {label: null, domain},
    color: {legend: true, domain: kinds, range: ["#4c78a8", "#f58518"]},
    marks: [
      Plot.barX(rows, {x: "n", y: "reason", fill: "kind", order: kinds, tip: true}),
      Plot.text(ordered, {y: "reason", x: "placements", text: (d) => String(d.placements), dx: 4, textAnchor: "start"}),
      Plot.ruleX([0])
    ]
  });
}
