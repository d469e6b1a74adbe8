/**
 * One demo school, simulated one school day at a time over the generated academic years.
 *
 * Each day, in this order: registers for every pupil on roll (E while suspended); BSC
 * placements waiting for today; detentions due today (settled from the registers); each
 * pupil's behaviour events in the sessions they are in school and not in the BSC, with
 * their sanctions; on the last day of a week the intervention review; on the last day of
 * a half-term, attendance letters. Day-major order means every decision sees only the past.
 */
import { AttendanceModel, AUTHORISED_CODES, PRESENT_CODES, UNAUTHORISED_CODES } from './attendance.ts';
import { BehaviourModel, type DraftEvent } from './behaviour.ts';
import { Bsc } from './bsc.ts';
import type { AcademicYearCalendar, SchoolDay } from './calendar.ts';
import { ContactLog } from './contacts.ts';
import { hhmm, isoOf } from './dates.ts';
import { Detentions } from './detentions.ts';
import { IncidentDesk } from './incidents.ts';
import { type FlagEpisode, Interventions } from './interventions.ts';
import { PARAMS } from './params.ts';
import { createPupils, type Pupil, yearGroupIn } from './pupils.ts';
import type { Rng } from './random.ts';
import { createStaff, type Staff } from './staff.ts';
import { createState, formOf, isBlocked, isOnRoll, type SchoolState, sumDays } from './state.ts';
import { Suspensions } from './suspensions.ts';
import { PERIODS } from './timetable.ts';
import { CsvTable, FILE_COLUMNS, type FileName, FILE_NAMES } from './write-csv.ts';
import { MULTILINE_COMMENT } from './vocab.ts';

export interface SchoolOptions {
  readonly schoolId: string;
  readonly perYear: number;
  readonly calendars: readonly AcademicYearCalendar[];
  /** 1 for the first school; other schools of a trust vary a little around it. */
  readonly behaviourFactor: number;
}

/** The headline figures of one academic year, computed by the DfE rules from what was written. */
export interface YearFigures {
  readonly academicYear: string;
  /** Pupils with at least one possible session in the year (the denominator of the pupil shares). */
  readonly pupils: number;
  readonly possibleSessions: number;
  readonly overallAbsence: number;
  readonly authorisedAbsence: number;
  readonly unauthorisedAbsence: number;
  /** Share of pupils with absence ≥ 10 % (persistent) and ≥ 50 % (severe) of their own possible sessions. */
  readonly persistentAbsence: number;
  readonly severeAbsence: number;
  readonly negativeEvents: number;
  readonly positiveEvents: number;
  readonly suspensions: number;
  readonly permanentExclusions: number;
  readonly suspensionsPer100: number;
  readonly bscPlacements: number;
  readonly bscPupils: number;
  /** Share of BSC pupils placed again within 20 school days of a placement (same year). */
  readonly bscRepeatShare: number;
}

export interface SchoolTruths {
  readonly pupilsOnRollAtStart: number;
  readonly years: readonly YearFigures[];
  readonly permanentExclusions: number;
  readonly suspensions: number;
  readonly suspensionsPD: number;
  readonly bscPlacements: number;
  readonly interventions: { behaviour: number; attendance: number; wellbeing: number };
  readonly detentionStatus: Record<string, number>;
  readonly flagEpisodes: readonly FlagEpisode[];
  /** The one behaviour comment with a line break, to check quoting. */
  readonly multilineCommentEventId: string | null;
}

export interface SchoolResult {
  readonly tables: Record<FileName, CsvTable>;
  readonly truths: SchoolTruths;
}

