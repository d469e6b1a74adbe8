/**
 * Measures computed straight from the generated CSVs, with the DfE rules, independently of
 * the generator's own code: the tests check these against the stated tolerances.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';

export type Row = Record<string, string>;

export function readCsv(dir: string, file: string): Row[] {
  const text = readFileSync(join(dir, file), 'utf8');
  const parsed = Papa.parse<Row>(text, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors[0].message} (row ${parsed.errors[0].row})`);
  return parsed.data;
}

const PRESENT = new Set(['/', '\\', 'L']);
const APPROVED = new Set(['K', 'V', 'P', 'W', 'B']);
const AUTHORISED = new Set(['C', 'C1', 'C2', 'E', 'I', 'M', 'J1', 'R', 'S', 'T']);
const UNAUTHORISED = new Set(['G', 'N', 'O', 'U']);

export interface SchoolData {
  students: Row[];
  behaviour: Row[];
  attendance: Row[];
  bsc: Row[];
  detentions: Row[];
  interventions: Row[];
  suspensions: Row[];
  contacts: Row[];
  calendar: Row[];
}

export function readSchool(dir: string): SchoolData {
  return {
    students: readCsv(dir, 'students.csv'),
    behaviour: readCsv(dir, 'behaviour.csv'),
    attendance: readCsv(dir, 'attendance.csv'),
    bsc: readCsv(dir, 'bsc.csv'),
    detentions: readCsv(dir, 'detentions.csv'),
    interventions: readCsv(dir, 'interventions.csv'),
    suspensions: readCsv(dir, 'suspensions.csv'),
    contacts: readCsv(dir, 'contacts.csv'),
    calendar: readCsv(dir, 'calendar.csv'),
  };
}

export interface PupilAttendance {
  possible: number;
  absent: number;
  authorised: number;
  unauthorised: number;
}

export function attendanceByPupil(data: SchoolData): Map<string, PupilAttendance> {
  const by = new Map<string, PupilAttendance>();
  for (const r of data.attendance) {
    let a = by.get(r.student_id);
    if (!a) by.set(r.student_id, (a = { possible: 0, absent: 0, authorised: 0, unauthorised: 0 }));
    const c = r.code;
    if (PRESENT.has(c) || APPROVED.has(c)) a.possible++;
    else if (AUTHORISED.has(c)) {
      a.possible++;
      a.absent++;
      a.authorised++;
    } else if (UNAUTHORISED.has(c)) {
      a.possible++;
      a.absent++;
      a.unauthorised++;
    }
  }
  return by;
}

export interface AttendanceSummary {
  overall: number;
  authorised: number;
  unauthorised: number;
  persistent: number;
  severe: number;
  pupils: number;
  paFsm: number;
  paNonFsm: number;
  byHalfTerm: number[];
}

export function attendanceSummary(data: SchoolData): AttendanceSummary {
  const by = attendanceByPupil(data);
  let possible = 0;
  let absent = 0;
  let auth = 0;
  let unauth = 0;
  let pa = 0;
  let severe = 0;
  const fsm = new Map(data.students.map((s) => [s.student_id, s.fsm === 'Y']));
  let paF = 0;
  let nF = 0;
  let paN = 0;
  let nN = 0;
  for (const [id, a] of by) {
    possible += a.possible;
    absent += a.absent;
    auth += a.authorised;
    unauth += a.unauthorised;
    if (a.possible === 0) continue;
    const isPa = a.absent / a.possible >= 0.1;
    if (isPa) pa++;
    if (a.absent / a.possible >= 0.5) severe++;
    if (fsm.get(id)) {
      nF++;
      if (isPa) paF++;
    } else {
      nN++;
      if (isPa) paN++;
    }
  }
  // Absence by half-term, from the calendar.
  const ranges = data.calendar.map((c) => [c.start_date, c.end_date] as const);
  const pos = new Array(ranges.length).fill(0);
  const abs = new Array(ranges.length).fill(0);
  for (const r of data.attendance) {
    const k = ranges.findIndex(([a, b]) => r.date >= a && r.date <= b);
    if (k < 0) continue;
    const c = r.code;
    if (PRESENT.has(c) || APPROVED.has(c)) pos[k]++;
    else if (AUTHORISED.has(c) || UNAUTHORISED.has(c)) {
      pos[k]++;
      abs[k]++;
    }
  }
  return {
    overall: absent / possible,
    authorised: auth / possible,
    unauthorised: unauth / possible,
    persistent: pa / by.size,
    severe: severe / by.size,
    pupils: by.size,
    paFsm: paF / nF,
    paNonFsm: paN / nN,
    byHalfTerm: abs.map((a, k) => a / pos[k]),
  };
}

/** Negative events per pupil, for every pupil in students.csv (zero when none). */
export function negativesByPupil(data: SchoolData): Map<string, number> {
  const by = new Map<string, number>(data.students.map((s) => [s.student_id, 0]));
  for (const e of data.behaviour) if (e.polarity === 'negative') by.set(e.student_id, (by.get(e.student_id) ?? 0) + 1);
  return by;
}

