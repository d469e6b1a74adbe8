// The national figures a page compares with (ref_national_benchmarks, shipped as
// attendance-benchmarks.json), picked out once so pages do not search the list themselves.

/** {absence, attendance, persistent, severe}: the benchmark rows of one year (null when missing); attendance = 100 − absence, to 1 dp. */
export function nationalFigures(benchmarks, academicYear = "2023/24") {
  const find = (measure) => benchmarks.find((d) => d.measure === measure && d.academic_year === academicYear) ?? null;
  const absence = find("overall_absence_pct");
  return {
    academicYear,
    absence,
    attendance: absence ? Math.round((100 - absence.value) * 10) / 10 : null,
    persistent: find("persistent_absence_pct"),
    severe: find("severe_absence_pct")
  };
}
