import * as Plot from "npm:@observablehq/plot";
import {signedNumber} from "./signed-number.js";

const MEASURES = {
  negative: {
    value: "negative_did", low: "negative_did_low", high: "negative_did_high", digits: 2,
    axis: "← fewer incidents · change in negative events per pupil per school week, against the comparison group · more incidents →",
    better: "down"
  },
  attendance: {
    value: "attendance_did", low: "attendance_did_low", high: "attendance_did_high", digits: 1,
    axis: "← lower attendance · change in attendance (percentage points), against the comparison group · higher attendance →",
    better: "up"
  }
};

/**
 * Impact per intervention type / focus as a dot (the difference-in-differences) and a line
 * (its bootstrap 95% interval), with a zero line. Rows the model withholds for having too few
 * pupils show the words "too few pupils to say" where the dot would be, never a number.
 * Colour says what the interval says: clearly better, clearly worse, or cannot tell.
 */
export function impactDots(rows, {width, measure = "negative"} = {}) {
  const m = MEASURES[measure];
  const labelOf = (d) => (d.breakdown === "focus" ? `${d.label.charAt(0).toUpperCase()}${d.label.slice(1)} focus` : d.label);
  const rank = {all: 0, focus: 1, type: 2};
  const ordered = rows.slice().sort((a, b) => rank[a.breakdown] - rank[b.breakdown] || a.label.localeCompare(b.label));
  const domain = ordered.map(labelOf);
  const shown = ordered.filter((d) => d.enough_pupils && d[m.value] !== null);
  const withheld = ordered.filter((d) => !(d.enough_pupils && d[m.value] !== null));
  const verdicts = ["Better than the comparison", "Cannot tell apart from no difference", "Worse than the comparison"];
  const verdict = (d) => {
    const below = d[m.high] < 0, above = d[m.low] > 0;
    if (!below && !above) return verdicts[1];
    return (below === (m.better === "down")) ? verdicts[0] : verdicts[2];
  };
  const extent = Math.max(0.1, ...shown.flatMap((d) => [Math.abs(d[m.low]), Math.abs(d[m.high])]));
  return Plot.plot({
    width,
    height: 60 + domain.length * 30,
    marginLeft: 200,
    marginRight: 70,
    x: {domain: [-extent * 1.1, extent * 1.1], grid: true, label: m.axis, labelAnchor: "center", labelArrow: "none"},
    y: {domain, label: null},
    color: {legend: true, domain: verdicts, range: ["#1f77b4", "#9e9e9e", "#e15759"]},
    marks: [
      Plot.ruleX([0], {stroke: "black"}),
      Plot.ruleY(shown, {y: labelOf, x1: m.low, x2: m.high, stroke: verdict, strokeWidth: 3}),
      Plot.dot(shown, {
        x: m.value, y: labelOf, fill: verdict, r: 6, stroke: "white",
        title: (d) => `${labelOf(d)}: ${signedNumber(d[m.value], m.digits)} (95% interval ${signedNumber(d[m.low], m.digits)} to ${signedNumber(d[m.high], m.digits)}), ${d.pupils} pupils`
      }),
      Plot.text(withheld, {
        x: 0, y: labelOf, dx: 8, textAnchor: "start", fill: "#555", fontStyle: "italic",
        text: (d) => `too few pupils to say (${d.pupils} with an estimate; ${d.impact_min_pupils} needed)`
      }),
      Plot.text(shown, {x: extent * 1.1, y: labelOf, dx: 6, textAnchor: "start", text: (d) => `${d.pupils} pupils`, fill: "#555"})
    ]
  });
}
