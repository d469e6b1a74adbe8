/**
 * The English school year: three terms, six half-terms, bank holidays, Easter.
 *
 * Term dates follow the usual local-authority pattern rather than one council's list:
 * - Autumn: pupils start on the first weekday on or after 3 September (the INSET days
 *   come before it), half-term is the week of the last Monday of October, the term ends on
 *   the last weekday on or before 19 December.
 * - Spring: first weekday on or after 4 January; half-term is the week of the third Monday
 *   of February; the term ends on the Friday nine days before Easter Sunday, so the two
 *   Easter holiday weeks straddle Good Friday and Easter Monday.
 * - Summer: from the Monday after Easter Monday's week; half-term is the week of the late
 *   May bank holiday; the year ends when it reaches 190 pupil days, but never before
 *   15 July nor after 24 July (so 185–195 days in odd years).
 * Bank holidays inside a term (early May, coronation-style extras) are not school days, nor
 * are the INSET (staff training) days: the working days before pupils start in September,
 * and the first working day of half-terms 2, 3, 5 and 6. With those, 190 pupil days end
 * around 20 July, as in most English schools.
 */
import { academicYearLabel, type Day, dayOf, isoOf, isWeekend, onOrAfter, onOrBefore, weekday } from './dates.ts';

export type Term = 'Autumn' | 'Spring' | 'Summer';

export interface HalfTermSpec {
  readonly academicYear: string;
  readonly startYear: number;
  readonly term: Term;
  readonly halfTerm: number;
  /** First and last school day of the half-term. */
  readonly start: Day;
  readonly end: Day;
}

export interface SchoolDay {
  readonly day: Day;
  readonly iso: string;
  readonly weekday: number;
  readonly startYear: number;
  readonly academicYear: string;
  readonly halfTerm: number;
  readonly indexInYear: number;
  /** School days left in this half-term after this one (0 on the last day before a break). */
  readonly daysToBreak: number;
  /** Last school day of its Monday–Friday week (where weekly reviews happen). */
  readonly lastOfWeek: boolean;
}

export interface AcademicYearCalendar {
  readonly startYear: number;
  readonly label: string;
  readonly halfTerms: readonly HalfTermSpec[];
  readonly schoolDays: readonly SchoolDay[];
}

/** Easter Sunday (Gregorian), by the anonymous (Meeus/Jones/Butcher) algorithm. */
export function easterSunday(year: number): Day {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return dayOf(year, month, date);
}

const MON = 1;

function lastMonday(year: number, month: number): Day {
  // Day 0 of the next month is the last day of this one.
  return onOrBefore(dayOf(year, month + 1, 0), MON);
}

/** Bank holidays in England and Wales for a calendar year, with substitute days. */
export function bankHolidays(year: number): Set<Day> {
  const days = new Set<Day>();
  const add = (d: Day) => days.add(d);

  // New Year's Day, moved to the Monday when it falls at a weekend.
  const ny = dayOf(year, 1, 1);
  add(isWeekend(ny) ? onOrAfter(ny, MON) : ny);

  const easter = easterSunday(year);
  add(easter - 2); // Good Friday
  add(easter + 1); // Easter Monday

  // Early May: first Monday, except years when it was moved (VE Day 75 in 2020).
  add(year === 2020 ? dayOf(2020, 5, 8) : onOrAfter(dayOf(year, 5, 1), MON));
  // Spring: last Monday of May, except jubilee years.
  if (year === 2022) {
    add(dayOf(2022, 6, 2));
    add(dayOf(2022, 6, 3));
  } else if (year === 2012) {
    add(dayOf(2012, 6, 4));
    add(dayOf(2012, 6, 5));
  } else {
    add(lastMonday(year, 5));
  }
  // One-off extras that fell in term time.
  if (year === 2011) add(dayOf(2011, 4, 29));
  if (year === 2022) add(dayOf(2022, 9, 19));
  if (year === 2023) add(dayOf(2023, 5, 8));

  add(lastMonday(year, 8)); // Summer bank holiday

  // Christmas and Boxing Day with substitutes.
  const xmas = dayOf(year, 12, 25);
  const wx = weekday(xmas);
  if (wx === 6) {
    add(xmas + 2);
    add(xmas + 3);
  } else if (wx === 0) {
    add(xmas + 1);
    add(xmas + 2);
  } else if (wx === 5) {
    add(xmas);
    add(xmas + 3);
  } else {
    add(xmas);
    add(xmas + 1);
  }
  return days;
}

