/**
 * Interventions, and the planted truth about their effect.
 *
 * Every week (on the last school day of the week) the pastoral team reviews two lists:
 * - behaviour: pupils with ≥ 4 negative events in the last 10 school days and at least 1.5×
 *   their fortnightly rate over the 20 school days before (a rising run);
 * - attendance: pupils below 90 % attendance over the last 30 school days and the year so far.
 * Places are limited (a few new starts a week, a cap on places at once), so the team takes
 * a random subset of the list; the others are monitored for 12 weeks and not flagged again
 * meanwhile. Those monitored pupils are the natural comparison group: flagged by the same
 * observable rule in the same week, but no intervention.
 *
 * The planted effect: from a pupil's first behaviour intervention's start date onwards, the
 * Poisson rate of their negative events is multiplied by (1 − 0.35); from an attendance
 * intervention's start, the hazards of starting an absence run or missing a single session
 * are multiplied by (1 − 0.25). Because pupils are picked on a rising run (partly bad luck,
 * a "bad patch" that passes anyway), a naive before/after comparison overstates the effect;
 * a difference-in-differences against the monitored pupils recovers it.
 */
import { type Day, isoOf, isWeekend } from './dates.ts';
import { PARAMS } from './params.ts';
import { type Pupil, yearGroupIn } from './pupils.ts';
import { Chooser, type Rng } from './random.ts';
import { isOnRoll, type SchoolState, sumDays } from './state.ts';
import type { CsvTable } from './write-csv.ts';

const I = PARAMS.interventions;

export type Focus = 'behaviour' | 'attendance' | 'wellbeing';

interface TypeSpec {
  readonly type: string;
  /** Sessions a week (a report card is checked daily); `total` fixes the whole count instead. */
  readonly perWeek?: number;
  readonly total?: number;
  readonly group?: string;
}

const BEHAVIOUR_TYPES = Chooser.of<TypeSpec>([
  [{ type: 'Mentoring', perWeek: 1 }, 25],
  [{ type: 'Report card', perWeek: 5 }, 25],
  [{ type: 'Behaviour support plan', perWeek: 1 }, 15],
  [{ type: 'Restorative meetings', total: 4 }, 15],
  [{ type: 'Anger management group', perWeek: 1, group: 'AMG' }, 12],
  [{ type: 'Outside agency referral', total: 6 }, 8],
]);
const ATTENDANCE_TYPES = Chooser.of<TypeSpec>([
  [{ type: 'Attendance improvement plan', perWeek: 1 }, 75],
  [{ type: 'Mentoring', perWeek: 1 }, 25],
]);
const WELLBEING_TYPES = Chooser.of<TypeSpec>([
  [{ type: 'Resilience group', perWeek: 1, group: 'RES' }, 50],
  [{ type: 'Mentoring', perWeek: 1 }, 25],
  [{ type: 'Outside agency referral', total: 6 }, 25],
]);

interface Intervention {
  readonly id: string;
  readonly pupil: number;
  readonly spec: TypeSpec;
  readonly focus: Focus;
  readonly start: number;
  readonly weeks: number;
  readonly staff: string;
  readonly groupId: string;
  /** Day number (calendar) of the planned end, and of a withdrawal if one is planned. */
  readonly plannedEnd: number;
  readonly withdrawAt: number | null;
  /** Share of planned sessions the pupil turns up to. */
  readonly turnout: number;
}

export interface FlagEpisode {
  readonly studentId: string;
  readonly focus: 'behaviour' | 'attendance';
  /** The review day on which the pupil was on the list. */
  readonly flagDate: string;
  readonly treated: boolean;
  readonly interventionId: string | null;
  readonly startDate: string | null;
}

export class Interventions {
  private readonly list: Intervention[] = [];
  readonly episodes: FlagEpisode[] = [];
  private readonly monitorUntil: Record<'behaviour' | 'attendance', Int32Array>;
  private readonly lastStart: Record<'behaviour' | 'attendance', Int32Array>;
  private readonly scale: number;

  constructor(
    private readonly state: SchoolState,
    private readonly rng: Rng,
    perYear: number,
  ) {
    const n = state.pupils.length;
    this.monitorUntil = { behaviour: new Int32Array(n).fill(-1), attendance: new Int32Array(n).fill(-1) };
    this.lastStart = { behaviour: new Int32Array(n).fill(-1_000_000), attendance: new Int32Array(n).fill(-1_000_000) };
    this.scale = perYear / 1200;
  }

  /** The observable behaviour flag on day t (see the module comment); exported for tests and docs. */
  static behaviourFlag(recent: number, before: number): boolean {
    return recent >= I.flagMinEvents && recent >= (I.flagRise * before * I.flagWindow) / I.flagBaseline;
  }

