/**
 * The pupils of one demo school over the generated academic years: the Year 7 intakes
 * (one per year, back to the cohort that was in Year 11 in the first generated year),
 * Year 11 leavers, and a handful of pupils who join or leave mid-year.
 *
 * Each pupil also carries hidden traits (standard-normal scores) that the simulation turns
 * into behaviour and attendance propensities; they are never written to the CSVs.
 */
import { type AcademicYearCalendar, academicYearCalendar } from './calendar.ts';
import { type Day, dayOf, isoOf } from './dates.ts';
import { PARAMS } from './params.ts';
import { Chooser, type Rng } from './random.ts';
import { BOYS_NAMES, ETHNICITIES, FORM_LETTERS, GIRLS_NAMES, HOUSES, SURNAMES } from './vocab.ts';

export type Gender = 'F' | 'M' | 'X';
export type Sen = 'N' | 'K' | 'E';

export interface Pupil {
  /** Position in the school's pupil array (and in every per-pupil array of the simulation). */
  readonly index: number;
  studentId: string;
  upn: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly gender: Gender;
  readonly dateOfBirth: string;
  readonly sen: Sen;
  readonly pupilPremium: boolean;
  readonly fsm: boolean;
  readonly eal: boolean;
  readonly ethnicity: string;
  readonly lookedAfter: boolean;
  readonly house: string;
  readonly formLetter: string;
  /** Start year of the academic year in which the pupil is (or was) in Year 7. */
  readonly entryYear: number;
  /** First and last day on roll, inclusive; `leaving` is null while still on roll. */
  readonly admission: Day;
  leaving: Day | null;
  /** Why the pupil left, for the manifest: end of Year 11, moved away, or excluded. */
  leavingReason: 'year11' | 'moved' | 'permanent exclusion' | null;
  /** Hidden standard-normal traits: behaviour, attendance, praise, punctuality. */
  readonly behZ: number;
  readonly absZ: number;
  readonly posZ: number;
  readonly lateZ: number;
}

export function yearGroupIn(p: Pupil, startYear: number): number {
  return startYear - p.entryYear + 7;
}

const ethnicityChooser = Chooser.of(ETHNICITIES.map((e) => [e, e.share] as const));

interface Draft {
  entryYear: number;
  admission: Day;
  leaving: Day | null;
  leavingReason: Pupil['leavingReason'];
}

function makePupil(rng: Rng, index: number, draft: Draft): Pupil {
  const g = rng.uniform();
  const gender: Gender = g < PARAMS.pupils.female ? 'F' : g < PARAMS.pupils.female + PARAMS.pupils.male ? 'M' : 'X';
  const firstName =
    gender === 'F' ? rng.pick(GIRLS_NAMES) : gender === 'M' ? rng.pick(BOYS_NAMES) : rng.pick(rng.chance(0.5) ? GIRLS_NAMES : BOYS_NAMES);
  const lastName = rng.pick(SURNAMES);
  // Born between 1 September and 31 August of the right school year.
  const born = dayOf(draft.entryYear - 12, 9, 1) + rng.int(0, 364);
  // SEN is about twice as common among boys; the mix gives ≈13 % K and ≈4.5 % E overall.
  const boy = gender === 'M';
  const s = rng.uniform();
  const sen: Sen = s < (boy ? 0.06 : 0.032) ? 'E' : s < (boy ? 0.06 + 0.16 : 0.032 + 0.1) ? 'K' : 'N';
  const lookedAfter = rng.chance(PARAMS.pupils.lookedAfter);
  const fsm = rng.chance(lookedAfter ? 0.5 : PARAMS.pupils.fsm);
  // Pupil premium: almost every FSM pupil (Ever-6 adds a few more), and all looked-after pupils.
  const pupilPremium = lookedAfter || (fsm ? rng.chance(0.97) : rng.chance(0.04));
  const eth = ethnicityChooser.draw(rng);
  const eal = rng.chance(eth.eal);
  const formIndex = rng.int(0, FORM_LETTERS.length - 1);
  const behZ = rng.normal();
  const absZ = PARAMS.pupils.behAbsCorrelation * behZ + Math.sqrt(1 - PARAMS.pupils.behAbsCorrelation ** 2) * rng.normal();
  const posZ = -0.3 * behZ + Math.sqrt(1 - 0.09) * rng.normal();
  const lateZ = 0.5 * absZ + Math.sqrt(0.75) * rng.normal();
  return {
    index,
    studentId: '',
    upn: '',
    firstName,
    lastName,
    gender,
    dateOfBirth: isoOf(born),
    sen,
    pupilPremium,
    fsm,
    eal,
    ethnicity: eth.code,
    lookedAfter,
    house: HOUSES[formIndex % HOUSES.length],
    formLetter: FORM_LETTERS[formIndex],
    entryYear: draft.entryYear,
    admission: draft.admission,
    leaving: draft.leaving,
    leavingReason: draft.leavingReason,
    behZ,
    absZ,
    posZ,
    lateZ,
  };
}