/** One school being simulated: its people, the models that decide their days, and the files being written. */
interface Simulation {
  readonly opts: SchoolOptions;
  readonly calendars: readonly AcademicYearCalendar[];
  readonly days: readonly SchoolDay[];
  readonly pupils: readonly Pupil[];
  readonly staff: Staff;
  readonly contacts: ContactLog;
  readonly state: SchoolState;
  readonly attendance: AttendanceModel;
  readonly behaviour: BehaviourModel;
  readonly suspensions: Suspensions;
  readonly bsc: Bsc;
  readonly detentions: Detentions;
  readonly desk: IncidentDesk;
  readonly interventions: Interventions;
  readonly praise: Rng;
  /** Per academic year: authorised and unauthorised sessions, and events by polarity. */
  readonly tally: Map<number, YearTally>;
  readonly tables: Record<FileName, CsvTable>;
  eventCount: number;
  multilineEvent: string | null;
}

interface YearTally {
  auth: number;
  unauth: number;
  neg: number;
  pos: number;
}

/** The registers' marks of one pupil for one day (lateness in minutes, or null). */
interface DayMarks {
  am: string;
  pm: string;
  amLate: number | null;
  pmLate: number | null;
}

/** Multipliers on a pupil's behaviour and absence once an intervention has started working. */
const BEHAVIOUR_EFFECT = 1 - PARAMS.interventions.behaviourEffect;
const ATTENDANCE_EFFECT = 1 - PARAMS.interventions.attendanceEffect;

export function simulateSchool(rng: Rng, opts: SchoolOptions): SchoolResult {
  const sim = setUpSchool(rng, opts);
  const pupilsOnRollAtStart = countOnRollAtStart(sim);
  for (let t = 0; t < sim.days.length; t++) simulateDay(sim, t);
  writeFilesAfterTheYears(sim);
  return { tables: sim.tables, truths: schoolTruths(sim, pupilsOnRollAtStart) };
}

/** The pupils, staff and models of the school (each with its own random stream), and empty files. */
function setUpSchool(rng: Rng, opts: SchoolOptions): Simulation {
  const { calendars } = opts;
  const days = calendars.flatMap((c) => c.schoolDays);
  const pupils = createPupils(rng.derive('pupils'), opts.perYear, calendars);
  const staff = createStaff(rng.derive('staff'));
  const contacts = new ContactLog(rng.derive('contacts'), days);
  const state = createState(days, pupils, staff, contacts);
  const attendance = new AttendanceModel(rng.derive('attendance'), pupils.length);
  const behaviour = new BehaviourModel(rng.derive('behaviour'), pupils, staff, opts.behaviourFactor);
  const suspensions = new Suspensions(state, rng.derive('suspensions'));
  const bsc = new Bsc(state, rng.derive('bsc'), suspensions);
  const detentions = new Detentions(state, rng.derive('detentions'), (p) =>
    Math.min(0.5, PARAMS.sanctions.detentionMiss * Math.exp(0.45 * p.behZ)),
  );
  const desk = new IncidentDesk(state, rng.derive('incidents'), bsc, detentions, suspensions);
  const interventions = new Interventions(state, rng.derive('interventions'), opts.perYear);
  const praise = rng.derive('praise');
  const tally = new Map<number, YearTally>(calendars.map((c) => [c.startYear, { auth: 0, unauth: 0, neg: 0, pos: 0 }]));
  const tables = Object.fromEntries(FILE_NAMES.map((f) => [f, new CsvTable(FILE_COLUMNS[f])])) as Record<FileName, CsvTable>;
  return {
    opts, calendars, days, pupils, staff, contacts, state, attendance, behaviour, suspensions, bsc, detentions, desk, interventions, praise, tally, tables,
    eventCount: 0,
    multilineEvent: null,
  };
}

function countOnRollAtStart({ pupils, days }: Simulation): number {
  const firstDay = days[0].day;
  return pupils.filter((p) => p.admission <= firstDay && (p.leaving === null || p.leaving >= firstDay)).length;
}

/** One school day, in the order of the module comment. */
function simulateDay(sim: Simulation, t: number): void {
  const cal = startDay(sim, t);
  const roll = takeRegisters(sim, t);
  // BSC placements waiting for today, then today's detentions.
  sim.bsc.startPending();
  sim.detentions.resolveToday();
  recordBehaviour(sim, roll, t);
  if (sim.days[t].lastOfWeek) sim.interventions.review();
  sendAttendanceLetters(sim, roll, t, cal);
}