  private active(focus: Focus, dayNumber: number): number {
    let n = 0;
    for (const iv of this.list) {
      if (iv.focus !== focus) continue;
      const end = iv.withdrawAt ?? iv.plannedEnd;
      if (this.state.days[iv.start].day <= dayNumber && dayNumber <= end) n++;
    }
    return n;
  }

  /** The weekly review, on the last school day of a week. */
  review(): void {
    const { state } = this;
    const t = state.t;
    // No room to start anything before the data ends.
    if (t + 6 >= state.days.length) return;
    this.reviewBehaviour();
    this.reviewAttendance();
    this.startWellbeing();
  }

  private candidates(focus: 'behaviour' | 'attendance', test: (p: Pupil) => boolean): Pupil[] {
    const { state } = this;
    const t = state.t;
    const windowStart = t - (I.flagWindow + I.flagBaseline) + 1;
    if (windowStart < 0) return [];
    const from = state.days[windowStart].day;
    return state.pupils.filter(
      (p) =>
        isOnRoll(p, state) &&
        p.admission <= from &&
        state.suspensionLeft[p.index] === 0 &&
        this.monitorUntil[focus][p.index] < t &&
        t - this.lastStart[focus][p.index] > 100 &&
        !this.hasActive(p.index, focus) &&
        test(p),
    );
  }

  private hasActive(pupil: number, focus: Focus): boolean {
    const today = this.state.days[this.state.t].day;
    return this.list.some((iv) => iv.pupil === pupil && iv.focus === focus && (iv.withdrawAt ?? iv.plannedEnd) >= today);
  }

  private reviewBehaviour(): void {
    const { state } = this;
    const t = state.t;
    const flagged = this.candidates('behaviour', (p) => {
      const recent = sumDays(state, state.negatives, p.index, t - I.flagWindow + 1, t);
      const before = sumDays(state, state.negatives, p.index, t - I.flagWindow - I.flagBaseline + 1, t - I.flagWindow);
      return Interventions.behaviourFlag(recent, before);
    });
    const places = Math.min(
      Math.max(1, Math.round(I.weeklyStarts * this.scale)),
      Math.max(0, Math.round(I.maxActive * this.scale) - this.active('behaviour', state.days[t].day)),
    );
    this.allocate('behaviour', flagged, places, BEHAVIOUR_TYPES);
  }

  private reviewAttendance(): void {
    const { state } = this;
    const t = state.t;
    const d = state.days[t];
    if (d.indexInYear < 29) return;
    const yearStart = t - d.indexInYear;
    const flagged = this.candidates('attendance', (p) => {
      const abs30 = sumDays(state, state.absent, p.index, t - 29, t);
      const pos30 = sumDays(state, state.possible, p.index, t - 29, t);
      const absY = sumDays(state, state.absent, p.index, yearStart, t);
      const posY = sumDays(state, state.possible, p.index, yearStart, t);
      return pos30 >= 40 && abs30 / pos30 > 0.1 && absY / posY > 0.1;
    });
    const places = Math.min(
      Math.max(1, Math.round(I.attendanceWeeklyStarts * this.scale)),
      Math.max(0, Math.round(I.attendanceMaxActive * this.scale) - this.active('attendance', d.day)),
    );
    this.allocate('attendance', flagged, places, ATTENDANCE_TYPES);
  }

  private allocate(focus: 'behaviour' | 'attendance', flagged: Pupil[], places: number, types: Chooser<TypeSpec>): void {
    const { state, rng } = this;
    const t = state.t;
    // Capacity, not need, decides who gets a place: a random draw from this week's list.
    const order = rng.shuffle([...flagged]);
    order.forEach((p, k) => {
      const flagDate = state.days[t].iso;
      if (k < places) {
        const iv = this.create(p, focus, types.draw(rng), t + rng.int(1, 5));
        this.lastStart[focus][p.index] = iv.start;
        const effectFrom = focus === 'behaviour' ? state.behaviourEffectFrom : state.attendanceEffectFrom;
        effectFrom[p.index] = Math.min(effectFrom[p.index], iv.start);
        this.episodes.push({ studentId: p.studentId, focus, flagDate, treated: true, interventionId: iv.id, startDate: state.days[iv.start].iso });
        if (focus === 'attendance') {
          state.contacts.add(p.studentId, iv.start, 8 * 60 + 30 + rng.int(0, 60), 'meeting', 'Attendance meeting', iv.staff);
        }
      } else {
        this.monitorUntil[focus][p.index] = t + I.monitorDays;
        this.episodes.push({ studentId: p.studentId, focus, flagDate, treated: false, interventionId: null, startDate: null });
      }
    });
  }

  private startWellbeing(): void {
    const { state, rng } = this;
    const n = rng.poisson((I.wellbeingPerYear * this.scale) / 38);
    if (n === 0) return;
    const pool = state.pupils.filter((p) => isOnRoll(p, state) && !this.hasActive(p.index, 'wellbeing'));
    const weights = pool.map((p) => (p.sen !== 'N' ? 2 : 1) * (p.lookedAfter ? 3 : 1) * (p.gender === 'F' ? 1.3 : 1));
    for (let k = 0; k < n && pool.length > 0; k++) {
      const j = rng.weightedIndex(weights);
      this.create(pool[j], 'wellbeing', WELLBEING_TYPES.draw(rng), state.t + rng.int(1, 5));
      weights[j] = 0;
    }
  }