const TARGET_DAYS = 190;

/** Monday–Friday, not a bank holiday. */
function isWorkingDay(d: Day, holidays: Set<Day>): boolean {
  return !isWeekend(d) && !holidays.has(d);
}

function workingDays(from: Day, to: Day, holidays: Set<Day>): Day[] {
  const out: Day[] = [];
  for (let d = from; d <= to; d++) if (isWorkingDay(d, holidays)) out.push(d);
  return out;
}

/** The school calendar of the academic year starting in September of `startYear`. */
export function academicYearCalendar(startYear: number): AcademicYearCalendar {
  const y1 = startYear;
  const y2 = startYear + 1;
  const holidays = new Set<Day>([...bankHolidays(y1), ...bankHolidays(y2)]);
  const firstWeekdayFrom = (d: Day) => {
    while (!isWorkingDay(d, holidays)) d++;
    return d;
  };

  const autumnStart = firstWeekdayFrom(dayOf(y1, 9, 3));
  const octHalfTerm = lastMonday(y1, 10);
  const autumnEnd = (() => {
    let d = dayOf(y1, 12, 19);
    while (isWeekend(d)) d--;
    return d;
  })();
  const springStart = firstWeekdayFrom(dayOf(y2, 1, 4));
  const febHalfTerm = onOrAfter(dayOf(y2, 2, 1), MON) + 14; // third Monday of February
  const easter = easterSunday(y2);
  const springEnd = easter - 9; // the Friday a week before Good Friday
  const summerStart = easter + 8; // the Monday after Easter Monday's week
  const mayHalfTerm = lastMonday(y2, 5);

  const ranges: [Term, number, Day, Day][] = [
    ['Autumn', 1, autumnStart, octHalfTerm - 3],
    ['Autumn', 2, octHalfTerm + 7, autumnEnd],
    ['Spring', 3, springStart, febHalfTerm - 3],
    ['Spring', 4, febHalfTerm + 7, springEnd],
    ['Summer', 5, summerStart, mayHalfTerm - 3],
  ];
  // INSET days: the first working day after the October, Christmas, Easter and May breaks.
  for (const [, halfTerm, from] of ranges) if (halfTerm !== 1 && halfTerm !== 4) holidays.add(firstWeekdayFrom(from));
  holidays.add(firstWeekdayFrom(mayHalfTerm + 7));
  let counted = 0;
  for (const [, , from, to] of ranges) counted += workingDays(from, to, holidays).length;

  // Summer 2 runs until the year reaches its 190 days, within 15–24 July.
  const summer2Start = firstWeekdayFrom(mayHalfTerm + 7);
  const earliestEnd = dayOf(y2, 7, 15);
  const latestEnd = dayOf(y2, 7, 24);
  let summerEnd = summer2Start;
  let total = counted;
  for (let d = summer2Start; d <= latestEnd; d++) {
    if (!isWorkingDay(d, holidays)) continue;
    if (total >= TARGET_DAYS && d > earliestEnd) break;
    total++;
    summerEnd = d;
  }
  ranges.push(['Summer', 6, summer2Start, summerEnd]);

  const label = academicYearLabel(startYear);
  const halfTerms: HalfTermSpec[] = [];
  const schoolDays: SchoolDay[] = [];
  for (const [term, halfTerm, from, to] of ranges) {
    const days = workingDays(from, to, holidays);
    halfTerms.push({ academicYear: label, startYear, term, halfTerm, start: days[0], end: days[days.length - 1] });
    days.forEach((day, i) => {
      const next = days[i + 1];
      schoolDays.push({
        day,
        iso: isoOf(day),
        weekday: weekday(day),
        startYear,
        academicYear: label,
        halfTerm,
        indexInYear: schoolDays.length,
        daysToBreak: days.length - 1 - i,
        // The last school day of the week: the next school day is in another Mon–Fri week.
        lastOfWeek: next === undefined || next - day >= 7 || weekday(next) <= weekday(day),
      });
    });
  }
  return { startYear, label, halfTerms, schoolDays };
}
