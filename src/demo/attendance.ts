/**
 * Register marks, AM and PM, for each pupil on each school day.
 *
 * Each pupil has a target share of sessions missed for the year: lognormal (heavy-tailed)
 * times FSM, SEN, looked-after and year-group factors. Most of it comes as runs of whole
 * days (illness runs, or unauthorised runs for pupils who miss a lot), a little as single
 * sessions (a morning appointment, going home at lunch). The daily hazard of starting a run
 * follows a seasonal curve (autumn < spring < summer, worse in the week before a break, on
 * Mondays and Fridays). Term-time holidays (G) sit next to breaks, religious observance (R)
 * on Eid, traveller absence (T) in the summer term; lateness is L (before the register
 * closes) or U (after, which counts as unauthorised absence).
 *
 * Suspension sessions are coded E by the simulation, which overrides this model.
 */
import type { AcademicYearCalendar, SchoolDay } from './calendar.ts';
import { type Day, dayFromIso } from './dates.ts';
import { PARAMS } from './params.ts';
import { type Pupil, yearGroupIn } from './pupils.ts';
import { Chooser, type Rng } from './random.ts';

const A = PARAMS.attendance;

export const PRESENT_CODES = new Set(['/', '\\', 'L']);
export const APPROVED_CODES = new Set(['K', 'V', 'P', 'W', 'B']);
export const AUTHORISED_CODES = new Set(['C', 'C1', 'C2', 'E', 'I', 'M', 'J1', 'R', 'S', 'T']);
export const UNAUTHORISED_CODES = new Set(['G', 'N', 'O', 'U']);

/** First day of Eid al-Fitr (approximate, as published in advance); a school day here is marked R by observing families. */
const EID_AL_FITR = [
  '2015-07-17', '2016-07-06', '2017-06-25', '2018-06-15', '2019-06-04', '2020-05-24', '2021-05-13',
  '2022-05-02', '2023-04-21', '2024-04-10', '2025-03-31', '2026-03-20', '2027-03-10', '2028-02-27',
  '2029-02-14', '2030-02-05', '2031-01-25', '2032-01-14', '2033-01-03', '2034-12-13', '2035-12-02',
].map(dayFromIso);

export interface SessionMarks {
  am: string;
  amLate: number | null;
  pm: string;
  pmLate: number | null;
}

const authorisedChooser = Chooser.of(A.authorisedCodes);
const unauthorisedChooser = Chooser.of(A.unauthorisedCodes);

/** Seasonal factor for each school day of the year, normalised to average 1. */
export function absenceSeason(cal: AcademicYearCalendar): Float64Array {
  const f = new Float64Array(cal.schoolDays.length);
  cal.schoolDays.forEach((d, i) => {
    f[i] =
      A.halfTerm[d.halfTerm] *
      (d.daysToBreak < 5 ? A.preBreakWeek : 1) *
      (d.weekday === 1 ? A.monday : d.weekday === 5 ? A.friday : 1);
  });
  const mean = f.reduce((s, x) => s + x, 0) / f.length;
  return f.map((x) => x / mean);
}

/** The share of sessions a pupil is set to miss this year, before seasonal variation. */
export function absenceTarget(p: Pupil, startYear: number, drift: number): number {
  const yg = yearGroupIn(p, startYear);
  const rate =
    Math.exp(A.logMedian + A.sigma * p.absZ + drift) *
    (p.fsm ? A.fsm : 1) *
    (p.sen === 'K' ? A.senK : p.sen === 'E' ? A.senE : 1) *
    (p.lookedAfter ? A.lookedAfter : 1) *
    (A.yearGroup[yg] ?? 1);
  return Math.min(A.maxRate, rate);
}

interface PupilYear {
  runHazard: number;
  singleChance: number;
  runMean: number;
  unauthorised: number;
  late: number;
}

export class AttendanceModel {
  private readonly year = new Map<number, PupilYear>();
  private season: Float64Array = new Float64Array(0);
  /** Whole-day planned absences for this year: pupil → day → code (G, R, T). */
  private planned = new Map<number, Map<Day, string>>();
  /** Approved educational activity: day index → pupil → code and sessions. */
  private approved = new Map<number, Map<number, { code: string; am: boolean; pm: boolean }>>();
  private readonly runLeft: Int32Array;
  private readonly runCode: string[];

  constructor(
    private readonly rng: Rng,
    pupilCount: number,
  ) {
    this.runLeft = new Int32Array(pupilCount);
    this.runCode = new Array<string>(pupilCount).fill('');
  }

