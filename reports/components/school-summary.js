import {ratio} from "./school-weeks.js";

/**
 * The period's figures for each school: totals over its weeks (staff, from schoolWeeks), or
 * the period's suppressed totals (aggregate builds, from schools-week.json's periods);
 * persistent absence as at the last week.
 */
export function schoolSummary(schools, {rows, periods, aggregate, academicYear, term, yearGroup}) {
  const periodName = term === "Whole year so far" ? "Year" : term;
  return schools.map((school_id) => {
    if (aggregate) {
      const p = periods.find((d) => d.school_id === school_id && d.academic_year === academicYear && d.period === periodName && d.year_group === (yearGroup === "All" ? null : yearGroup));
      if (!p) return {school_id, weeks: 0, averageRoll: null, suppressed: {}};
      const averageRoll = p.pupil_weeks === null ? null : p.pupil_weeks / p.weeks;
      return {
        school_id, weeks: p.weeks, averageRoll, lastWeek: p.last_week, suppressed: p.suppressed ?? {},
        negative_per_100: ratio(p.negative_events, p.pupil_weeks),
        attendance_pct: ratio(p.attending_sessions, p.possible_sessions),
        pa_pct: ratio(p.pupils_persistently_absent, p.pupils_on_roll),
        bsc_per_100: ratio(p.bsc_placements, averageRoll),
        suspensions_per_100: ratio(p.suspensions, averageRoll)
      };
    }
    const own = rows.filter((d) => d.school_id === school_id);
    const sum = (c) => own.reduce((n, d) => n + d[c], 0);
    const averageRoll = own.length > 0 ? sum("pupils_on_roll") / own.length : 0;
    const last = own.at(-1);
    return {
      school_id, weeks: own.length, averageRoll, lastWeek: last?.week_start, suppressed: {},
      negative_per_100: sum("pupils_on_roll") > 0 ? (100 * sum("negative_events")) / sum("pupils_on_roll") : null,
      attendance_pct: sum("possible_sessions") > 0 ? (100 * sum("attending_sessions")) / sum("possible_sessions") : null,
      pa_pct: last?.pa_pct ?? null,
      bsc_per_100: averageRoll > 0 ? (100 * sum("bsc_placements")) / averageRoll : null,
      suspensions_per_100: averageRoll > 0 ? (100 * sum("suspensions")) / averageRoll : null
    };
  });
}
