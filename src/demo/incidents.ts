/**
 * What happens after a negative event: the action logged with it (Detention, BSC, On-call,
 * Removal, Parent contact, Suspension, or nothing) and the follow-ups it starts.
 *
 * - severity 1–2 (homework, uniform, low-level disruption): often a detention;
 * - severity 3: a detention, a removal or on-call, sometimes the BSC;
 * - severity ≥ 4: the BSC (or a suspension, more likely at severity 5);
 * - persistent disruption (see suspensions.ts) can turn any incident into a suspension.
 * Serious incidents usually have a written statement (statement_taken_at).
 */
import type { DraftEvent } from './behaviour.ts';
import type { Bsc } from './bsc.ts';
import { hhmm } from './dates.ts';
import type { Detentions } from './detentions.ts';
import { PARAMS } from './params.ts';
import type { Pupil } from './pupils.ts';
import { Chooser, type Rng } from './random.ts';
import type { SchoolState } from './state.ts';
import type { Suspensions } from './suspensions.ts';

const S = PARAMS.sanctions;

/** Chance of a detention for a severity-1 event, by category. */
const DETENTION_SEV1: Record<string, number> = {
  Homework: 0.45,
  'Lateness to lesson': 0.3,
  Uniform: 0.15,
  Disruption: 0.2,
  'Mobile phone': 0.35,
};
const SEV2 = Chooser.of<string>([['Detention', 45], ['Parent contact', 5], ['On-call', 4], ['Removal', 4], ['', 42]]);
const SEV3 = Chooser.of<string>([['Detention', 35], ['Removal', 20], ['On-call', 15], ['Parent contact', 15], ['', 15]]);
const SERIOUS = Chooser.of<string>([['BSC', 75], ['Removal', 15], ['On-call', 10]]);

export interface Handled {
  readonly action: string;
  readonly statementAt: string;
}

export class IncidentDesk {
  constructor(
    private readonly state: SchoolState,
    private readonly rng: Rng,
    private readonly bsc: Bsc,
    private readonly detentions: Detentions,
    private readonly suspensions: Suspensions,
  ) {}

  handle(p: Pupil, ev: DraftEvent, eventId: string): Handled {
    const { state, rng, suspensions } = this;
    const severity = ev.severity ?? 1;
    const t = state.t;

    const serious = severity >= 4 || (severity === 3 && ['Physical', 'Bullying', 'Verbal abuse'].includes(ev.category));
    let statementAt = '';
    if (serious && rng.chance(severity >= 4 ? 0.85 : 0.4)) {
      const at = ev.time + rng.int(20, 120);
      if (at <= 16 * 60 + 30) statementAt = `${state.days[t].iso} ${hhmm(at)}`;
      else if (t + 1 < state.days.length) statementAt = `${state.days[t + 1].iso} ${hhmm(8 * 60 + 45 + rng.int(0, 45))}`;
    }

    let action: string;
    if (severity >= 2 && suspensions.canSuspend(p) && suspensions.persistentDisruption(p)) {
      suspensions.suspend(p, null, severity, ev.time + 10);
      action = 'Suspension';
    } else if (severity >= 4 || (severity === 3 && rng.chance(S.bscFromSeverity3))) {
      if (severity >= 4 && suspensions.canSuspend(p) && rng.chance(suspensions.chance(p, severity))) {
        suspensions.suspend(p, ev.category, severity, ev.time + 10);
        action = 'Suspension';
      } else {
        action = severity >= 4 ? SERIOUS.draw(rng) : 'BSC';
        this.bsc.refer(p, ev.time, {
          eventId,
          referredBy: ev.staff,
          reason: action === 'BSC' ? ev.category : `${action}: ${ev.category}`,
          statement: statementAt !== '',
          category: ev.category,
          severity,
        });
      }
    } else if (severity === 3) {
      action = SEV3.draw(rng);
    } else if (severity === 2) {
      action = SEV2.draw(rng);
    } else {
      action = rng.chance(DETENTION_SEV1[ev.category] ?? 0.2) ? 'Detention' : rng.chance(0.02) ? 'Parent contact' : '';
    }

    if (action === 'Detention') this.detentions.set(p, this.detentions.typeFor(severity), ev.category, ev.staff, eventId);
    if (action === 'Parent contact') {
      const c = state.contacts;
      c.add(p.studentId, t, Math.max(ev.time + 30, 15 * 60 + 15), c.phoneOrEmail(0.6), 'Behaviour concern', ev.staff);
    }
    return { action, statementAt };
  }
}
