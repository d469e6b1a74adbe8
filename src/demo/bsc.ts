/**
 * Behaviour Support Centre placements. A serious incident (severity ≥ 4, or a severity-3
 * one sent to the BSC) leads to a placement: the same day, from the next lesson, when it
 * happened in the morning and the pupil is in for the afternoon; otherwise the next school
 * day the pupil is in (a suspension in between cancels it). The PSO records periods,
 * booklet, conduct, outcome, parent contact and reintegration.
 */
import { hhmm } from './dates.ts';
import { PARAMS } from './params.ts';
import { type Pupil, yearGroupIn } from './pupils.ts';
import { Chooser, type Rng } from './random.ts';
import { block, type SchoolState } from './state.ts';
import type { Suspensions } from './suspensions.ts';
import { END_OF_DAY, lessonPeriod } from './timetable.ts';
import type { CsvTable } from './write-csv.ts';
import { PRESENT_CODES } from './attendance.ts';

export interface BscRequest {
  readonly eventId: string;
  readonly referredBy: string;
  readonly reason: string;
  readonly statement: boolean;
  readonly category: string;
  readonly severity: number;
  /** Days the pupil was not in to start it; given up after a few. */
  tries: number;
}

const outcomeChooser = Chooser.of(PARAMS.sanctions.bscOutcomes);
const CONDUCT: Record<string, Chooser<string>> = {
  completed: Chooser.of([['good', 60], ['satisfactory', 35], ['poor', 5]]),
  extended: Chooser.of([['good', 10], ['satisfactory', 40], ['poor', 50]]),
  escalated: Chooser.of([['satisfactory', 20], ['poor', 80]]),
  'sent home': Chooser.of([['satisfactory', 30], ['poor', 70]]),
  suspended: Chooser.of([['poor', 1]]),
};
const BOOKLET: Record<string, Chooser<string>> = {
  good: Chooser.of([['completed', 80], ['partial', 18], ['not completed', 2]]),
  satisfactory: Chooser.of([['completed', 40], ['partial', 50], ['not completed', 10]]),
  poor: Chooser.of([['completed', 5], ['partial', 35], ['not completed', 60]]),
};
/** Next-day placements: a whole day most often, otherwise the morning or a few lessons. */
const NEXT_DAY_PERIODS = Chooser.of<number>([
  [2, 15],
  [3, 15],
  [4, 25],
  [6, 45],
]);

export class Bsc {
  private readonly rows: (string | number)[][] = [];
  private readonly pending = new Map<number, BscRequest>();

  constructor(
    private readonly state: SchoolState,
    private readonly rng: Rng,
    private readonly suspensions: Suspensions,
  ) {}

  /** Refer the pupil after an incident at `minute` today. */
  refer(p: Pupil, minute: number, req: Omit<BscRequest, 'tries'>): void {
    const { state } = this;
    const i = p.index;
    // In the morning, with lessons left and the pupil in for the afternoon: same day.
    const nextLesson = [1, 2, 3, 4, 5, 6].find((n) => lessonPeriod(n).start > minute + 5);
    const pmIn = PRESENT_CODES.has(state.pm[i]);
    if (nextLesson !== undefined && nextLesson <= 4 && pmIn && this.rng.chance(0.7)) {
      this.place(p, { ...req, tries: 0 }, nextLesson, 6 - nextLesson + 1);
      return;
    }
    // Otherwise tomorrow; a newer serious incident does not replace a waiting placement.
    if (!this.pending.has(i)) this.pending.set(i, { ...req, tries: 0 });
  }

  /** Start the placements waiting for today (called after the registers, before lessons). */
  startPending(): void {
    const { state } = this;
    for (const [i, req] of [...this.pending]) {
      const p = state.pupils[i];
      const am = state.am[i];
      if (am === '' || am === 'E' || state.suspensionLeft[i] > 0) {
        this.pending.delete(i); // off roll or suspended: the suspension supersedes it
        continue;
      }
      if (!PRESENT_CODES.has(am)) {
        if (++req.tries > 3) this.pending.delete(i);
        continue;
      }
      this.pending.delete(i);
      let n = NEXT_DAY_PERIODS.draw(this.rng);
      if (!PRESENT_CODES.has(state.pm[i])) n = Math.min(n, 4);
      this.place(p, req, 1, n);
    }
  }

  private place(p: Pupil, req: BscRequest, firstLesson: number, periods: number): void {
    const { state, rng } = this;
    const t = state.t;
    const start = firstLesson === 1 ? lessonPeriod(1).start - 15 : lessonPeriod(firstLesson).start;
    const end = lessonPeriod(firstLesson + periods - 1).end;
    block(state, p.index, start, end);
    state.bscDays[p.index].push(t);

    let outcome = t + 1 < state.days.length ? outcomeChooser.draw(rng) : 'completed';
    // Walking out of the BSC ends in a suspension more often for FSM and SEN pupils (national gaps).
    if (outcome === 'suspended' && !rng.chance(this.suspensions.groupFactor(p) / 4)) outcome = 'escalated';
    const conduct = CONDUCT[outcome].draw(rng);
    const booklet = BOOKLET[conduct].draw(rng);
    const parentContacted = rng.chance(0.85);
    const pso = rng.pick(state.staff.pso);
    const c = state.contacts;
    if (parentContacted) c.add(p.studentId, t, end + rng.int(0, 40), c.phoneOrEmail(), 'BSC placement', pso);
    let reintegration = '';
    if (rng.chance(0.9)) {
      const after = rng.weightedIndex([30, 45, 15, 10]);
      const r = Math.min(state.days.length - 1, t + after);
      reintegration = state.days[r].iso;
      if (rng.chance(0.35)) {
        const hoy = state.staff.headOfYear[yearGroupIn(p, state.days[t].startYear)] ?? pso;
        c.add(p.studentId, r, after === 0 ? end + 15 : 8 * 60 + 30 + rng.int(0, 30), 'meeting', 'Reintegration', hoy);
      }
    }
    this.rows.push([
      `B${String(this.rows.length + 1).padStart(6, '0')}`,
      p.studentId,
      state.days[t].iso,
      req.referredBy,
      req.reason,
      req.eventId,
      periods,
      hhmm(start),
      hhmm(end),
      booklet,
      conduct,
      outcome,
      parentContacted ? 'Y' : 'N',
      req.statement ? 'Y' : 'N',
      reintegration,
    ]);
    if (outcome === 'sent home') block(state, p.index, end, END_OF_DAY + 90);
    if (outcome === 'suspended' && this.suspensions.canSuspend(p)) this.suspensions.suspend(p, null, 3, end);
  }

  writeTo(table: CsvTable): void {
    for (const r of this.rows) table.push(r);
  }

  get count(): number {
    return this.rows.length;
  }
}