  private create(p: Pupil, focus: Focus, spec: TypeSpec, start: number): Intervention {
    const { state, rng } = this;
    const startDay = state.days[start];
    const weeks = rng.int(6, 12);
    // Plans run whole weeks; ends, reviews and withdrawals fall on weekdays.
    const plannedEnd = weekdayOnOrBefore(startDay.day + 7 * weeks - 1);
    const withdrawAt = rng.chance(I.withdrawn) ? weekdayOnOrBefore(startDay.day + rng.int(10, 7 * weeks - 10)) : null;
    const yg = yearGroupIn(p, startDay.startYear);
    const staff =
      spec.type === 'Outside agency referral'
        ? state.staff.dsl
        : focus === 'attendance' && spec.type !== 'Mentoring'
          ? state.staff.attendanceOfficer
          : spec.type === 'Report card' || spec.type === 'Behaviour support plan'
            ? (state.staff.headOfYear[yg] ?? state.staff.pso[0])
            : rng.pick(state.staff.pso);
    const groupId = spec.group ? `${spec.group}-${startDay.academicYear.replace('/', '')}-HT${startDay.halfTerm}` : '';
    const iv: Intervention = {
      id: `I${String(this.list.length + 1).padStart(5, '0')}`,
      pupil: p.index,
      spec,
      focus,
      start,
      weeks,
      staff,
      groupId,
      plannedEnd,
      withdrawAt,
      turnout: Math.min(1, Math.max(0.3, rng.beta(8, 2) - 0.15 * Math.max(0, p.absZ))),
    };
    this.list.push(iv);
    return iv;
  }

  /** Write the rows as they stood on the last day of the data. */
  writeTo(table: CsvTable): void {
    const { state } = this;
    const days = state.days;
    const exportDay = days[days.length - 1].day;
    for (const iv of this.list) {
      const p = state.pupils[iv.pupil];
      const startDay = days[iv.start].day;
      let end = iv.plannedEnd;
      let status: string;
      let outcome = '';
      const leftAt = p.leaving !== null && p.leaving < iv.plannedEnd ? p.leaving : null;
      if (iv.withdrawAt !== null && iv.withdrawAt <= exportDay && (leftAt === null || iv.withdrawAt < leftAt)) {
        status = 'withdrawn';
        end = iv.withdrawAt;
        outcome = 'Withdrawn: not engaging';
      } else if (leftAt !== null && leftAt <= exportDay) {
        status = 'withdrawn';
        end = leftAt;
        outcome = 'Withdrawn: pupil left';
      } else if (iv.plannedEnd <= exportDay) {
        status = 'completed';
        outcome = this.outcome(iv);
      } else {
        status = 'active';
      }
      const planned = iv.spec.total ?? (iv.spec.perWeek ?? 1) * iv.weeks;
      const elapsed = Math.max(0, Math.min(end, exportDay) - startDay + 1) / (iv.plannedEnd - startDay + 1);
      const attended = Math.min(planned, Math.round(planned * Math.min(1, elapsed) * iv.turnout));
      table.push([
        iv.id,
        p.studentId,
        iv.spec.type,
        days[iv.start].iso,
        isoOf(end),
        isoOf(weekdayOnOrBefore(startDay + 7 * Math.ceil(iv.weeks / 2))), // mid-point review
        iv.focus,
        iv.staff,
        status,
        iv.groupId,
        planned,
        attended,
        outcome,
      ]);
    }
  }

  /** What the team wrote at the end: judged on the pupil's own before/during figures. */
  private outcome(iv: Intervention): string {
    const { state } = this;
    if (iv.focus === 'wellbeing') return this.rng.chance(0.75) ? 'Completed' : 'Referred on';
    const arr = iv.focus === 'behaviour' ? state.negatives : state.absent;
    const before = sumDays(state, arr, iv.pupil, iv.start - 20, iv.start - 1) / 20;
    const span = Math.min(iv.weeks * 5, state.days.length - iv.start);
    const during = sumDays(state, arr, iv.pupil, iv.start, iv.start + span - 1) / Math.max(1, span);
    if (during <= 0.6 * before) return 'Targets met';
    if (during < before) return 'Targets partly met';
    return 'Targets not met';
  }

  counts(): { behaviour: number; attendance: number; wellbeing: number } {
    const out = { behaviour: 0, attendance: 0, wellbeing: 0 };
    for (const iv of this.list) out[iv.focus]++;
    return out;
  }
}

function weekdayOnOrBefore(day: Day): Day {
  while (isWeekend(day)) day--;
  return day;
}
