/**
 * Plain calendar dates as whole days since 1970-01-01, computed with UTC so the machine's
 * time zone (Europe/London in tests, UTC in CI) can never shift a date.
 */

const MS_PER_DAY = 86_400_000;

export type Day = number;

export function dayOf(year: number, month: number, date: number): Day {
  return Math.round(Date.UTC(year, month - 1, date) / MS_PER_DAY);
}

const isoCache = new Map<Day, string>();

/** `2025-09-01` for a day; cached, since the generator asks for the same few thousand days millions of times. */
export function isoOf(day: Day): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}

export function dayFromIso(iso: string): Day {
  const [y, m, d] = iso.split('-').map(Number);
  return dayOf(y, m, d);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: Day): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: Day): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

/** The first day on or after `day` that falls on weekday `w`. */
export function onOrAfter(day: Day, w: number): Day {
  return day + ((w - weekday(day) + 7) % 7);
}

/** The last day on or before `day` that falls on weekday `w`. */
export function onOrBefore(day: Day, w: number): Day {
  return day - ((weekday(day) - w + 7) % 7);
}

/** `HH:MM` from minutes after midnight. */
export function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** `2025/26` for the academic year starting in September 2025. */
export function academicYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}