/** Moves the clock to day `t`, starting a new academic year or week where one begins; returns the day's calendar. */
function startDay(sim: Simulation, t: number): AcademicYearCalendar {
  const { state, days, attendance, behaviour, suspensions, pupils } = sim;
  state.t = t;
  const d = days[t];
  const cal = sim.calendars.find((c) => c.startYear === d.startYear)!;
  if (d.indexInYear === 0) {
    attendance.startYear(cal, pupils, (p) => formOf(p, cal.startYear));
    behaviour.startYear(cal);
    suspensions.newYear();
  }
  if (t === 0 || d.weekday <= days[t - 1].weekday || d.day - days[t - 1].day >= 7) behaviour.newWeek();
  state.blocked.clear();
  return cal;
}

/** The AM and PM registers of every pupil on roll (E while suspended); returns the pupils on roll. */
function takeRegisters(sim: Simulation, t: number): Pupil[] {
  const { state, days, pupils } = sim;
  const d = days[t];
  const T = days.length;
  const roll: Pupil[] = [];
  for (const p of pupils) {
    const i = p.index;
    if (!isOnRoll(p, state)) {
      state.am[i] = state.pm[i] = '';
      continue;
    }
    roll.push(p);
    const { am, pm, amLate, pmLate } = state.suspensionLeft[i] > 0 ? suspendedMarks(sim, i) : sim.attendance.marks(p, d, t >= state.attendanceEffectFrom[i] ? ATTENDANCE_EFFECT : 1);
    state.am[i] = am;
    state.pm[i] = pm;
    const att = sim.tables['attendance.csv'];
    att.push([p.studentId, d.iso, 'AM', am, amLate]);
    att.push([p.studentId, d.iso, 'PM', pm, pmLate]);
    const cell = i * T + t;
    state.possible[cell] = 2;
    state.absent[cell] = (isAbsence(am) ? 1 : 0) + (isAbsence(pm) ? 1 : 0);
    const y = sim.tally.get(d.startYear)!;
    y.auth += (AUTHORISED_CODES.has(am) ? 1 : 0) + (AUTHORISED_CODES.has(pm) ? 1 : 0);
    y.unauth += (UNAUTHORISED_CODES.has(am) ? 1 : 0) + (UNAUTHORISED_CODES.has(pm) ? 1 : 0);
  }
  return roll;
}

/** Suspended: E for each suspended session; a half-day suspension ends at lunch. */
function suspendedMarks({ attendance, state }: Simulation, i: number): DayMarks {
  attendance.endRun(i);
  state.suspensionLeft[i]--;
  let pm = '\\';
  if (state.suspensionLeft[i] > 0) {
    pm = 'E';
    state.suspensionLeft[i]--;
  }
  return { am: 'E', pm, amLate: null, pmLate: null };
}

/** Behaviour in the sessions each pupil is in school, with the sanctions it brings. */
function recordBehaviour(sim: Simulation, roll: readonly Pupil[], t: number): void {
  const { state, days } = sim;
  const d = days[t];
  for (const p of roll) {
    const i = p.index;
    const inAm = PRESENT_CODES.has(state.am[i]);
    const inPm = PRESENT_CODES.has(state.pm[i]);
    if (!inAm && !inPm) continue;
    const form = formOf(p, d.startYear);
    const drafts = sim.behaviour.draftDay(p, d, t >= state.behaviourEffectFrom[i] ? BEHAVIOUR_EFFECT : 1, form);
    for (const ev of drafts) {
      const inSession = ev.period.session === 'AM' ? inAm : inPm;
      // Suspension or a BSC placement decided earlier today can block later events.
      if (!inSession || isBlocked(state, i, ev.time)) continue;
      recordEvent(sim, p, t, ev);
    }
  }
}

