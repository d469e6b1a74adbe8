import * as Plot from "npm:@observablehq/plot";

/**
 * Kaplan–Meier re-referral curve: the share of BSC placements not yet followed by another
 * placement of the same pupil, against school days since the placement. Placements with no
 * later one count until the end of the data (censored), which a plain "% referred again"
 * cannot do. The tail is cut where fewer than `minAtRisk` placements are still followed,
 * because a handful of placements would make the steps look meaningful when they are not.
 */
export function kmCurve(rows, {width, windowDays = 20, minAtRisk = 10} = {}) {
  const shown = rows.filter((d) => d.at_risk >= minAtRisk);
  const points = [{school_days: 0, share: 1, at_risk: shown[0]?.at_risk ?? 0, rereferrals: 0}, ...shown.map((d) => ({...d, share: d.share_not_rereferred}))];
  const atWindow = points.filter((d) => d.school_days <= windowDays).at(-1);
  return Plot.plot({
    width,
    height: 280,
    marginLeft: 48,
    x: {label: "School days since the placement", grid: true},
    y: {label: "Placements not yet followed by another (%)", domain: [0, 100], grid: true},
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX([windowDays], {stroke: "#d62728", strokeDasharray: "4,3"}),
      Plot.text([atWindow], {
        x: windowDays,
        y: 8,
        dx: 6,
        textAnchor: "start",
        text: (d) => `${windowDays}-school-day window: ${Math.round((1 - d.share) * 100)}% referred again`,
        fill: "#b42318"
      }),
      Plot.line(points, {x: "school_days", y: (d) => d.share * 100, curve: "step-after", stroke: "#1f77b4", strokeWidth: 2}),
      Plot.tip(points, Plot.pointerX({
        x: "school_days",
        y: (d) => d.share * 100,
        title: (d) => `After ${d.school_days} school days: ${(d.share * 100).toFixed(1)}% not yet referred again\n${d.at_risk} placements still followed`
      }))
    ]
  });
}