/** UPN check letter: weights 2..13 on characters 2..13, sum mod 23, letter table without I, O, S. */
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
export function upnCheckLetter(twelveDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelveDigits[i]) * (i + 2);
  return UPN_LETTERS[sum % 23];
}

/**
 * Create the school's pupils. `perYear` pupils are on roll at the start of each generated
 * year (a fifth in each of Years 7–11), plus mid-year movers.
 */
export function createPupils(rng: Rng, perYear: number, calendars: readonly AcademicYearCalendar[]): Pupil[] {
  const first = calendars[0].startYear;
  const last = calendars[calendars.length - 1].startYear;
  const drafts: Draft[] = [];
  const byYear = new Map(calendars.map((c) => [c.startYear, c]));
  const firstDayOf = (startYear: number) => (byYear.get(startYear) ?? academicYearCalendar(startYear)).schoolDays[0].day;

  // Year 7 intakes: the cohort in Year 11 in the first generated year is the oldest.
  for (let entry = first - 4; entry <= last; entry++) {
    const size = Math.floor(perYear / 5) + (entry - (first - 4) < perYear % 5 ? 1 : 0);
    const year11 = entry + 4;
    const leaving = year11 < last ? byYear.get(year11)!.schoolDays.at(-1)!.day : null;
    for (let i = 0; i < size; i++) {
      drafts.push({ entryYear: entry, admission: firstDayOf(entry), leaving, leavingReason: leaving === null ? null : 'year11' });
    }
  }

  // Mid-year movers: a few leave (moved house, elective home education) and a few join.
  for (const cal of calendars) {
    const days = cal.schoolDays;
    const onRollNow = drafts.filter(
      (d) => d.admission <= days[0].day && (d.leaving === null || d.leaving >= days.at(-1)!.day) && cal.startYear - d.entryYear + 7 <= 11,
    );
    const movers = Math.max(2, Math.round(perYear * PARAMS.pupils.midYearMoveRate));
    for (const d of rng.shuffle(onRollNow).slice(0, movers)) {
      d.leaving = days[rng.int(10, days.length - 10)].day;
      d.leavingReason = 'moved';
    }
    for (let i = 0; i < movers; i++) {
      const yg = 7 + rng.weightedIndex([0.15, 0.25, 0.25, 0.25, 0.1]);
      const entryYear = cal.startYear - (yg - 7);
      const year11 = entryYear + 4;
      const leaving = year11 < last ? byYear.get(year11)!.schoolDays.at(-1)!.day : null;
      drafts.push({
        entryYear,
        admission: days[rng.int(5, days.length - 15)].day,
        leaving,
        leavingReason: leaving === null ? null : 'year11',
      });
    }
  }

  const pupils = drafts.map((d, i) => makePupil(rng, i, d));

  // MIS admission numbers follow admission order; ties keep the intake order.
  const order = [...pupils].sort((a, b) => a.admission - b.admission || a.index - b.index);
  const idStart = 100 + rng.int(0, 400);
  order.forEach((p, i) => (p.studentId = `S${String(idStart + i).padStart(6, '0')}`));

  // UPNs were issued by feeder primary schools (LA 990 is not a real authority).
  const feeders = Array.from({ length: 14 }, () => String(2000 + rng.int(0, 999)));
  const used = new Set<string>();
  for (const p of order) {
    let digits: string;
    do {
      const allocationYear = String((p.entryYear - 7) % 100).padStart(2, '0');
      digits = `990${rng.pick(feeders)}${allocationYear}${String(rng.int(1, 999)).padStart(3, '0')}`;
    } while (used.has(digits));
    used.add(digits);
    p.upn = upnCheckLetter(digits) + digits;
  }
  return pupils;
}
