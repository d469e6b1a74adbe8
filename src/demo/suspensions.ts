/**
 * Suspensions and permanent exclusions.
 *
 * A suspension follows a serious incident (a chance that rises with severity and, as the
 * national figures show, is higher for FSM, SEN support and EHCP pupils and after repeated
 * BSC use), a BSC placement that ended in "suspended", or persistent disruption (another
 * incident after three BSC placements in 20 school days). It starts the next school day and
 * its sessions are coded E in the register. A permanent exclusion is a severity-5 incident by
 * a pupil already suspended three times this year: E for the sessions until the pupil
 * comes off roll (leaving_date).
 */
import { dayFromIso } from './dates.ts';
import { END_OF_DAY } from './timetable.ts';
import { PARAMS } from './params.ts';
import { type Pupil, yearGroupIn } from './pupils.ts';
import { Chooser, type Rng } from './random.ts';
import { block, countSince, type SchoolState } from './state.ts';
import type { CsvTable } from './write-csv.ts';

const S = PARAMS.sanctions;

/** DfE reason codes by incident category; PD is persistent disruptive behaviour. */
const REASONS: Record<string, Chooser<string>> = {
  Physical: Chooser.of([['PP', 80], ['PA', 20]]),
  'Verbal abuse': Chooser.of([['VP', 45], ['VA', 45], ['RA', 6], ['LG', 4]]),
  Bullying: Chooser.of([['BU', 75], ['RA', 10], ['LG', 8], ['MT', 7]]),
  Damage: Chooser.of([['DM', 85], ['TH', 15]]),
  Vaping: Chooser.of([['DA', 1]]),
  'Mobile phone': Chooser.of([['MT', 60], ['PD', 40]]),
};

const LENGTHS = Chooser.of<number>([
  [2, 38],
  [3, 4],
  [4, 25],
  [6, 17],
  [8, 5],
  [10, 11],
]);

interface SuspensionRow {
  readonly id: string;
  readonly studentId: string;
  readonly start: string;
  readonly sessions: number;
  readonly type: 'suspension' | 'permanent';
  readonly reason: string;
}

export class Suspensions {
  private readonly rows: SuspensionRow[] = [];
  readonly thisYear: Int32Array;
  permanentCount = 0;

  constructor(
    private readonly state: SchoolState,
    private readonly rng: Rng,
  ) {
    this.thisYear = new Int32Array(state.pupils.length);
  }

  newYear(): void {
    this.thisYear.fill(0);
  }

  /**
   * Over and above their higher incident rates, FSM and SEN pupils are suspended more for the
   * same incident, and Year 9 most (the national pattern).
   */
  groupFactor(p: Pupil): number {
    const yg = yearGroupIn(p, this.state.days[this.state.t].startYear);
    return (
      (p.fsm ? S.suspensionFsm : 1) *
      (p.sen === 'K' ? S.suspensionSenK : p.sen === 'E' ? S.suspensionSenE : 1) *
      (S.suspensionYearGroup[yg] ?? 1)
    );
  }

  /** Chance that a serious incident of this severity leads to a suspension for this pupil. */
  chance(p: Pupil, severity: number): number {
    const recentBsc = countSince(this.state.bscDays[p.index], this.state.t - 19);
    return Math.min(0.95, (S.suspension[severity] ?? 0) * this.groupFactor(p) * (recentBsc >= 2 ? S.suspensionAfterBsc : 1));
  }

  /** Persistent disruption: ≥3 BSC placements in the last 20 school days and no suspension in them. */
  persistentDisruption(p: Pupil): boolean {
    const { state } = this;
    return (
      countSince(state.bscDays[p.index], state.t - 19) >= 3 &&
      countSince(state.suspensionDays[p.index], state.t - 19) === 0 &&
      this.rng.chance(Math.min(0.95, S.persistentDisruption * this.groupFactor(p)))
    );
  }

  /** Whether a new suspension can start tomorrow (not already serving one, days left in the data). */
  canSuspend(p: Pupil): boolean {
    return this.state.suspensionLeft[p.index] === 0 && this.state.t + 1 < this.state.days.length;
  }

  /**
   * Suspend the pupil from the next school day. `category` picks the DfE reason (PD when
   * the trigger was persistent disruption). `minute` is when the pupil was sent home.
   */
  suspend(p: Pupil, category: string | null, severity: number, minute: number): 'suspension' | 'permanent' {
    const { state, rng } = this;
    const t = state.t;
    const permanent = severity >= 5 && this.thisYear[p.index] >= 3 && rng.chance(S.permanent);
    const sessions = permanent ? S.permanentSessions : LENGTHS.draw(rng);
    const reason = category === null ? 'PD' : (REASONS[category]?.draw(rng) ?? 'PD');
    state.suspensionLeft[p.index] = sessions;
    state.suspensionDays[p.index].push(t + 1);
    this.thisYear[p.index]++;
    this.rows.push({
      id: `SUS${String(this.rows.length + 1).padStart(5, '0')}`,
      studentId: p.studentId,
      start: state.days[t + 1].iso,
      sessions,
      type: permanent ? 'permanent' : 'suspension',
      reason,
    });
    // Sent home for the rest of the day.
    block(state, p.index, minute, END_OF_DAY + 90);
    const hoy = state.staff.headOfYear[yearGroupIn(p, state.days[t].startYear)] ?? state.staff.slt[0];
    const c = state.contacts;
    c.add(p.studentId, t, minute + 20, 'phone', permanent ? 'Permanent exclusion' : 'Suspension', hoy);
    c.add(p.studentId, t, 16 * 60 + rng.int(0, 60), 'letter', permanent ? 'Permanent exclusion letter' : 'Suspension letter', state.staff.slt[0]);
    if (permanent) {
      // Off roll after the excluded sessions (the last E day is the leaving date).
      const lastDay = Math.min(state.days.length - 1, t + Math.ceil(sessions / 2));
      p.leaving = state.days[lastDay].day;
      p.leavingReason = 'permanent exclusion';
      this.permanentCount++;
      c.add(p.studentId, Math.min(lastDay, t + 3), 15 * 60 + 45, 'meeting', 'Permanent exclusion', state.staff.slt[0]);
    } else {
      // Back on the first day after the E sessions (the afternoon when the count is odd).
      const back = t + 1 + Math.floor(sessions / 2);
      const minutes = sessions % 2 === 1 ? 13 * 60 + 5 : 8 * 60 + 20 + rng.int(0, 20);
      const leaving = p.leaving;
      if (back < state.days.length && (leaving === null || state.days[back].day <= leaving)) {
        c.add(p.studentId, back, minutes, 'meeting', 'Reintegration', hoy);
      }
    }
    return permanent ? 'permanent' : 'suspension';
  }

  writeTo(table: CsvTable): void {
    for (const r of this.rows) table.push([r.id, r.studentId, r.start, r.sessions, r.type, r.reason]);
  }

  /** Suspensions and permanent exclusions starting between two days (inclusive). */
  startsBetween(from: number, to: number): { suspension: number; permanent: number } {
    const out = { suspension: 0, permanent: 0 };
    for (const r of this.rows) {
      const d = dayFromIso(r.start);
      if (d >= from && d <= to) out[r.type]++;
    }
    return out;
  }

  get count(): number {
    return this.rows.length;
  }

  get pdCount(): number {
    return this.rows.filter((r) => r.reason === 'PD').length;
  }
}
