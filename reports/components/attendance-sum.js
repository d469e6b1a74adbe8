// Counts in attendance-yeargroup-week add up across year groups: this sums them per week, for
// "all year groups", and derives the percentages from the sums (never by averaging percentages).
const COUNTS = [
  "pupils_on_roll", "pupils_measured", "possible_sessions", "attending_sessions", "possible_sessions_to_date", "attending_sessions_to_date",
  "persistently_absent", "severely_absent", "at_risk_band", "band_green", "band_amber", "band_amber_red", "band_red",
  "penalty_threshold_now", "late_before_close_sessions", "late_after_close_sessions", "minutes_late_before_close",
  "minutes_late_after_close", "entered_persistent_absence", "entered_severe_absence", "entered_at_risk_band", "reached_penalty_threshold"
];

const pct = (part, whole) => (whole > 0 ? (100 * part) / whole : null);

/** One row per week (sorted), summed over the given rows, with attendance, PA and severe percentages. */
export function attendanceByWeek(rows) {
  const weeks = new Map();
  for (const d of rows) {
    let w = weeks.get(d.week_start);
    if (!w) weeks.set(d.week_start, (w = {week_start: d.week_start, week_number: d.week_number, term: d.term, ...Object.fromEntries(COUNTS.map((c) => [c, 0]))}));
    for (const c of COUNTS) w[c] += d[c] ?? 0;
  }
  return [...weeks.values()]
    .sort((a, b) => a.week_start.localeCompare(b.week_start))
    .map((w) => ({
      ...w,
      attendance_pct: pct(w.attending_sessions, w.possible_sessions),
      attendance_pct_to_date: pct(w.attending_sessions_to_date, w.possible_sessions_to_date),
      persistent_pct: pct(w.persistently_absent, w.pupils_measured),
      severe_pct: pct(w.severely_absent, w.pupils_measured),
      at_risk_pct: pct(w.at_risk_band, w.pupils_measured)
    }));
}
