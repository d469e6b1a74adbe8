import * as Plot from "npm:@observablehq/plot";

export const BAND_LABELS = ["Under 90%", "90–92.9%", "93–95.9%", "96% or more"];
// ColorBrewer RdBu ends: colour-blind safe, and red still reads as "worst".
export const BAND_COLOURS = ["#b2182b", "#f4a582", "#92c5de", "#2166ac"];

/** Attendance % by year group (rows) and school week (columns), coloured in the school's bands (rows of mart_attendance_week: its attendance_pct). */
export function attendanceHeatmap(rows, {width, selectedWeek} = {}) {
  const yearGroups = [...new Set(rows.map((d) => d.year_group))].sort((a, b) => a - b).map((y) => `Year ${y}`);
  const weeks = [...new Set(rows.map((d) => d.week_start))].sort();
  const cells = rows
    .filter((d) => d.attendance_pct !== null)
    .map((d) => ({week: d.week_start, year: `Year ${d.year_group}`, pct: d.attendance_pct}));
  return Plot.plot({
    width,
    height: 70 + yearGroups.length * 30,
    marginLeft: 64,
    marginBottom: 40,
    x: {type: "band", domain: weeks, label: "School week (week commencing)", tickFormat: (w) => w.slice(8, 10) + "/" + w.slice(5, 7), ticks: weeks.filter((_, i) => i % 4 === 0), padding: 0.05},
    y: {domain: yearGroups, label: null, padding: 0.05},
    color: {type: "threshold", domain: [90, 93, 96], range: BAND_COLOURS, legend: true, label: "Attendance that week (%)", tickFormat: (v) => `${v}%`},
    marks: [
      Plot.cell(cells, {x: "week", y: "year", fill: "pct", tip: {format: {fill: (v) => `${v.toFixed(1)}%`, x: (w) => `w/c ${w.split("-").reverse().join("/")}`}}}),
      selectedWeek ? Plot.cell(yearGroups, {x: () => selectedWeek, y: (y) => y, fill: null, stroke: "black", strokeWidth: 2}) : null
    ]
  });
}
