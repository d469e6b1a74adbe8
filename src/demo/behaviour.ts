/**
 * Behaviour events: what a pupil does on a day in school, before any sanction is decided.
 *
 * Negative events per pupil-day are Poisson with rate
 *   base (lognormal, heavy-tailed × gender, SEN, FSM, looked-after factors)
 *   × year-group factor (Year 7 lowest, Year 9 highest)
 *   × a weekly "bad patch" multiplier (AR(1) on the log scale)
 *   × seasonal and weekday factors
 *   × the intervention effect (1 − planted reduction, from the start date).
 * Each event gets a category, then a period drawn from that category's usual contexts; an
 * event whose period falls in a session the pupil missed (or while in the BSC) is thinned
 * away, so exposure follows attendance exactly.
 */
import type { AcademicYearCalendar, SchoolDay } from './calendar.ts';
import { PARAMS } from './params.ts';
import { type Pupil, yearGroupIn } from './pupils.ts';
import { Chooser, type Rng } from './random.ts';
import type { Staff } from './staff.ts';
import { LESSONS, PERIOD_BY_NAME, type Period } from './timetable.ts';
import { NEGATIVE_COMMENTS, POSITIVE_COMMENTS, SUBJECTS } from './vocab.ts';

const B = PARAMS.behaviour;

type Context = 'lesson' | 'Registration' | 'Break' | 'Lunch' | 'Before school' | 'After school';
const CONTEXTS: Context[] = ['lesson', 'Registration', 'Break', 'Lunch', 'Before school', 'After school'];

interface CategorySpec {
  readonly name: string;
  readonly share: number;
  readonly severity: Chooser<number>;
  /** Weights over CONTEXTS. */
  readonly context: Chooser<Context>;
  /** Overrides the location wherever it happens (truancy in the toilets, vaping...). */
  readonly location?: Chooser<string>;
  readonly points?: number;
}

const ctx = (w: number[]) => new Chooser(CONTEXTS, w);
const sev = (pairs: [number, number][]) => Chooser.of(pairs);

export const NEGATIVE_CATEGORIES: readonly CategorySpec[] = [
  { name: 'Disruption', share: 28, severity: sev([[1, 55], [2, 40], [3, 4], [4, 1]]), context: ctx([90, 5, 1, 3, 0, 1]) },
  { name: 'Defiance', share: 11, severity: sev([[2, 50], [3, 40], [4, 10]]), context: ctx([75, 5, 7, 10, 1, 2]) },
  { name: 'Lateness to lesson', share: 12, severity: sev([[1, 1]]), context: ctx([1, 0, 0, 0, 0, 0]) },
  { name: 'Mobile phone', share: 8, severity: sev([[1, 40], [2, 60]]), context: ctx([80, 5, 5, 8, 0, 2]) },
  { name: 'Uniform', share: 8, severity: sev([[1, 1]]), context: ctx([30, 60, 2, 2, 6, 0]) },
  { name: 'Homework', share: 13, severity: sev([[1, 1]]), context: ctx([1, 0, 0, 0, 0, 0]) },
  { name: 'Verbal abuse', share: 6, severity: sev([[3, 60], [4, 35], [5, 5]]), context: ctx([45, 3, 20, 25, 3, 4]) },
  { name: 'Physical', share: 3, severity: sev([[3, 30], [4, 45], [5, 25]]), context: ctx([20, 2, 30, 40, 4, 4]) },
  { name: 'Bullying', share: 1.5, severity: sev([[3, 30], [4, 55], [5, 15]]), context: ctx([25, 5, 30, 35, 2, 3]) },
  {
    name: 'Truancy',
    share: 4,
    severity: sev([[2, 40], [3, 60]]),
    context: ctx([1, 0, 0, 0, 0, 0]),
    location: Chooser.of([['Toilets', 40], ['Corridor', 30], ['Field', 30]]),
  },
  {
    name: 'Vaping',
    share: 2,
    severity: sev([[3, 60], [4, 40]]),
    context: ctx([30, 0, 35, 35, 0, 0]),
    location: Chooser.of([['Toilets', 1]]),
  },
  { name: 'Damage', share: 1.5, severity: sev([[2, 30], [3, 40], [4, 25], [5, 5]]), context: ctx([50, 5, 15, 20, 5, 5]) },
];

