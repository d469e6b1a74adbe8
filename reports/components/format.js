// Formatting shared by the pages: UK dates, signed changes, per-100 rates.

/** "2025-09-15" → "15/09/2025" (UK, day first). */
export function ukDate(iso) {
  if (!iso) return "";
  const [y, m, d] = String(iso).slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

/** A change with its sign, or an en dash when there is nothing to compare with. */
export function signed(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const fixed = Math.abs(value).toFixed(digits);
  return value > 0 ? `+${fixed}` : value < 0 ? `−${fixed}` : fixed;
}

export function number(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return Number(value).toLocaleString("en-GB", {minimumFractionDigits: digits, maximumFractionDigits: digits});
}

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"];
export const PERIOD_ORDER = ["Before school", "Registration", "P1", "P2", "Break", "P3", "P4", "Lunch", "P5", "P6", "After school", "Between periods", "Unknown"];

/**
 * Sorts periods in school-day order: by `order` (period → its place in the school's day, from
 * the hotspots' period_order) when given, else by the usual English day, anything
 * unrecognised after the known ones.
 */
export function periodDomain(periods, order) {
  if (order && periods.every((p) => order.get(p) !== null && order.get(p) !== undefined)) {
    return [...periods].sort((a, b) => order.get(a) - order.get(b) || a.localeCompare(b));
  }
  const known = PERIOD_ORDER.filter((p) => periods.includes(p));
  const other = periods.filter((p) => !PERIOD_ORDER.includes(p)).sort();
  return [...known, ...other];
}

/** "2026-07-21" → "Tuesday 21 July 2026", the way a UK school writes a date on a list. */
export function longDate(iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  const part = (options) => date.toLocaleDateString("en-GB", {...options, timeZone: "UTC"});
  return `${part({weekday: "long"})} ${part({day: "numeric"})} ${part({month: "long"})} ${part({year: "numeric"})}`;
}

/**
 * Ticks for a time axis of school weeks (each mark at its Monday, "week commencing"): over a
 * term or less, on Mondays (every week, or every other one when they would crowd), so a tick
 * names a week's first day; over longer spans undefined, leaving Plot's month ticks ("1 Oct").
 * Plot's own choice for a few months is weekly ticks on Sundays: a day before each week starts.
 */
export function weekTicks(weekStarts, width) {
  const times = weekStarts.map((w) => Date.parse(`${String(w).slice(0, 10)}T00:00:00Z`)).filter(Number.isFinite);
  if (times.length === 0) return undefined;
  const weeks = (Math.max(...times) - Math.min(...times)) / (7 * 24 * 3600 * 1000) + 1;
  if (weeks > 26) return undefined;
  return weeks * 60 > width ? "2 mondays" : "monday";
}