  /** Set the year's propensities and plan holidays, trips, fixtures and alternative provision. */
  startYear(cal: AcademicYearCalendar, pupils: readonly Pupil[], formOf: (p: Pupil) => string): void {
    const rng = this.rng.derive('year', cal.startYear);
    this.season = absenceSeason(cal);
    this.year.clear();
    this.planned = new Map();
    this.approved = new Map();
    const days = cal.schoolDays;
    const first = days[0].day;
    const last = days[days.length - 1].day;
    const onRollAtStart = pupils.filter((p) => p.admission <= first && (p.leaving === null || p.leaving >= first));

    for (const p of pupils) {
      if (p.admission > last || (p.leaving !== null && p.leaving < first)) continue;
      const f = absenceTarget(p, cal.startYear, rng.normal(0, A.yearDrift));
      const fSingle = f * A.singleSessionShare;
      const fRun = f - fSingle;
      let runMean = A.runLengthBase + A.runLengthSlope * fRun;
      let runHazard = fRun / (runMean * (1 - fRun));
      if (runHazard > 0.9) {
        runHazard = 0.9;
        runMean = fRun / (0.9 * (1 - fRun));
      }
      const singleChance = Math.min(0.5, (2 * fSingle) / (1 - fRun));
      const unauthorised = Math.min(0.9, A.unauthBase + A.unauthSlope * Math.min(1, f / 0.45) + (p.fsm ? A.unauthFsm : 0));
      const late = Math.min(0.4, Math.exp(Math.log(A.lateMedian) + A.lateSigma * p.lateZ));
      this.year.set(p.index, { runHazard, singleChance, runMean, unauthorised, late });
    }

    this.planHolidays(rng, cal, pupils);
    this.planApproved(rng, cal, onRollAtStart, formOf);
  }

  private plan(pupil: number, day: Day, code: string): void {
    let m = this.planned.get(pupil);
    if (!m) this.planned.set(pupil, (m = new Map()));
    if (!m.has(day)) m.set(day, code);
  }

  private planHolidays(rng: Rng, cal: AcademicYearCalendar, pupils: readonly Pupil[]): void {
    const days = cal.schoolDays;
    // Breaks a family might extend: before each break (end of a half-term) or after one.
    const windows: { weight: number; days: (n: number) => SchoolDay[] }[] = [];
    for (const ht of [1, 2, 3, 4, 5, 6]) {
      const inHt = days.filter((d) => d.halfTerm === ht);
      const before = { 1: 0.1, 2: 0.15, 3: 0.06, 4: 0.14, 5: 0.07, 6: 0.3 }[ht]!;
      const after = { 1: 0.03, 2: 0.03, 3: 0.02, 4: 0.02, 5: 0.06, 6: 0.02 }[ht]!;
      windows.push({ weight: before, days: (n) => inHt.slice(-n) });
      windows.push({ weight: after, days: (n) => inHt.slice(0, n) });
    }
    const weights = windows.map((w) => w.weight);
    const eid = new Set(EID_AL_FITR);
    const eidDays = days.filter((d) => eid.has(d.day));
    for (const p of pupils) {
      const prng = rng.derive('plan', p.index);
      if (prng.chance(A.termTimeHoliday * Math.exp(0.35 * p.absZ))) {
        for (const d of windows[prng.weightedIndex(weights)].days(prng.int(3, 5))) this.plan(p.index, d.day, 'G');
      }
      // Observing families keep the same practice every year: decide from the pupil's own stream.
      const observes = this.rng.derive('eid', p.index).chance({ ASIA: 0.45, AOTH: 0.3, BLAC: 0.15 }[p.ethnicity] ?? 0);
      if (observes) for (const d of eidDays) this.plan(p.index, d.day, 'R');
      if ((p.ethnicity === 'WIRT' || p.ethnicity === 'WROM') && prng.chance(0.6)) {
        const summer = days.filter((d) => d.halfTerm >= 5);
        const start = prng.int(0, summer.length - 15);
        for (const d of summer.slice(start, start + prng.int(8, 14))) this.plan(p.index, d.day, 'T');
      }
    }
  }