/** One behaviour event: its row in behaviour.csv, and for a negative one what the incident desk decides. */
function recordEvent(sim: Simulation, p: Pupil, t: number, ev: DraftEvent): void {
  const d = sim.days[t];
  sim.eventCount++;
  const eventId = `E${String(sim.eventCount).padStart(7, '0')}`;
  let action = '';
  let statementAt = '';
  const y = sim.tally.get(d.startYear)!;
  if (ev.polarity === 'negative') y.neg++;
  else y.pos++;
  if (ev.polarity === 'negative') {
    sim.state.negatives[p.index * sim.days.length + t]++;
    ({ action, statementAt } = sim.desk.handle(p, ev, eventId));
    if (sim.multilineEvent === null && ev.category === 'Physical' && ev.location === 'Canteen') {
      ev.comment = MULTILINE_COMMENT;
      sim.multilineEvent = eventId;
    }
  } else if (sim.praise.chance(0.02)) {
    const praise = sim.praise;
    sim.contacts.add(p.studentId, t, 15 * 60 + 20 + praise.int(0, 90), praise.chance(0.5) ? 'phone' : 'email', 'Praise', ev.staff);
  }
  sim.tables['behaviour.csv'].push([
    eventId,
    p.studentId,
    d.iso,
    hhmm(ev.time),
    ev.period.name,
    ev.polarity,
    ev.category,
    ev.points,
    ev.severity,
    ev.subject,
    ev.location,
    ev.staff,
    action,
    ev.comment,
    statementAt,
  ]);
}

/** At the end of half-terms 1–5, a letter home for pupils below 90 % this half-term and this year. */
function sendAttendanceLetters(sim: Simulation, roll: readonly Pupil[], t: number, cal: AcademicYearCalendar): void {
  const { state } = sim;
  const d = sim.days[t];
  if (d.daysToBreak !== 0 || d.halfTerm > 5) return;
  const htStart = t - d.indexInYear + cal.schoolDays.findIndex((x) => x.halfTerm === d.halfTerm);
  const yearStart = t - d.indexInYear;
  for (const p of roll) {
    const posH = sumDays(state, state.possible, p.index, htStart, t);
    const posY = sumDays(state, state.possible, p.index, yearStart, t);
    if (posH < 20) continue;
    const rateH = sumDays(state, state.absent, p.index, htStart, t) / posH;
    const rateY = sumDays(state, state.absent, p.index, yearStart, t) / posY;
    if (rateH > 0.1 && rateY > 0.1) {
      sim.contacts.add(p.studentId, t, 14 * 60, 'letter', 'Attendance concern', sim.staff.attendanceOfficer);
    }
  }
}

/** Files written after the simulation: students (leaving dates can change), the sanctions, the calendar and the school day. */
function writeFilesAfterTheYears(sim: Simulation): void {
  const { tables } = sim;
  writeStudents(sim);
  sim.bsc.writeTo(tables['bsc.csv']);
  sim.detentions.writeTo(tables['detentions.csv']);
  sim.interventions.writeTo(tables['interventions.csv']);
  sim.suspensions.writeTo(tables['suspensions.csv']);
  sim.contacts.writeTo(tables['contacts.csv']);
  for (const cal of sim.calendars) {
    for (const h of cal.halfTerms) tables['calendar.csv'].push([h.academicYear, h.term, h.halfTerm, isoOf(h.start), isoOf(h.end)]);
  }
  // The school day (registration to the end of P6): before and after school are outside it.
  for (const p of PERIODS.filter((x) => x.name !== 'Before school' && x.name !== 'After school')) tables['periods.csv'].push([p.name, hhmm(p.start), hhmm(p.end)]);
}