export const POSITIVE_CATEGORIES: readonly CategorySpec[] = [
  { name: 'Achievement', share: 25, severity: sev([[0, 1]]), context: ctx([95, 5, 0, 0, 0, 0]), points: 2 },
  { name: 'Effort', share: 25, severity: sev([[0, 1]]), context: ctx([97, 3, 0, 0, 0, 0]), points: 1 },
  { name: 'Excellent work', share: 15, severity: sev([[0, 1]]), context: ctx([1, 0, 0, 0, 0, 0]), points: 2 },
  { name: 'Kindness', share: 10, severity: sev([[0, 1]]), context: ctx([60, 15, 10, 15, 0, 0]), points: 1 },
  { name: 'Contribution', share: 12, severity: sev([[0, 1]]), context: ctx([90, 10, 0, 0, 0, 0]), points: 1 },
  { name: 'Leadership', share: 5, severity: sev([[0, 1]]), context: ctx([50, 20, 0, 0, 0, 30]), points: 3 },
  { name: 'Community', share: 8, severity: sev([[0, 1]]), context: ctx([0, 20, 0, 30, 0, 50]), points: 2 },
];

const negativeChooser = new Chooser(NEGATIVE_CATEGORIES, NEGATIVE_CATEGORIES.map((c) => c.share));
const positiveChooser = new Chooser(POSITIVE_CATEGORIES, POSITIVE_CATEGORIES.map((c) => c.share));
/** Afternoon lessons see more negative behaviour; praise is spread evenly. */
const negativeLesson = new Chooser(LESSONS, [13, 14, 15, 17, 21, 20]);
const positiveLesson = new Chooser(LESSONS, [17, 17, 17, 17, 16, 16]);
const subjectChooser = Chooser.of(SUBJECTS);
const LOCATIONS: Record<string, Chooser<string>> = {
  Break: Chooser.of([['Playground', 45], ['Corridor', 25], ['Canteen', 15], ['Toilets', 15]]),
  Lunch: Chooser.of([['Canteen', 35], ['Playground', 30], ['Field', 15], ['Corridor', 10], ['Toilets', 10]]),
  'Before school': Chooser.of([['Playground', 50], ['Corridor', 50]]),
  'After school': Chooser.of([['Corridor', 50], ['Playground', 50]]),
};

export interface DraftEvent {
  readonly polarity: 'negative' | 'positive';
  readonly category: string;
  readonly severity: number | null;
  readonly points: number;
  readonly period: Period;
  /** Minutes after midnight. */
  readonly time: number;
  readonly subject: string;
  readonly location: string;
  readonly staff: string;
  comment: string;
}

/** Per-pupil propensities: base rates and the weekly bad-patch state. */
export class BehaviourModel {
  readonly negBase: Float64Array;
  readonly posBase: Float64Array;
  private readonly patch: Float64Array;
  private negSeason: Float64Array = new Float64Array(0);

  constructor(
    private readonly rng: Rng,
    pupils: readonly Pupil[],
    private readonly staff: Staff,
    schoolFactor: number,
  ) {
    const n = pupils.length;
    this.negBase = new Float64Array(n);
    this.posBase = new Float64Array(n);
    this.patch = new Float64Array(n);
    const groupFactor = (p: Pupil) =>
      (p.gender === 'M' ? B.boy : p.gender === 'X' ? B.x : 1) *
      (p.sen === 'K' ? B.senK : p.sen === 'E' ? B.senE : 1) *
      (p.fsm ? B.fsm : 1) *
      (p.lookedAfter ? B.lookedAfter : 1);
    // Normalise the group factors so the school's mean stays at the stated events per pupil.
    const meanGroup = pupils.reduce((s, p) => s + groupFactor(p), 0) / Math.max(1, n);
    const lognormalMean = Math.exp((B.sigma * B.sigma) / 2);
    for (const p of pupils) {
      this.negBase[p.index] = (schoolFactor * B.negativePerYear * Math.exp(B.sigma * p.behZ) * groupFactor(p)) / (meanGroup * lognormalMean);
      const posMean = Math.exp((B.positiveSigma * B.positiveSigma) / 2);
      this.posBase[p.index] = (B.positivePerYear * Math.exp(B.positiveSigma * p.posZ) * (p.gender === 'F' ? B.positiveGirl : 1)) / posMean;
      // Start each pupil's bad-patch state from its stationary distribution.
      this.patch[p.index] = rng.normal(0, B.patchSd / Math.sqrt(1 - B.patchPhi * B.patchPhi));
    }
  }