  private planApproved(rng: Rng, cal: AcademicYearCalendar, pupils: readonly Pupil[], formOf: (p: Pupil) => string): void {
    const days = cal.schoolDays;
    const set = (dayIndex: number, pupil: number, code: string, am: boolean, pm: boolean) => {
      let m = this.approved.get(dayIndex);
      if (!m) this.approved.set(dayIndex, (m = new Map()));
      m.set(pupil, { code, am, pm });
    };
    // Educational visits: three trip days per year group, one or two forms at a time.
    for (let yg = 7; yg <= 11; yg++) {
      const cohort = pupils.filter((p) => yearGroupIn(p, cal.startYear) === yg);
      const forms = [...new Set(cohort.map(formOf))].sort();
      for (let trip = 0; trip < 3; trip++) {
        const dayIndex = rng.int(10, days.length - 10);
        const going = new Set(rng.shuffle([...forms]).slice(0, rng.int(1, 2)));
        for (const p of cohort) if (going.has(formOf(p)) && rng.chance(0.92)) set(dayIndex, p.index, 'V', true, true);
      }
    }
    // Sports fixtures: a dozen pupils leave after lunch, about twenty afternoons a year.
    const sporty = [...pupils].sort((a, b) => b.posZ - a.posZ || a.index - b.index).slice(0, Math.max(12, Math.round(pupils.length / 8)));
    for (let fixture = 0; fixture < 20; fixture++) {
      const dayIndex = rng.int(5, days.length - 5);
      for (const p of rng.shuffle([...sporty]).slice(0, 12)) set(dayIndex, p.index, 'P', false, true);
    }
    // Alternative provision one day a week for a few Year 10–11 pupils with the most behaviour concern.
    const older = pupils
      .filter((p) => yearGroupIn(p, cal.startYear) >= 10)
      .sort((a, b) => b.behZ - a.behZ || a.index - b.index)
      .slice(0, Math.max(1, Math.round(pupils.length / 400)));
    for (const p of older) {
      const weekday = rng.int(1, 5);
      days.forEach((d, i) => {
        if (d.weekday === weekday) set(i, p.index, 'K', true, true);
      });
    }
  }

  /**
   * Marks for one pupil on one school day. `effect` scales the hazards (an attendance
   * intervention's planted effect); `rng` is the pupil's own stream.
   */
  marks(p: Pupil, d: SchoolDay, effect: number): SessionMarks {
    const y = this.year.get(p.index);
    if (!y) throw new Error(`no attendance plan for pupil ${p.index} in ${d.academicYear}`);
    const rng = this.rng;
    const i = p.index;
    const planned = this.planned.get(i)?.get(d.day);
    let am = '';
    let pm = '';
    if (planned) {
      am = pm = planned;
    } else if (this.runLeft[i] > 0) {
      this.runLeft[i]--;
      am = pm = this.runCode[i];
    } else {
      const s = this.season[d.indexInYear] * effect;
      if (rng.uniform() < y.runHazard * s) {
        const code = rng.uniform() < y.unauthorised ? unauthorisedChooser.draw(rng) : authorisedChooser.draw(rng);
        this.runLeft[i] = rng.geometric(1 / y.runMean) - 1;
        this.runCode[i] = code === 'M' ? 'I' : code; // a medical run is illness; M stays for appointments
        am = pm = code;
      } else if (rng.uniform() < y.singleChance * s) {
        // A single session: a morning appointment, or going home (or truanting) in the afternoon.
        if (rng.uniform() < 0.5) am = rng.uniform() < 0.6 ? 'M' : rng.uniform() < y.unauthorised ? 'O' : 'I';
        else pm = rng.uniform() < y.unauthorised ? 'O' : rng.uniform() < 0.5 ? 'I' : 'M';
      }
    }
    let amLate: number | null = null;
    let pmLate: number | null = null;
    if (am === '') {
      am = '/';
      if (rng.uniform() < y.late) {
        if (rng.uniform() < A.lateAfterCloseShare) {
          am = 'U';
          amLate = 30 + Math.min(90, rng.geometric(1 / 15));
        } else {
          am = 'L';
          amLate = Math.min(29, rng.geometric(1 / 7));
        }
      }
    }
    if (pm === '') {
      pm = '\\';
      if (rng.uniform() < y.late * A.lateAfternoon) {
        pm = 'L';
        pmLate = Math.min(29, rng.geometric(1 / 6));
      }
    }
    const approved = this.approved.get(d.indexInYear)?.get(i);
    if (approved) {
      if (approved.am && PRESENT_CODES.has(am)) {
        am = approved.code;
        amLate = null;
      }
      if (approved.pm && PRESENT_CODES.has(pm)) {
        pm = approved.code;
        pmLate = null;
      }
    }
    return { am, amLate, pm, pmLate };
  }

  /** Abandon any absence run in progress (the pupil was suspended or left). */
  endRun(pupil: number): void {
    this.runLeft[pupil] = 0;
  }
}
