import * as Plot from "npm:@observablehq/plot";
import {ukDate} from "./format.js";

// The school's attendance bands (DOMAIN.md) in ColorBrewer RdBu, which colour-blind readers can tell apart.
const BANDS = [
  {name: "96–100%", min: 96, color: "#2166ac"},
  {name: "93–95.9%", min: 93, color: "#92c5de"},
  {name: "90–92.9%", min: 90, color: "#f4a582"},
  {name: "Below 90%", min: -Infinity, color: "#b2182b"}
];

/**
 * One pupil's attendance each school week (attendance_week rows of mart_pupil_timeline: the
 * week's attendance_pct), coloured by band, with a dashed line at 90% (below it over a year is
 * persistent absence).
 */
export function pupilAttendance(weeks, {width} = {}) {
  const data = weeks
    .filter((d) => d.attendance_pct !== null)
    .map((d) => ({...d, week: new Date(`${d.date}T00:00:00Z`), pct: d.attendance_pct, band: BANDS.find((b) => d.attendance_pct >= b.min).name}));
  return Plot.plot({
    width,
    height: 240,
    marginLeft: 48,
    x: {type: "utc", label: "School week (week commencing)", tickFormat: "%-d %b"},
    y: {domain: [0, 100], label: "Attendance (% of possible sessions)", grid: true},
    color: {domain: BANDS.map((b) => b.name), range: BANDS.map((b) => b.color), legend: true, label: "Band"},
    marks: [
      Plot.rectY(data, {x: "week", interval: "week", y: "pct", fill: "band", inset: 1}),
      Plot.ruleY([90], {stroke: "#333", strokeDasharray: "4,3"}),
      Plot.ruleY([0]),
      Plot.tip(data, Plot.pointerX({x: "week", y: "pct", title: (d) => `w/c ${ukDate(d.date)}\n${d.attending_sessions} of ${d.possible_sessions} sessions attended (${d.pct.toFixed(0)}%)\n${d.unauthorised_sessions} unauthorised absence(s), ${d.late_sessions} late`}))
    ]
  });
}
