/**
 * Detentions: set after a lower-level incident, for the next school day or the one after
 * (after-school ones need notice). On the day the register decides what happened: a pupil
 * in school usually attends (poorly behaved pupils miss more); one off with an authorised
 * absence or suspended has it rescheduled; an unauthorised absence means it was missed.
 * A missed detention is usually escalated: its status becomes `escalated` and an SLT
 * detention is set for a day or two later. Detentions on the final two school days of the
 * data are still `pending`.
 */
import { APPROVED_CODES, AUTHORISED_CODES, PRESENT_CODES } from './attendance.ts';
import { PARAMS } from './params.ts';
import type { Pupil } from './pupils.ts';
import type { Rng } from './random.ts';
import { isOnRoll, type SchoolState } from './state.ts';
import type { CsvTable } from './write-csv.ts';

const S = PARAMS.sanctions;

export type DetentionType = 'break' | 'lunch' | 'after school' | 'SLT';
const MINUTES: Record<DetentionType, number> = { break: 15, lunch: 30, 'after school': 60, SLT: 60 };

interface Detention {
  readonly id: string;
  readonly pupil: number;
  dayIndex: number;
  readonly type: DetentionType;
  readonly reason: string;
  readonly issuedBy: string;
  readonly eventId: string;
  status: string;
}

export class Detentions {
  private readonly all: Detention[] = [];
  private readonly due = new Map<number, Detention[]>();

  constructor(
    private readonly state: SchoolState,
    private readonly rng: Rng,
    /** A pupil's hidden behaviour score raises the chance of skipping a detention. */
    private readonly missChance: (p: Pupil) => number,
  ) {}

  /** Detention type for an incident of this severity. */
  typeFor(severity: number): DetentionType {
    const r = this.rng.uniform();
    if (severity <= 1) return r < 0.35 ? 'break' : 'lunch';
    if (severity === 2) return r < 0.55 ? 'lunch' : 'after school';
    return r < 0.8 ? 'after school' : 'SLT';
  }

  set(p: Pupil, type: DetentionType, reason: string, issuedBy: string, eventId: string, earliest = 1): void {
    const { state, rng } = this;
    const notice = type === 'break' || type === 'lunch' ? (rng.chance(0.8) ? 1 : 2) : rng.chance(0.6) ? 1 : 2;
    const dayIndex = Math.min(state.days.length - 1, state.t + Math.max(earliest, notice));
    const d: Detention = {
      id: `D${String(this.all.length + 1).padStart(6, '0')}`,
      pupil: p.index,
      dayIndex,
      type,
      reason,
      issuedBy,
      eventId,
      status: 'pending',
    };
    this.all.push(d);
    this.queue(d);
  }

  private queue(d: Detention): void {
    let list = this.due.get(d.dayIndex);
    if (!list) this.due.set(d.dayIndex, (list = []));
    list.push(d);
  }

  /** Settle today's detentions from today's registers. */
  resolveToday(): void {
    const { state, rng } = this;
    const t = state.t;
    const list = this.due.get(t);
    if (!list) return;
    this.due.delete(t);
    const pendingFrom = state.days.length - 2;
    for (const d of list) {
      if (t >= pendingFrom) continue; // not happened yet when the data was exported
      const p = state.pupils[d.pupil];
      if (!isOnRoll(p, state)) {
        d.status = 'cancelled';
        continue;
      }
      // Break and lunch detentions fall in the morning session, the others in the afternoon.
      const code = d.type === 'break' || d.type === 'lunch' ? state.am[d.pupil] : state.pm[d.pupil];
      if (code === 'E' || AUTHORISED_CODES.has(code) || APPROVED_CODES.has(code)) {
        const after = Math.max(1, Math.ceil(state.suspensionLeft[d.pupil] / 2) + 1);
        if (rng.chance(0.7) && t + after < pendingFrom) {
          // Most of the time staff simply move it to the day the pupil is back: same row, new date.
          d.dayIndex = t + after;
          this.queue(d);
          continue;
        }
        d.status = 'rescheduled';
        this.set(p, d.type, `Rescheduled from ${d.id}`, d.issuedBy, d.eventId, after);
        continue;
      }
      const inSchool = PRESENT_CODES.has(code);
      if (inSchool && rng.chance(S.detentionCancel)) {
        d.status = 'cancelled';
        continue;
      }
      if (inSchool && !rng.chance(this.missChance(p))) {
        d.status = 'attended';
        continue;
      }
      // Missed: unauthorised absence, or in school and did not turn up.
      if (d.type !== 'SLT' && rng.chance(S.detentionEscalate)) {
        d.status = 'escalated';
        this.set(p, 'SLT', `Escalated: missed ${d.type} detention ${d.id}`, state.staff.slt[d.pupil % state.staff.slt.length], d.eventId);
      } else {
        d.status = 'missed';
        const c = state.contacts;
        if (rng.chance(0.6)) c.add(p.studentId, t, 15 * 60 + 30 + rng.int(0, 60), c.phoneOrEmail(0.5), 'Missed detention', d.issuedBy);
      }
    }
  }

  writeTo(table: CsvTable): void {
    for (const d of this.all) {
      const p = this.state.pupils[d.pupil];
      table.push([d.id, p.studentId, this.state.days[d.dayIndex].iso, d.type, MINUTES[d.type], d.reason, d.issuedBy, d.eventId, d.status]);
    }
  }

  statusCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const d of this.all) out[d.status] = (out[d.status] ?? 0) + 1;
    return out;
  }
}
