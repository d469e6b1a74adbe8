// Section 6 of the termly report: gaps between pupil groups, each group against all other
// pupils (v from termlyView).
import {resize} from "npm:@observablehq/stdlib";
import {html} from "npm:htl";
import {figureCell} from "./termly-format.js";
import {riskRatioDots} from "./termly-risk-ratios.js";
import {termlyTable} from "./termly-table.js";

const GAP_MEASURES = [
  ["negative_per_100_per_week", "Negative events", "per 100 pupils per week"],
  ["bsc_placements", "BSC placements", "per 100 pupils"],
  ["suspensions", "Suspensions", "per 100 pupils"],
  ["absence_pct", "Absence", "% of sessions"],
  ["persistent_absence_pct", "Persistent absence", "% of pupils"]
];
const GAP_BREAKDOWNS = ["SEN", "Disadvantaged", "EAL", "Gender"];

const groupsOf = (v) => GAP_BREAKDOWNS.flatMap((b) => v.at.list("pupils_on_roll", b)).map((f) => f.label);

/** The risk ratios of every group and measure as dots. */
export function gapsChart(v) {
  const figures = GAP_MEASURES.flatMap(([m, title]) => GAP_BREAKDOWNS.flatMap((b) => v.at.list(m, b)).map((f) => ({...f, measureTitle: title})));
  return resize((width) => riskRatioDots(figures, {width, measures: GAP_MEASURES.map(([, t]) => t), groups: groupsOf(v)}));
}

/** Each group's rate / all other pupils' rate, and the risk ratio, per measure. */
export function gapsTable(v) {
  const gapGroups = groupsOf(v);
  const gapMeasures = GAP_MEASURES;
  return termlyTable(gapGroups, [
  {label: "Group", align: "left", value: (g) => g},
  {label: "Pupils", count: true, value: (g) => figureCell(v.at.get("pupils_on_roll", {label: g}), {digits: 0})},
  ...gapMeasures.map(([m, title, unit]) => ({
    label: html`${title}<br><span class="termly-unit">${unit}</span>`,
    value: (g) => {
      const f = v.at.get(m, {label: g});
      // A hidden figure says so once, not for the group, the others and the ratio.
      return !f || f.suppressed ? figureCell(f) : html`${figureCell(f)} / ${figureCell(f, {field: "rest_value"})}<br><span class="termly-ratio">${figureCell(f, {field: "risk_ratio", digits: 1, suffix: "×"})}</span>`;
    }
  }))
]);
}
