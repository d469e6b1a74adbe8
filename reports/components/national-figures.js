// The national figures a page compares with (int_national_latest, shipped as
// attendance-benchmarks.json), picked out once so pages do not search the list themselves.

/** {absence, attendance, persistent, severe}: the benchmark rows of one year (null when missing); attendance: the value of int_national_latest's overall_attendance_pct (100 − absence, to 1 dp). */
export function nationalFigures(benchmarks, academicYear = "2023/24") {
  const find = (measure) => benchmarks.find((d) => d.measure === measure && d.academic_year === academicYear) ?? null;
  return {
    academicYear,
    absence: find("overall_absence_pct"),
    attendance: find("overall_attendance_pct")?.value ?? null,
    persistent: find("persistent_absence_pct"),
    severe: find("severe_absence_pct")
  };
}
