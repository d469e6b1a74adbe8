import * as Plot from "npm:@observablehq/plot";

/**
 * How BSC placements went on one recorded field (booklet, conduct, outcome), from one row of
 * mart_bsc_repeat (the chosen period and year group): placements per value in a fixed order,
 * each labelled with its count and share (`<field>_<value>` and `<field>_<value>_share_pct`,
 * counted in SQL). Values left blank are shown as "Not recorded" rather than dropped, so the
 * bars add up to the placements. Values with no placements are left out.
 */
export function bscShares(headline, {width, field, order = [], label}) {
  const rows = [...order, "Not recorded"]
    .map((value) => {
      const column = `${field}_${value.toLowerCase().replaceAll(" ", "_")}`;
      return {value, n: headline[column] ?? 0, share: headline[`${column}_share_pct`]};
    })
    .filter((d) => d.n > 0);
  const domain = rows.map((d) => d.value);
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  return Plot.plot({
    width,
    height: 40 + rows.length * 26,
    marginLeft: 110,
    marginRight: 80,
    x: {grid: true, label: "Placements", tickFormat: "d"},
    y: {label: null, domain, tickFormat: cap},
    marks: [
      Plot.barX(rows, {x: "n", y: "value", fill: "#4c78a8"}),
      Plot.text(rows, {x: "n", y: "value", text: (d) => `${d.n} (${d.share}%)`, dx: 4, textAnchor: "start"}),
      Plot.ruleX([0])
    ],
    ariaLabel: label
  });
}
