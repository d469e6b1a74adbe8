/**
 * The shared state of one school's day-by-day simulation. The sanction and intervention
 * modules read and update it; `school.ts` advances `t` one school day at a time, so
 * everything that depends on "what happened before" sees only the past.
 */
import type { SchoolDay } from './calendar.ts';
import type { ContactLog } from './contacts.ts';
import { type Pupil, yearGroupIn } from './pupils.ts';
import type { Rng } from './random.ts';
import type { Staff } from './staff.ts';

export interface SchoolState {
  readonly days: readonly SchoolDay[];
  readonly pupils: readonly Pupil[];
  readonly staff: Staff;
  readonly contacts: ContactLog;
  /** Index of today in `days`. */
  t: number;

  /** Register codes today (empty when not on roll). */
  readonly am: string[];
  readonly pm: string[];
  /** Sessions of suspension (code E) still to serve, starting the next school day. */
  readonly suspensionLeft: Int32Array;
  /** Time intervals [from, to) today in which the pupil is not in lessons (BSC, sent home). */
  readonly blocked: Map<number, [number, number][]>;

  /** Per pupil per day (index pupil * days + t): negative events, absent and possible sessions. */
  readonly negatives: Uint16Array;
  readonly absent: Uint8Array;
  readonly possible: Uint8Array;

  /** Day indices of each pupil's BSC placements and suspension starts. */
  readonly bscDays: number[][];
  readonly suspensionDays: number[][];
  /** Day index from which the planted intervention effects apply (Infinity when never). */
  readonly behaviourEffectFrom: Float64Array;
  readonly attendanceEffectFrom: Float64Array;
}

export function createState(days: readonly SchoolDay[], pupils: readonly Pupil[], staff: Staff, contacts: ContactLog): SchoolState {
  const n = pupils.length;
  const cells = n * days.length;
  return {
    days,
    pupils,
    staff,
    contacts,
    t: 0,
    am: new Array<string>(n).fill(''),
    pm: new Array<string>(n).fill(''),
    suspensionLeft: new Int32Array(n),
    blocked: new Map(),
    negatives: new Uint16Array(cells),
    absent: new Uint8Array(cells),
    possible: new Uint8Array(cells),
    bscDays: Array.from({ length: n }, () => []),
    suspensionDays: Array.from({ length: n }, () => []),
    behaviourEffectFrom: new Float64Array(n).fill(Infinity),
    attendanceEffectFrom: new Float64Array(n).fill(Infinity),
  };
}

/** Sum of a per-pupil-per-day array over days [from, to], clipped to the simulated range. */
export function sumDays(state: SchoolState, arr: Uint16Array | Uint8Array, pupil: number, from: number, to: number): number {
  const base = pupil * state.days.length;
  let s = 0;
  for (let t = Math.max(0, from); t <= Math.min(to, state.days.length - 1); t++) s += arr[base + t];
  return s;
}

export function countSince(list: readonly number[], from: number): number {
  let n = 0;
  for (const t of list) if (t >= from) n++;
  return n;
}

export function isOnRoll(p: Pupil, state: SchoolState, t = state.t): boolean {
  const day = state.days[t].day;
  return p.admission <= day && (p.leaving === null || day <= p.leaving);
}

export function formOf(p: Pupil, startYear: number): string {
  return `${yearGroupIn(p, startYear)}${p.formLetter}`;
}

/** Keep the pupil out of lessons from `from` to `to` today. */
export function block(state: SchoolState, pupil: number, from: number, to: number): void {
  let list = state.blocked.get(pupil);
  if (!list) state.blocked.set(pupil, (list = []));
  list.push([from, to]);
}

export function isBlocked(state: SchoolState, pupil: number, minute: number): boolean {
  const list = state.blocked.get(pupil);
  if (!list) return false;
  for (const [a, b] of list) if (minute >= a && minute < b) return true;
  return false;
}
