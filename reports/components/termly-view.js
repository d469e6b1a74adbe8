import {figureText} from "./termly-format.js";

/**
 * What every section of the termly report needs for one school and term (a row of
 * report.terms(school)): the figures (`fig(measure, {label, period})`), the previous term's
 * label, the settings, the year groups, and the national figure of each measure (value, year,
 * source, from ref_national_benchmarks: the full year's, or this term's alone where DfE
 * publishes one).
 */
export function termlyView(report, {school, term}) {
  const at = report.at(school, term.term_index);
  const previous = term.previous_term_label;
  const national = (measure) => report.measure(measure, term.term);
  return {
    report, school, term, at, previous,
    settings: report.settings,
    threshold: report.settings.small_count_threshold,
    fig: (measure, options) => at.get(measure, options),
    yearGroupLabels: at.list("pupils_on_roll", "year_group").map((f) => f.label),
    vsPrevious: previous ? `vs ${previous}` : "no earlier term in the data",
    national,
    nationalCell: (measure) => national(measure).national_value == null ? "–" : `${national(measure).national_value.toLocaleString("en-GB")} (${national(measure).national_year})`,
    sources: (...measures) => [...new Set(measures.map((m) => national(m).national_source).filter(Boolean))].join("; ")
  };
}

/** A figure's change since the previous term, for a KPI card's comparison. */
export function termlyChange(f, digits = 1) {
  return {change: f && !f.suppressed && !f.previous_suppressed ? f.change : null, text: figureText(f, {field: "change", digits, signed: true})};
}

/** Rows of the mixed tables (counts and rates) that hold counts. */
export const isCountRow = (r) => r.field === "count" || r.countRow === true;
