// One pupil's records (rows of mart_pupil_timeline) sorted out for one academic year: the
// records by kind, newest first, the year's attendance and the support running at its end.

const newestFirst = (a, b) => b.date.localeCompare(a.date);
const newestFirstWithTime = (a, b) => (b.date + (b.time ?? "")).localeCompare(a.date + (a.time ?? ""));

/** The year's records and figures for the pupil profile (the timeline spans 1 September to 31 July). */
export function pupilYear(records, academicYear) {
  const firstYear = academicYear ? Number(String(academicYear).slice(0, 4)) : new Date().getUTCFullYear();
  const yearStart = new Date(Date.UTC(firstYear, 8, 1));
  const yearEnd = new Date(Date.UTC(firstYear + 1, 6, 31));
  const [yearStartIso, yearEndIso] = [yearStart, yearEnd].map((d) => d.toISOString().slice(0, 10));
  // Interventions count in every year they run in; everything else in the year it happened.
  const yearRecords = records.filter((d) => d.kind === "intervention"
    ? d.date <= yearEndIso && (!d.end_date || d.end_date >= yearStartIso)
    : d.academic_year === academicYear);
  const of = (kind, order) => yearRecords.filter((d) => d.kind === kind).sort(order);
  const behaviour = of("behaviour", newestFirstWithTime);
  const weeks = of("attendance_week", (a, b) => a.date.localeCompare(b.date));
  const interventions = of("intervention", newestFirst);
  const lastWeek = weeks.at(-1)?.date;
  // The year so far as the models have it, at the end of the last week with marks.
  const standing = weeks.findLast((d) => d.attendance_pct_to_date !== null);
  return {
    yearStart, yearEnd, yearRecords, behaviour, weeks, interventions, lastWeek,
    possible: standing?.possible_sessions_to_date ?? 0,
    attending: standing?.attending_sessions_to_date ?? 0,
    // The year's negative points as mart_pupil_timeline's negative_points_year defines them (the
    // absolute points of the pupil's negative events of the year, summed), summed here: the page
    // data leaves that column out, as its year's total would change every earlier term's rows.
    negativePoints: behaviour.filter((d) => d.polarity === "negative").reduce((sum, d) => sum + Math.abs(d.points ?? 0), 0),
    negative: behaviour.filter((d) => d.polarity === "negative"),
    positive: behaviour.filter((d) => d.polarity === "positive"),
    bsc: of("bsc", newestFirst),
    detentions: of("detention", newestFirst),
    suspensions: of("suspension", newestFirst),
    contacts: of("contact", newestFirstWithTime),
    // The year so far at the end of its last week, as the models have it (mart_pupil_timeline,
    // from int_attendance_thresholds_by_pupil_week): the page does not redefine either.
    attendancePct: standing?.attendance_pct_to_date ?? null,
    persistentlyAbsent: standing?.persistently_absent_to_date === true,
    activeNow: interventions.filter((d) => !d.end_date || (lastWeek && d.end_date >= lastWeek))
  };
}
