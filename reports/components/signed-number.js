// A signed figure as the impact pages print it: "+2.6", "−0.25" (a true minus sign, to read
// clearly on a projector), "0.0" for zero. A figure that is not 0 never prints as zero: it
// gets the decimals it needs to show its first significant digit ("+0.04" at 1 decimal), as
// the impact marts keep it (impact_bound, sql/macros/impact.sql), so an interval whose verdict
// is a clear difference never reads as reaching 0.

/** The decimals `v` is printed with: `digits`, or more when `digits` would print a figure that is not 0 as 0. */
function decimalsFor(v, digits) {
  if (v === 0 || Number(Math.abs(v).toFixed(digits)) !== 0) return digits;
  return Math.min(10, -Math.floor(Math.log10(Math.abs(v))));
}

/** `v` with its sign and `digits` decimals (more for a figure that is not 0 but rounds to it); "" for none. */
export function signedNumber(v, digits) {
  if (v === null || v === undefined) return "";
  const text = Math.abs(v).toFixed(decimalsFor(v, digits));
  return `${v > 0 ? "+" : v < 0 ? "−" : ""}${text}`;
}
