import {number} from "./format.js";

const latest = (benchmarks, measure) => benchmarks.filter((d) => d.measure === measure).sort((a, b) => a.academic_year.localeCompare(b.academic_year)).at(-1);

/**
 * The five measures the schools comparison shows, each with its national figure where the DfE
 * publishes one (the latest year in `benchmarks`; attendance is ref_national_benchmarks'
 * attendance_pct, 100 − the overall absence rate); the national suspension rate is for a whole
 * year, so it is given only for the whole year.
 */
export function schoolMeasures(benchmarks, {wholeYear}) {
  const attendance = latest(benchmarks, "attendance_pct");
  const pa = latest(benchmarks, "persistent_absence_pct");
  const suspensions = latest(benchmarks, "suspensions_per_100");
  return [
    {key: "negative_per_100", label: "Negative events per 100 pupils per week", digits: 1, better: "lower"},
    {key: "attendance_pct", label: "Attendance (% of possible sessions)", digits: 1, better: "higher", national: attendance && {value: attendance.value, text: `${number(attendance.value, 1)}%`, source: attendance}},
    {key: "pa_pct", label: "Persistently absent (% of pupils, at the last week)", digits: 1, better: "lower", national: pa && {value: pa.value, text: `${number(pa.value, 1)}%`, source: pa}},
    {key: "bsc_per_100", label: "BSC placements per 100 pupils", digits: 1, better: "lower"},
    {key: "suspensions_per_100", label: "Suspensions per 100 pupils", digits: 1, better: "lower", national: suspensions && wholeYear && {value: suspensions.value, text: `${number(suspensions.value, 1)} (full year)`, source: suspensions}}
  ];
}

/** A measure's national figure as a chart's dashed rule ({value, label}), or a falsy value when there is none. */
export function nationalRule(measure, suffix = "") {
  return measure.national && {value: measure.national.value, label: `England ${measure.national.source.academic_year}${suffix}`};
}

/** The sources of the national figures the comparison uses, for its footnote. */
export function nationalSources(benchmarks) {
  return ["attendance_pct", "persistent_absence_pct", "suspensions_per_100"].map((m) => latest(benchmarks, m)).filter(Boolean).map((d) => d.source);
}
