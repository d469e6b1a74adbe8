import {bySchoolId} from "./school-order.js";

/**
 * The termly report's data (the Arrow files of data/termly-report.tar.ts, already suppressed in
 * SQL, read as rows) with look-ups by school and term.
 *
 *   const report = termlyData({settings, terms, measures, termNationals, figures});
 *   report.schools()                       → ["DEMO1", "DEMO2"]
 *   report.terms("DEMO1")                  → the school's terms, in order
 *   const at = report.at("DEMO1", 5);      → figures of one school and term
 *   at.get("suspensions")                  → the whole-school figure for the term alone
 *   at.get("suspensions", {period: "year_to_date"})
 *   at.list("absence_pct", "year_group")   → one figure per year group
 *   at.weekly("Year 7")                    → the weekly trend rows of a year group
 *   report.series("DEMO1", "negative_per_100_per_week", "year_group", 5) → term by term up to term 5
 *   report.measure("absence_pct")          → unit and national figure (value, year, source)
 *   report.measure("persistent_absence_pct", "Autumn") → the same, with the national figure for
 *                                            that term alone where DfE publishes one
 *   report.settings                        → small_count_threshold, repeat_referral_window_days…
 */
export function termlyData({settings: settingsRows, terms, measures, termNationals = [], figures}) {
  // One row of settings (as read from settings.arrow), or the row itself.
  const settings = Array.isArray(settingsRows) ? settingsRows[0] : settingsRows;
  const byTerm = new Map();
  for (const f of figures) {
    const key = `${f.school_id}|${f.term_index}`;
    if (!byTerm.has(key)) byTerm.set(key, []);
    byTerm.get(key).push(f);
  }
  const measureInfo = new Map(measures.map((m) => [m.measure, m]));
  const termNational = new Map(termNationals.map((n) => [`${n.measure}|${n.term}`, n]));
  const at = (school, termIndex) => {
    const list = byTerm.get(`${school}|${termIndex}`) ?? [];
    return {
      get: (measure, {label = "All", period = "term"} = {}) =>
        list.find((f) => f.measure === measure && f.label === label && f.period === period && f.week_start === null) ?? null,
      list: (measure, breakdown, {period = "term"} = {}) =>
        list
          .filter((f) => f.measure === measure && f.breakdown === breakdown && f.period === period && f.week_start === null)
          .sort((a, b) => a.label_order - b.label_order || String(a.label).localeCompare(String(b.label))),
      weekly: (label) => list.filter((f) => f.measure === "negative_per_100_week" && (label === undefined || f.label === label)),
      all: list
    };
  };
  return {
    settings,
    schools: () => [...new Set(terms.map((t) => t.school_id))].sort(bySchoolId),
    terms: (school) => terms.filter((t) => t.school_id === school).sort((a, b) => a.term_index - b.term_index),
    at,
    series: (school, measure, breakdown, upToTermIndex, count = 6) =>
      terms
        .filter((t) => t.school_id === school && t.term_index <= upToTermIndex && t.term_index > upToTermIndex - count)
        .flatMap((t) => at(school, t.term_index).list(measure, breakdown).map((f) => ({...f, term_label: t.term_label}))),
    measure: (measure, term) => {
      const info = measureInfo.get(measure) ?? {measure, unit: ""};
      const forTerm = term === undefined ? undefined : termNational.get(`${measure}|${term}`);
      return forTerm
        ? {...info, national_value: forTerm.national_value, national_year: `${term.toLowerCase()} term ${forTerm.national_year}`, national_source: forTerm.national_source}
        : info;
    }
  };
}