  startYear(cal: AcademicYearCalendar): void {
    const f = new Float64Array(cal.schoolDays.length);
    cal.schoolDays.forEach((d, i) => {
      f[i] = B.halfTerm[d.halfTerm] * (d.daysToBreak < 5 ? B.preBreakWeek : 1) * B.weekday[d.weekday];
    });
    const mean = f.reduce((s, x) => s + x, 0) / f.length;
    // Per school day, so that a full year of days adds up to the yearly rate.
    this.negSeason = f.map((x) => x / mean / cal.schoolDays.length);
  }

  /** A new school week: each pupil's bad-patch state takes one AR(1) step. */
  newWeek(): void {
    for (let i = 0; i < this.patch.length; i++) this.patch[i] = B.patchPhi * this.patch[i] + this.rng.normal(0, B.patchSd);
  }

  /** Expected negative events for a full day in school (before thinning). */
  negativeRate(p: Pupil, d: SchoolDay, effect: number): number {
    const stationarySd = B.patchSd / Math.sqrt(1 - B.patchPhi * B.patchPhi);
    const patch = Math.exp(this.patch[p.index] - (stationarySd * stationarySd) / 2);
    const yg = B.yearGroup[yearGroupIn(p, d.startYear)] ?? 1;
    return this.negBase[p.index] * yg * patch * this.negSeason[d.indexInYear] * effect;
  }

  positiveRate(p: Pupil, d: SchoolDay): number {
    const yg = B.positiveYear[yearGroupIn(p, d.startYear)] ?? 1;
    return (this.posBase[p.index] * yg) / 190;
  }

  /** Draft events for a full day; the caller thins those outside the pupil's time in lessons. */
  draftDay(p: Pupil, d: SchoolDay, effect: number, form: string): DraftEvent[] {
    const rng = this.rng;
    const out: DraftEvent[] = [];
    const nNeg = rng.poisson(this.negativeRate(p, d, effect));
    for (let k = 0; k < nNeg; k++) out.push(this.draft(rng, negativeChooser.draw(rng), 'negative', form));
    const nPos = rng.poisson(this.positiveRate(p, d));
    for (let k = 0; k < nPos; k++) out.push(this.draft(rng, positiveChooser.draw(rng), 'positive', form));
    out.sort((a, b) => a.time - b.time);
    return out;
  }

  private draft(rng: Rng, cat: CategorySpec, polarity: 'negative' | 'positive', form: string): DraftEvent {
    const context = cat.context.draw(rng);
    const period = context === 'lesson' ? (polarity === 'negative' ? negativeLesson : positiveLesson).draw(rng) : PERIOD_BY_NAME.get(context)!;
    const lesson = period.lesson > 0;
    const subject = lesson ? subjectChooser.draw(rng) : '';
    const location = cat.location
      ? cat.location.draw(rng)
      : lesson
        ? subject === 'PE'
          ? 'Field'
          : 'Classroom'
        : context === 'Registration'
          ? 'Classroom'
          : LOCATIONS[context].draw(rng);
    const staff = lesson
      ? rng.pick(this.staff.teachersBySubject.get(subject)!)
      : context === 'Registration'
        ? this.staff.tutorOf(form)
        : rng.pick(this.staff.all);
    // Lateness is logged as the lesson starts; everything else at any minute of the period.
    const span = cat.name === 'Lateness to lesson' ? 12 : period.end - period.start;
    const time = period.start + Math.floor(rng.uniform() * span);
    const severity = polarity === 'negative' ? cat.severity.draw(rng) : null;
    const points = polarity === 'negative' ? -(severity ?? 1) : (cat.points ?? 1);
    let comment = '';
    if (polarity === 'negative' ? rng.chance(0.5) : rng.chance(0.12)) {
      comment = polarity === 'negative' ? rng.pick(NEGATIVE_COMMENTS[cat.name]) : rng.pick(POSITIVE_COMMENTS);
    }
    return { polarity, category: cat.name, severity, points, period, time, subject, location, staff, comment };
  }
}
