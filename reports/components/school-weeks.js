// The schools comparison's rows for the period on screen, as the marts give them (every figure
// computed in SQL: mart_school_week, mart_school_period, or their suppressed versions in the
// leaders', governors' and trust builds, where a hidden figure is null). Selection only.

const WHOLE_YEAR = "Whole year so far";

/**
 * One row per school and week of the period (`term`: "Whole year so far" or a term name), sorted
 * by school and week, with `week` as a Date and the BSC and suspension rates so far counted from
 * the start of the period (the term's, or the year's; null in aggregate builds, which ship none).
 */
export function schoolWeeks(weeks, {term}) {
  const wholeYear = term === WHOLE_YEAR;
  return weeks
    .filter((d) => wholeYear || d.term === term)
    .map((d) => ({
      ...d,
      week: new Date(`${d.week_start}T00:00:00Z`),
      bsc_per_100_so_far: (wholeYear ? d.bsc_per_100_year_so_far : d.bsc_per_100_term_so_far) ?? null,
      suspensions_per_100_so_far: (wholeYear ? d.suspensions_per_100_year_so_far : d.suspensions_per_100_term_so_far) ?? null
    }))
    .sort((a, b) => a.school_id.localeCompare(b.school_id) || a.week_start.localeCompare(b.week_start));
}

/**
 * Each school's row of the period ('Year' for the whole year so far) and year group (0: all),
 * in the order of `schools`; a school with no week in it gets {weeks: 0} and no figures.
 */
export function schoolSummary(schools, periods, {term, yearGroup, aggregate}) {
  const period = term === WHOLE_YEAR ? "Year" : term;
  return schools.map((school_id) => periods.find((d) => d.school_id === school_id && d.period === period && d.year_group === yearGroup) ?? {school_id, weeks: 0, average_roll: aggregate ? null : 0});
}
