import * as Plot from "npm:@observablehq/plot";

const CLASS_NAMES = {present: "Present", approved: "Approved educational activity", authorised: "Authorised absence", unauthorised: "Unauthorised absence", not_possible: "Not a possible session"};
const CLASS_COLOURS = {present: "#4c78a8", approved: "#72b7b2", authorised: "#f58518", unauthorised: "#e15759", not_possible: "#bab0ac"};

/** Sessions by register code (one row per code: mart_attendance_codes for one group and year), largest first, coloured by what the code counts as; retired codes are marked. */
export function attendanceCodes(rows, {width} = {}) {
  const codes = rows.map((d) => ({code: d.code, description: d.description, cls: d.class, retired: d.is_retired, sessions: d.sessions})).sort((a, b) => b.sessions - a.sessions);
  const label = (c) => `${c.code}  ${c.description.length > 48 ? `${c.description.slice(0, 47)}…` : c.description}${c.retired ? " (retired code)" : ""}`;
  const classes = Object.keys(CLASS_NAMES).filter((k) => codes.some((c) => c.cls === k));
  return Plot.plot({
    width,
    height: 60 + codes.length * 22,
    marginLeft: 330,
    marginRight: 60,
    x: {grid: true, label: "Sessions", tickFormat: (v) => v.toLocaleString("en-GB")},
    y: {domain: codes.map(label), label: null},
    color: {legend: true, domain: classes.map((k) => CLASS_NAMES[k]), range: classes.map((k) => CLASS_COLOURS[k])},
    marks: [
      Plot.barX(codes, {x: "sessions", y: label, fill: (c) => CLASS_NAMES[c.cls], title: (c) => `${c.code}: ${c.description}\n${CLASS_NAMES[c.cls]}\n${c.sessions.toLocaleString("en-GB")} sessions`}),
      Plot.text(codes, {x: "sessions", y: label, text: (c) => c.sessions.toLocaleString("en-GB"), dx: 4, textAnchor: "start"}),
      Plot.ruleX([0])
    ]
  });
}