/** students.csv, by student id: each pupil's year group in the latest year of the data, or in the year they left. */
function writeStudents({ calendars, pupils, tables }: Simulation): void {
  const lastYear = calendars[calendars.length - 1].startYear;
  const yearOfDay = (day: number) => calendars.find((c) => day <= c.schoolDays[c.schoolDays.length - 1].day)?.startYear ?? lastYear;
  const sorted = [...pupils].sort((a, b) => (a.studentId < b.studentId ? -1 : 1));
  for (const p of sorted) {
    const asOf = p.leaving !== null ? yearOfDay(p.leaving) : lastYear;
    const yg = yearGroupIn(p, asOf);
    tables['students.csv'].push([
      p.studentId,
      p.upn,
      p.firstName,
      p.lastName,
      yg,
      `${yg}${p.formLetter}`,
      p.house,
      p.gender,
      p.dateOfBirth,
      p.sen,
      yn(p.pupilPremium),
      yn(p.fsm),
      yn(p.eal),
      p.ethnicity,
      yn(p.lookedAfter),
      isoOf(p.admission),
      p.leaving === null ? '' : isoOf(p.leaving),
    ]);
  }
}

/** What the generator knows it wrote, for the tests that check the pipeline recovers it. */
function schoolTruths(sim: Simulation, pupilsOnRollAtStart: number): SchoolTruths {
  const { suspensions, bsc, interventions, detentions } = sim;
  return {
    pupilsOnRollAtStart,
    years: sim.calendars.map((cal) => yearFigures(sim, cal)),
    permanentExclusions: suspensions.permanentCount,
    suspensions: suspensions.count,
    suspensionsPD: suspensions.pdCount,
    bscPlacements: bsc.count,
    interventions: interventions.counts(),
    detentionStatus: detentions.statusCounts(),
    flagEpisodes: interventions.episodes,
    multilineCommentEventId: sim.multilineEvent,
  };
}

/** One academic year's headline figures, by the DfE rules, from the registers and placements simulated. */
function yearFigures({ days, pupils, state, tally, suspensions }: Simulation, cal: AcademicYearCalendar): YearFigures {
  const from = cal.schoolDays[0].day;
  const t0 = days.findIndex((x) => x.day === from);
  const t1 = t0 + cal.schoolDays.length - 1;
  let pupilsWithMarks = 0;
  let possible = 0;
  let persistent = 0;
  let severe = 0;
  let bscPupils = 0;
  let bscRepeat = 0;
  let bscPlacements = 0;
  for (const p of pupils) {
    const pos = sumDays(state, state.possible, p.index, t0, t1);
    if (pos === 0) continue;
    const abs = sumDays(state, state.absent, p.index, t0, t1);
    pupilsWithMarks++;
    possible += pos;
    if (abs / pos >= 0.1) persistent++;
    if (abs / pos >= 0.5) severe++;
    const placed = state.bscDays[p.index].filter((x) => x >= t0 && x <= t1);
    bscPlacements += placed.length;
    if (placed.length > 0) bscPupils++;
    if (placed.some((x, k) => k > 0 && x - placed[k - 1] <= 20)) bscRepeat++;
  }
  const y = tally.get(cal.startYear)!;
  const sus = suspensions.startsBetween(from, cal.schoolDays[cal.schoolDays.length - 1].day);
  return {
    academicYear: cal.label,
    pupils: pupilsWithMarks,
    possibleSessions: possible,
    overallAbsence: (y.auth + y.unauth) / possible,
    authorisedAbsence: y.auth / possible,
    unauthorisedAbsence: y.unauth / possible,
    persistentAbsence: persistent / pupilsWithMarks,
    severeAbsence: severe / pupilsWithMarks,
    negativeEvents: y.neg,
    positiveEvents: y.pos,
    suspensions: sus.suspension,
    permanentExclusions: sus.permanent,
    suspensionsPer100: (100 * sus.suspension) / pupilsWithMarks,
    bscPlacements,
    bscPupils,
    bscRepeatShare: bscPupils === 0 ? 0 : bscRepeat / bscPupils,
  };
}

function isAbsence(code: string): boolean {
  return AUTHORISED_CODES.has(code) || UNAUTHORISED_CODES.has(code);
}

function yn(b: boolean): string {
  return b ? 'Y' : 'N';
}

