// The schools comparison's figures for a period, from schools-week.json: one row per school
// and week (the chosen year groups added up) with its weekly rates, and one summary per school.
// In the leaders', governors' and trust builds (`aggregate`), counts come suppressed: a hidden
// count is null, and any figure made from one is null too.

/** A value, or null when any part of it is hidden (suppressed) or missing. */
export const ratio = (top, bottom, scale = 100) => (top === null || bottom === null || bottom === undefined || !(bottom > 0) ? null : (scale * top) / bottom);

const COUNTS = ["pupils_on_roll", "negative_events", "possible_sessions", "attending_sessions", "pupils_persistently_absent", "bsc_placements", "suspensions"];

/**
 * One row per school and week of the period (`term` "Whole year so far" or a term name), the
 * chosen year groups added up (staff) or all year groups (aggregate builds), sorted by school
 * and week, with negative_per_100, attendance_pct, pa_pct and (staff only) BSC placements and
 * suspensions per 100 pupils added up from the start of the period.
 */
export function schoolWeeks(weeks, {academicYear, term, yearGroup, aggregate, schools}) {
  const chosen = weeks.filter((d) => d.academic_year === academicYear && (term === "Whole year so far" || d.term === term) && (aggregate || yearGroup === "All" || d.year_group === yearGroup));
  const rows = [...new Set(chosen.map((d) => `${d.school_id}|${d.week_start}`))].map((key) => {
    const [school_id, week_start] = key.split("|");
    const parts = chosen.filter((d) => d.school_id === school_id && d.week_start === week_start);
    const sum = (c) => (aggregate && parts.some((d) => d[c] === null) ? null : parts.reduce((n, d) => n + (d[c] ?? 0), 0));
    return {school_id, week_start, week: new Date(`${week_start}T00:00:00Z`), ...Object.fromEntries(COUNTS.map((c) => [c, sum(c)]))};
  }).sort((a, b) => a.school_id.localeCompare(b.school_id) || a.week_start.localeCompare(b.week_start));
  // Weekly rates, and BSC and suspensions per 100 pupils added up over the period (comparable with a yearly national rate).
  for (const s of schools) {
    let bsc = 0, suspensions = 0, roll = 0, n = 0;
    for (const d of rows.filter((d) => d.school_id === s)) {
      bsc += d.bsc_placements; suspensions += d.suspensions; roll += d.pupils_on_roll; n += 1;
      d.negative_per_100 = ratio(d.negative_events, d.pupils_on_roll);
      d.attendance_pct = ratio(d.attending_sessions, d.possible_sessions);
      d.pa_pct = ratio(d.pupils_persistently_absent, d.pupils_on_roll);
      d.bsc_per_100_so_far = aggregate ? null : roll > 0 ? (100 * bsc) / (roll / n) : null;
      d.suspensions_per_100_so_far = aggregate ? null : roll > 0 ? (100 * suspensions) / (roll / n) : null;
    }
  }
  return rows;
}