export function topShare(counts: number[], share: number): number {
  const sorted = [...counts].sort((a, b) => b - a);
  const k = Math.round(sorted.length * share);
  const total = sorted.reduce((s, x) => s + x, 0);
  return sorted.slice(0, k).reduce((s, x) => s + x, 0) / total;
}

/** Negative events per pupil by a grouping of students.csv. */
export function negativeRateBy(data: SchoolData, key: (s: Row) => string): Map<string, number> {
  const neg = negativesByPupil(data);
  const sum = new Map<string, number>();
  const n = new Map<string, number>();
  for (const s of data.students) {
    const k = key(s);
    sum.set(k, (sum.get(k) ?? 0) + (neg.get(s.student_id) ?? 0));
    n.set(k, (n.get(k) ?? 0) + 1);
  }
  return new Map([...sum].map(([k, v]) => [k, v / n.get(k)!]));
}

/** School days (dates with attendance marks) in order, and their index. */
export function schoolDays(data: SchoolData): { list: string[]; index: Map<string, number> } {
  const list = [...new Set(data.attendance.map((r) => r.date))].sort();
  return { list, index: new Map(list.map((d, i) => [d, i])) };
}

/** Share of pupils with a BSC placement who were placed again within 20 school days of one. */
export function repeatBscShare(data: SchoolData, windowDays = 20): { referred: number; repeat: number; share: number } {
  const { index } = schoolDays(data);
  const by = new Map<string, number[]>();
  for (const b of data.bsc) {
    const list = by.get(b.student_id) ?? [];
    list.push(index.get(b.date)!);
    by.set(b.student_id, list);
  }
  let repeat = 0;
  for (const list of by.values()) {
    list.sort((a, b) => a - b);
    if (list.some((x, i) => i > 0 && x - list[i - 1] <= windowDays)) repeat++;
  }
  return { referred: by.size, repeat, share: repeat / by.size };
}

export interface DidResult {
  treated: number;
  comparison: number;
  naiveReduction: number;
  didReduction: number;
}

/**
 * Difference-in-differences on the flag episodes of the manifest: negative events in the
 * `pre` school days up to the flag review vs the `post` school days starting 6 school days
 * after it (all treated pupils have started by then), treated vs monitored pupils, for
 * pupils with no earlier behaviour intervention.
 */
export function interventionDid(
  data: SchoolData,
  episodes: readonly { studentId: string; focus: string; flagDate: string; treated: boolean }[],
  pre = 20,
  post = 40,
): DidResult {
  const { list, index } = schoolDays(data);
  const T = list.length;
  const perPupilDay = new Map<string, Uint16Array>();
  for (const e of data.behaviour) {
    if (e.polarity !== 'negative') continue;
    let arr = perPupilDay.get(e.student_id);
    if (!arr) perPupilDay.set(e.student_id, (arr = new Uint16Array(T)));
    arr[index.get(e.date)!]++;
  }
  const sum = (id: string, from: number, to: number) => {
    const arr = perPupilDay.get(id);
    if (!arr) return 0;
    let s = 0;
    for (let t = from; t <= to; t++) s += arr[t];
    return s;
  };
  // The planted effect starts with a pupil's first behaviour intervention: later episodes of
  // pupils already treated carry no new effect, so only first-time episodes are compared.
  const firstStart = new Map<string, string>();
  for (const iv of data.interventions) {
    if (iv.focus !== 'behaviour') continue;
    const prev = firstStart.get(iv.student_id);
    if (prev === undefined || iv.start_date < prev) firstStart.set(iv.student_id, iv.start_date);
  }
  const acc = { treated: { n: 0, pre: 0, post: 0 }, comparison: { n: 0, pre: 0, post: 0 } };
  for (const ep of episodes) {
    if (ep.focus !== 'behaviour') continue;
    const first = firstStart.get(ep.studentId);
    if (first !== undefined && first < ep.flagDate) continue;
    const f = index.get(ep.flagDate);
    if (f === undefined || f - pre + 1 < 0 || f + 6 + post - 1 >= T) continue;
    const g = ep.treated ? acc.treated : acc.comparison;
    g.n++;
    g.pre += sum(ep.studentId, f - pre + 1, f);
    g.post += sum(ep.studentId, f + 6, f + 6 + post - 1);
  }
  // Rates per school day, so the windows' lengths cancel.
  const rT = acc.treated.post / post / (acc.treated.pre / pre);
  const rC = acc.comparison.post / post / (acc.comparison.pre / pre);
  return { treated: acc.treated.n, comparison: acc.comparison.n, naiveReduction: 1 - rT, didReduction: 1 - rT / rC };
}
