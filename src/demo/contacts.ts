/**
 * Contacts with parents and carers. Other parts of the simulation log them as things happen
 * (after a BSC placement, a suspension, a missed detention, an attendance concern, praise);
 * some are booked ahead (reintegration meetings), so ids are given at the end in date order.
 */
import type { SchoolDay } from './calendar.ts';
import { hhmm } from './dates.ts';
import type { Rng } from './random.ts';
import type { CsvTable } from './write-csv.ts';

export type ContactMethod = 'phone' | 'email' | 'meeting' | 'letter';

interface Contact {
  readonly dayIndex: number;
  readonly minutes: number;
  readonly seq: number;
  readonly studentId: string;
  readonly method: ContactMethod;
  readonly reason: string;
  readonly staff: string;
  readonly outcome: string;
}

const OUTCOMES: Record<ContactMethod, readonly string[]> = {
  phone: [
    'Spoke to parent',
    'Spoke to carer',
    'Spoke to parent, supportive',
    'No answer, voicemail left',
    'Parent upset; HoY to call back',
  ],
  email: ['Email sent', 'Email sent, parent replied', 'Email sent, no reply yet'],
  meeting: ['Meeting held with parent', 'Meeting held, targets agreed', 'Parent did not attend, rearranged'],
  letter: ['Letter posted', 'Letter sent home with pupil'],
};

export class ContactLog {
  private readonly items: Contact[] = [];

  constructor(
    private readonly rng: Rng,
    private readonly days: readonly SchoolDay[],
  ) {}

  add(studentId: string, dayIndex: number, minutes: number, method: ContactMethod, reason: string, staff: string, outcome?: string): void {
    if (dayIndex < 0 || dayIndex >= this.days.length) return;
    this.items.push({
      dayIndex,
      minutes: Math.min(17 * 60 + 30, Math.max(8 * 60, Math.round(minutes))),
      seq: this.items.length,
      studentId,
      method,
      reason,
      staff,
      outcome: outcome ?? this.rng.pick(OUTCOMES[method]),
    });
  }

  /** Phone most of the time, email otherwise. */
  phoneOrEmail(phoneShare = 0.75): ContactMethod {
    return this.rng.chance(phoneShare) ? 'phone' : 'email';
  }

  get count(): number {
    return this.items.length;
  }

  writeTo(table: CsvTable): void {
    const sorted = [...this.items].sort((a, b) => a.dayIndex - b.dayIndex || a.minutes - b.minutes || a.seq - b.seq);
    sorted.forEach((c, i) => {
      table.push([
        `C${String(i + 1).padStart(6, '0')}`,
        c.studentId,
        `${this.days[c.dayIndex].iso} ${hhmm(c.minutes)}`,
        c.method,
        c.reason,
        c.staff,
        c.outcome,
      ]);
    });
  }
}
