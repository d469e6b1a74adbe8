import * as Plot from "npm:@observablehq/plot";
import {ukDate, weekTicks} from "./format.js";

/** Okabe–Ito: colours that stay distinct for the common kinds of colour blindness. */
export const SCHOOL_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"];

/** The other schools' lines when one school is picked out of more than there are colours. */
const OTHERS = "#c4c4c4";

/** More schools than distinct colours: the charts draw every school in grey and one picked out. */
export const tooManyToColour = (schools) => schools.length > SCHOOL_COLOURS.length;

/** A school's colour in the charts (its place in `schools`), or null when there are too many schools to colour each. */
export function schoolColour(schools, school_id) {
  const i = schools.indexOf(school_id);
  return tooManyToColour(schools) || i < 0 ? null : SCHOOL_COLOURS[i];
}

/**
 * One measure per school each school week, a line per school named at its end (so the lines
 * are told apart by label, not colour alone). `benchmark`: {value, label} drawn as a dashed rule.
 * With more schools than colours (a trust of thirty), thirty coloured lines and labels cannot be
 * told apart: every school is a thin grey line (named in its tip), and `highlight` (a school id)
 * is drawn over them in colour and named at its end, so a leader sees one school against the spread.
 */
export function schoolTrend(rows, {width, y, label, schools, highlight = null, benchmark, digits = 1, height = 260, zero = true} = {}) {
  const data = rows.filter((d) => d[y] !== null && d[y] !== undefined && !Number.isNaN(d[y]));
  const many = tooManyToColour(schools);
  const named = many ? schools.filter((s) => s === highlight) : schools;
  // End labels, nudged apart so two schools ending close together stay readable.
  const values = [...data.map((d) => d[y]), ...(benchmark ? [benchmark.value] : [])];
  const low = zero ? Math.min(0, ...values) : Math.min(...values);
  const high = Math.max(...values);
  const gap = (16 * (high - low || 1)) / (height - 60);
  const labels = named
    .map((school_id) => data.filter((d) => d.school_id === school_id).at(-1))
    .filter(Boolean)
    .sort((a, b) => a[y] - b[y])
    .map((d) => ({school_id: d.school_id, week: d.week, labelY: d[y]}));
  for (let i = 1; i < labels.length; i++) labels[i].labelY = Math.max(labels[i].labelY, labels[i - 1].labelY + gap);
  return Plot.plot({
    width,
    height,
    marginLeft: 48,
    marginRight: 70,
    x: {type: "utc", label: "School week (week commencing)", tickFormat: "%-d %b", ticks: weekTicks(data.map((d) => d.week_start), width)},
    y: {grid: true, label, zero, nice: true},
    color: many ? undefined : {domain: schools, range: SCHOOL_COLOURS, legend: true},
    marks: [
      zero ? Plot.ruleY([0]) : null,
      benchmark ? Plot.ruleY([benchmark.value], {stroke: "#555", strokeDasharray: "5,4"}) : null,
      benchmark ? Plot.text([benchmark], {x: data.at(0)?.week, y: "value", text: "label", textAnchor: "start", dy: -7, fill: "#444"}) : null,
      many
        ? [
            Plot.lineY(data, {x: "week", y, z: "school_id", stroke: OTHERS, strokeWidth: 1}),
            Plot.lineY(data.filter((d) => d.school_id === highlight), {x: "week", y, stroke: SCHOOL_COLOURS[0], strokeWidth: 2.5})
          ]
        : Plot.lineY(data, {x: "week", y, stroke: "school_id", strokeWidth: 2}),
      Plot.text(labels, {x: "week", y: "labelY", text: "school_id", fill: many ? SCHOOL_COLOURS[0] : "school_id", textAnchor: "start", dx: 5, fontWeight: "bold"}),
      Plot.tip(data, Plot.pointer({x: "week", y, stroke: many ? OTHERS : "school_id", title: (d) => `${d.school_id}, w/c ${ukDate(d.week_start)}\n${label}: ${d[y].toFixed(digits)}`}))
    ]
  });
}
