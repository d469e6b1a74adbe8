/**
 * The school day: registration at 08:40, six 50-minute lessons, break and lunch.
 * The morning register covers everything up to the end of lunch; the afternoon register
 * is taken at the start of P5, so P5, P6 and after school belong to the PM session.
 */
export type Session = 'AM' | 'PM';

export interface Period {
  readonly name: string;
  /** Minutes after midnight, [start, end). */
  readonly start: number;
  readonly end: number;
  readonly session: Session;
  /** 1–6 for lessons, 0 otherwise. */
  readonly lesson: number;
}

const t = (h: number, m: number) => h * 60 + m;

export const PERIODS: readonly Period[] = [
  { name: 'Before school', start: t(8, 5), end: t(8, 40), session: 'AM', lesson: 0 },
  { name: 'Registration', start: t(8, 40), end: t(8, 55), session: 'AM', lesson: 0 },
  { name: 'P1', start: t(8, 55), end: t(9, 45), session: 'AM', lesson: 1 },
  { name: 'P2', start: t(9, 45), end: t(10, 35), session: 'AM', lesson: 2 },
  { name: 'Break', start: t(10, 35), end: t(10, 55), session: 'AM', lesson: 0 },
  { name: 'P3', start: t(10, 55), end: t(11, 45), session: 'AM', lesson: 3 },
  { name: 'P4', start: t(11, 45), end: t(12, 35), session: 'AM', lesson: 4 },
  { name: 'Lunch', start: t(12, 35), end: t(13, 20), session: 'AM', lesson: 0 },
  { name: 'P5', start: t(13, 20), end: t(14, 10), session: 'PM', lesson: 5 },
  { name: 'P6', start: t(14, 10), end: t(15, 0), session: 'PM', lesson: 6 },
  { name: 'After school', start: t(15, 0), end: t(16, 30), session: 'PM', lesson: 0 },
];

export const PERIOD_BY_NAME: ReadonlyMap<string, Period> = new Map(PERIODS.map((p) => [p.name, p]));
export const LESSONS: readonly Period[] = PERIODS.filter((p) => p.lesson > 0);
export const lessonPeriod = (n: number): Period => LESSONS[n - 1];

export const END_OF_DAY = t(15, 0);
