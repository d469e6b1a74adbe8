/**
 * The demo school, checked from its CSVs. One default-sized run (1,200 pupils, one year,
 * seed 1) is shared by the calibration tests; small runs check determinism and the
 * multi-school and multi-year layouts. Tolerances are justified in docs/demo-school.md.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT } from '../../data-loaders/contract.ts';
import { type DemoManifest, generateDemo } from '../../src/demo/generate.ts';
import {
  attendanceSummary,
  interventionDid,
  negativeRateBy,
  negativesByPupil,
  readSchool,
  repeatBscShare,
  type Row,
  type SchoolData,
  schoolDays,
  topShare,
} from './measure.ts';

const FILES = [
  'students.csv',
  'behaviour.csv',
  'attendance.csv',
  'bsc.csv',
  'detentions.csv',
  'interventions.csv',
  'suspensions.csv',
  'contacts.csv',
  'calendar.csv',
  'periods.csv',
];

/** Column names exactly as listed in shared/DATA-CONTRACT.md. */
const HEADERS: Record<string, string> = {
  'students.csv':
    'student_id,upn,first_name,last_name,year_group,form,house,gender,date_of_birth,sen,pupil_premium,fsm,eal,ethnicity,looked_after,admission_date,leaving_date',
  'behaviour.csv':
    'event_id,student_id,date,time,period,polarity,category,points,severity,subject,location,staff,action,comment,statement_taken_at',
  'attendance.csv': 'student_id,date,session,code,minutes_late',
  'bsc.csv':
    'referral_id,student_id,date,referred_by,reason,event_id,periods,start_time,end_time,booklet,conduct,outcome,parent_contacted,statement_taken,reintegration_date',
  'detentions.csv': 'detention_id,student_id,date,type,minutes,reason,issued_by,event_id,status',
  'interventions.csv':
    'intervention_id,student_id,type,start_date,end_date,review_date,focus,staff,status,group_id,sessions_planned,sessions_attended,outcome',
  'suspensions.csv': 'suspension_id,student_id,start_date,sessions,type,reason',
  'contacts.csv': 'contact_id,student_id,date,method,reason,staff,outcome',
  'calendar.csv': 'academic_year,term,half_term,start_date,end_date',
  'periods.csv': 'period,start_time,end_time',
};

const AM_PERIODS = new Set(['Before school', 'Registration', 'P1', 'P2', 'Break', 'P3', 'P4', 'Lunch']);
const PRESENT = new Set(['/', '\\', 'L']);
const VALID_CODES = new Set(['/', '\\', 'L', 'K', 'V', 'P', 'W', 'B', 'C', 'E', 'I', 'M', 'R', 'T', 'G', 'N', 'O', 'U']);

let dir: string;
let manifest: DemoManifest;
let data: SchoolData;
let elapsedMs: number;
/** Register code by student|date|session. */
let marks: Map<string, string>;
let days: { list: string[]; index: Map<string, number> };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pp-demo-'));
  const t0 = performance.now();
  manifest = await generateDemo({ outDir: dir, seed: 1 });
  elapsedMs = performance.now() - t0;
  data = readSchool(dir);
  marks = new Map(data.attendance.map((r) => [`${r.student_id}|${r.date}|${r.session}`, r.code]));
  days = schoolDays(data);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('files', () => {
  it('writes the nine canonical files and the manifest, with the contract headers', async () => {
    const names = await readdir(dir);
    for (const f of [...FILES, 'demo-manifest.json']) expect(names).toContain(f);
    for (const f of FILES) {
      const text = await readFile(join(dir, f), 'utf8');
      expect(text.slice(0, text.indexOf('\n')), f).toBe(HEADERS[f]);
    }
    console.info(`demo school: ${Math.round(elapsedMs)} ms for 1,200 pupils, one year`);
  });

  it('uses only columns the ingest contract knows, including every required one', () => {
    for (const spec of Object.values(CONTRACT)) {
      const header = HEADERS[spec.fileName].split(',');
      const known = new Set(spec.columns.map((c) => c.name));
      for (const h of header) expect(known.has(h), `${spec.fileName}: ${h}`).toBe(true);
      for (const c of spec.columns) {
        // suspensions: sessions or days, one of them.
        if (c.required) expect(header, `${spec.fileName} needs ${c.name}`).toContain(c.name);
      }
    }
  });

  it('is UTF-8 without BOM, with \\n line endings and non-ASCII names', async () => {
    for (const f of FILES) {
      const buf = await readFile(join(dir, f));
      expect(buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf, f).toBe(false);
      expect(buf.includes(0x0d), `${f} has \\r`).toBe(false);
      expect(buf[buf.length - 1], f).toBe(0x0a);
    }
    const names = data.students.map((s) => `${s.first_name} ${s.last_name}`).join('\n');
    expect(names).toMatch(/[^\x00-\x7f]/);
    expect(data.students.some((s) => /[ëâíéóñüłá]/i.test(s.first_name + s.last_name))).toBe(true);
  });

  it('has comments with commas and quotes, and exactly one with a line break, that parse back', () => {
    const comments = data.behaviour.map((e) => e.comment);
    expect(comments.some((c) => c.includes(','))).toBe(true);
    expect(comments.some((c) => c.includes('"'))).toBe(true);
    const multiline = data.behaviour.filter((e) => e.comment.includes('\n'));
    expect(multiline.length).toBe(1);
    expect(multiline[0].event_id).toBe(manifest.schools[0].truths.multilineCommentEventId);
  });

  it('reports the row counts in the manifest', () => {
    const files = manifest.schools[0].files;
    expect(files['students.csv']).toBe(data.students.length);
    expect(files['behaviour.csv']).toBe(data.behaviour.length);
    expect(files['attendance.csv']).toBe(data.attendance.length);
    expect(files['bsc.csv']).toBe(data.bsc.length);
    expect(files['calendar.csv']).toBe(6);
    // Registration, six lessons, break and lunch.
    expect(files['periods.csv']).toBe(9);
    expect(manifest.schools[0].dir).toBe('.');
    expect(manifest.plantedInterventionEffect.relativeReduction).toBe(0.35);
    expect(manifest.plantedInterventionEffect.metric).toBe('negative events per pupil per school week');
  });
});

describe('manifest figures', () => {
  it('states the same yearly figures that the CSVs give by the DfE rules', () => {
    const [y] = manifest.schools[0].truths.years;
    const a = attendanceSummary(data);
    const r = repeatBscShare(data);
    const neg = data.behaviour.filter((e) => e.polarity === 'negative').length;
    expect(y.academicYear).toBe('2025/26');
    expect(y.pupils).toBe(a.pupils);
    expect(y.overallAbsence).toBeCloseTo(a.overall, 12);
    expect(y.authorisedAbsence).toBeCloseTo(a.authorised, 12);
    expect(y.unauthorisedAbsence).toBeCloseTo(a.unauthorised, 12);
    expect(y.persistentAbsence).toBeCloseTo(a.persistent, 12);
    expect(y.severeAbsence).toBeCloseTo(a.severe, 12);
    expect(y.negativeEvents).toBe(neg);
    expect(y.positiveEvents).toBe(data.behaviour.length - neg);
    expect(y.suspensions).toBe(data.suspensions.filter((x) => x.type === 'suspension').length);
    expect(y.permanentExclusions).toBe(data.suspensions.filter((x) => x.type === 'permanent').length);
    expect(y.bscPlacements).toBe(data.bsc.length);
    expect(y.bscPupils).toBe(r.referred);
    expect(y.bscRepeatShare).toBeCloseTo(r.share, 12);
  });
});

describe('pupils', () => {
  it('has about 1,200 pupils in Years 7–11 with unique ids and valid UPNs', () => {
    const onRoll = data.students.filter((s) => s.leaving_date === '');
    expect(data.students.length).toBeGreaterThanOrEqual(1200);
    expect(data.students.length).toBeLessThan(1260);
    expect(new Set(data.students.map((s) => s.student_id)).size).toBe(data.students.length);
    expect(new Set(data.students.map((s) => s.upn)).size).toBe(data.students.length);
    for (const s of data.students) {
      expect(s.student_id).toMatch(/^S\d{6}$/);
      expect(s.upn).toMatch(/^[A-HJ-NP-RT-Z]\d{12}$/);
      expect(Number(s.year_group)).toBeGreaterThanOrEqual(7);
      expect(Number(s.year_group)).toBeLessThanOrEqual(11);
      expect(s.form).toBe(`${s.year_group}${s.form.slice(-1)}`);
    }
    for (let y = 7; y <= 11; y++) {
      const n = onRoll.filter((s) => s.year_group === String(y)).length;
      expect(n, `Year ${y}`).toBeGreaterThan(220);
      expect(n, `Year ${y}`).toBeLessThan(260);
    }
  });

  it('has national-like pupil groups (±4pp, binomial noise at n≈1,200 is ~1.3pp)', () => {
    const share = (f: (s: (typeof data.students)[number]) => boolean) => data.students.filter(f).length / data.students.length;
    expect(share((s) => s.gender === 'F')).toBeCloseTo(0.49, 1);
    expect(share((s) => s.gender === 'X')).toBeLessThan(0.04);
    expect(Math.abs(share((s) => s.sen === 'K') - 0.13)).toBeLessThan(0.04);
    expect(Math.abs(share((s) => s.sen === 'E') - 0.045)).toBeLessThan(0.02);
    expect(Math.abs(share((s) => s.pupil_premium === 'Y') - 0.27)).toBeLessThan(0.04);
    expect(Math.abs(share((s) => s.fsm === 'Y') - 0.25)).toBeLessThan(0.04);
    expect(Math.abs(share((s) => s.eal === 'Y') - 0.17)).toBeLessThan(0.04);
    expect(share((s) => s.looked_after === 'Y')).toBeLessThan(0.03);
    // FSM pupils are nearly all pupil premium.
    const fsm = data.students.filter((s) => s.fsm === 'Y');
    expect(fsm.filter((s) => s.pupil_premium === 'Y').length / fsm.length).toBeGreaterThan(0.9);
  });

  it('has dates of birth that fit the year group', () => {
    for (const s of data.students.filter((x) => x.leaving_date === '')) {
      // Year 7 in 2025/26 were born 2013-09-01 … 2014-08-31.
      const y0 = 2025 - 12 - (Number(s.year_group) - 7);
      expect(s.date_of_birth >= `${y0}-09-01` && s.date_of_birth <= `${y0 + 1}-08-31`, s.student_id).toBe(true);
    }
  });

  it('has a handful of mid-year joiners and leavers, marked only while on roll', () => {
    const first = days.list[0];
    const last = days.list[days.list.length - 1];
    const joiners = data.students.filter((s) => s.admission_date > first);
    const leavers = data.students.filter((s) => s.leaving_date !== '' && s.leaving_date < last);
    expect(joiners.length).toBeGreaterThanOrEqual(5);
    expect(leavers.length).toBeGreaterThanOrEqual(5);
    const range = new Map(data.students.map((s) => [s.student_id, [s.admission_date, s.leaving_date || '9999-12-31']]));
    const outside = data.attendance.filter((r) => {
      const [a, b] = range.get(r.student_id)!;
      return r.date < a || r.date > b;
    });
    expect(outside.slice(0, 3)).toEqual([]);
    // Every pupil has marks on every school day between admission and leaving.
    const rows = new Map<string, number>();
    for (const r of data.attendance) rows.set(r.student_id, (rows.get(r.student_id) ?? 0) + 1);
    for (const s of data.students) {
      const expected = days.list.filter((d) => d >= s.admission_date && d <= (s.leaving_date || '9999')).length * 2;
      expect(rows.get(s.student_id) ?? 0, s.student_id).toBe(expected);
    }
  });
});

describe('calendar and attendance', () => {
  it('has six half-terms and 185–195 school days, none at weekends or on bank holidays', () => {
    expect(data.calendar.map((c) => `${c.academic_year} ${c.term} ${c.half_term}`)).toEqual([
      '2025/26 Autumn 1',
      '2025/26 Autumn 2',
      '2025/26 Spring 3',
      '2025/26 Spring 4',
      '2025/26 Summer 5',
      '2025/26 Summer 6',
    ]);
    expect(days.list.length).toBeGreaterThanOrEqual(185);
    expect(days.list.length).toBeLessThanOrEqual(195);
    const bankHolidays = new Set(['2025-12-25', '2025-12-26', '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25']);
    for (const d of days.list) {
      const wd = new Date(`${d}T12:00:00Z`).getUTCDay();
      expect(wd >= 1 && wd <= 5, d).toBe(true);
      expect(bankHolidays.has(d), d).toBe(false);
      expect(data.calendar.some((c) => d >= c.start_date && d <= c.end_date), d).toBe(true);
    }
  });

  it('has one AM and one PM mark per pupil per school day, valid codes, minutes late only with L/U', () => {
    // Plain loops collecting problems: one expect per row would take seconds on 450k rows.
    const problems: string[] = [];
    for (const r of data.attendance) {
      const row = `${r.student_id} ${r.date} ${r.session} ${r.code} ${r.minutes_late}`;
      if (!VALID_CODES.has(r.code)) problems.push(`code: ${row}`);
      const late = r.code === 'L' || r.code === 'U';
      if (late ? !(Number(r.minutes_late) > 0) : r.minutes_late !== '') problems.push(`minutes_late: ${row}`);
      if ((r.code === '/' && r.session !== 'AM') || (r.code === '\\' && r.session !== 'PM')) problems.push(`session: ${row}`);
      if (!marks.has(`${r.student_id}|${r.date}|${r.session === 'AM' ? 'PM' : 'AM'}`)) problems.push(`unpaired: ${row}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    // Unique keys: the map of marks has one entry per row.
    expect(marks.size).toBe(data.attendance.length);
  });

  it('matches national absence: 8.9% ± 1.5pp overall, 5.4 ± 1.2 authorised, 3.5 ± 1.0 unauthorised', () => {
    const a = attendanceSummary(data);
    console.info(
      `absence ${(100 * a.overall).toFixed(2)}% (auth ${(100 * a.authorised).toFixed(2)}, unauth ${(100 * a.unauthorised).toFixed(2)}), ` +
        `PA ${(100 * a.persistent).toFixed(1)}%, severe ${(100 * a.severe).toFixed(2)}%, PA FSM/non-FSM ${(a.paFsm / a.paNonFsm).toFixed(2)}`,
    );
    expect(Math.abs(a.overall - 0.089)).toBeLessThan(0.015);
    expect(Math.abs(a.authorised - 0.054)).toBeLessThan(0.012);
    expect(Math.abs(a.unauthorised - 0.035)).toBeLessThan(0.01);
  });

  it('has persistent absence 22–32% of pupils, severe 0.5–4%, FSM PA > 1.5× non-FSM', () => {
    const a = attendanceSummary(data);
    expect(a.persistent).toBeGreaterThan(0.22);
    expect(a.persistent).toBeLessThan(0.32);
    expect(a.severe).toBeGreaterThan(0.005);
    expect(a.severe).toBeLessThan(0.04);
    expect(a.paFsm / a.paNonFsm).toBeGreaterThan(1.5);
  });

  it('has absence rising autumn < spring < summer', () => {
    const h = attendanceSummary(data).byHalfTerm;
    const autumn = (h[0] + h[1]) / 2;
    const spring = (h[2] + h[3]) / 2;
    const summer = (h[4] + h[5]) / 2;
    expect(autumn).toBeLessThan(spring);
    expect(spring).toBeLessThan(summer);
  });

  it('uses the full range of codes: illness the bulk of authorised, O the bulk of unauthorised, some lates', () => {
    const n: Record<string, number> = {};
    for (const r of data.attendance) n[r.code] = (n[r.code] ?? 0) + 1;
    for (const c of ['L', 'U', 'V', 'P', 'K', 'I', 'M', 'C', 'E', 'R', 'T', 'O', 'G', 'N']) expect(n[c] ?? 0, c).toBeGreaterThan(0);
    expect(n.I).toBeGreaterThan(n.M + n.C + n.R + n.T);
    expect(n.O).toBeGreaterThan(n.G + n.N + n.U);
    const lateShare = (n.L + n.U) / data.attendance.length;
    expect(lateShare).toBeGreaterThan(0.01);
    expect(lateShare).toBeLessThan(0.05);
  });
});

describe('behaviour', () => {
  it('refers to known pupils, has unique ids, and happens only in sessions the pupil was present', () => {
    const ids = new Set(data.students.map((s) => s.student_id));
    expect(new Set(data.behaviour.map((e) => e.event_id)).size).toBe(data.behaviour.length);
    const problems: string[] = [];
    for (const e of data.behaviour) {
      if (!ids.has(e.student_id)) problems.push(`unknown pupil ${e.event_id}`);
      const code = marks.get(`${e.student_id}|${e.date}|${AM_PERIODS.has(e.period) ? 'AM' : 'PM'}`);
      if (code === undefined || !PRESENT.has(code)) problems.push(`${e.event_id} ${e.date} ${e.period}: register ${code}`);
      if (!/^\d\d:\d\d$/.test(e.time)) problems.push(`${e.event_id} time ${e.time}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('has negative points and severity 1–5 for negatives, positive points for positives', () => {
    const problems: string[] = [];
    const unstructured = new Set(['Break', 'Lunch', 'Before school', 'After school', 'Registration']);
    for (const e of data.behaviour) {
      const sev = Number(e.severity);
      const ok =
        e.polarity === 'negative'
          ? Number(e.points) < 0 && sev >= 1 && sev <= 5
          : e.polarity === 'positive' && Number(e.points) > 0 && e.severity === '';
      if (!ok) problems.push(`${e.event_id} ${e.polarity} ${e.points} ${e.severity}`);
      if (unstructured.has(e.period) && e.subject !== '') problems.push(`${e.event_id} subject in ${e.period}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('has 2–3.5 positive events per negative', () => {
    const neg = data.behaviour.filter((e) => e.polarity === 'negative').length;
    const ratio = (data.behaviour.length - neg) / neg;
    console.info(`positive:negative ${ratio.toFixed(2)}, negative per pupil ${(neg / data.students.length).toFixed(1)}`);
    expect(ratio).toBeGreaterThan(2);
    expect(ratio).toBeLessThan(3.5);
  });

  it('is concentrated: the top 5% of pupils have ≥35% of negative events, and most pupils few', () => {
    const counts = [...negativesByPupil(data).values()];
    const share = topShare(counts, 0.05);
    console.info(`top 5% of pupils: ${(100 * share).toFixed(1)}% of negative events`);
    expect(share).toBeGreaterThanOrEqual(0.35);
    expect(counts.filter((c) => c <= 3).length / counts.length).toBeGreaterThan(0.4);
  });

  it('is higher for boys, FSM and SEN support pupils, peaks in Year 9 and is lowest in Year 7', () => {
    const gender = negativeRateBy(data, (s) => s.gender);
    expect(gender.get('M')!).toBeGreaterThan(gender.get('F')!);
    const fsm = negativeRateBy(data, (s) => s.fsm);
    expect(fsm.get('Y')!).toBeGreaterThan(fsm.get('N')!);
    const sen = negativeRateBy(data, (s) => s.sen);
    expect(sen.get('K')!).toBeGreaterThan(sen.get('N')!);
    const yg = negativeRateBy(data, (s) => s.year_group);
    const rates = [7, 8, 9, 10, 11].map((y) => yg.get(String(y))!);
    expect(Math.max(...rates)).toBe(rates[2]);
    expect(Math.min(...rates)).toBe(rates[0]);
  });

  it('is heavier in the afternoon lessons than the morning ones', () => {
    const n: Record<string, number> = {};
    for (const e of data.behaviour) if (e.polarity === 'negative') n[e.period] = (n[e.period] ?? 0) + 1;
    expect(n.P5 + n.P6).toBeGreaterThan(n.P1 + n.P2);
  });
});

describe('BSC placements', () => {
  it('follow a serious incident of the same pupil, on that day or within a few school days, when present', () => {
    const events = new Map(data.behaviour.map((e) => [e.event_id, e]));
    const ids = new Set(data.bsc.map((b) => b.referral_id));
    expect(ids.size).toBe(data.bsc.length);
    for (const b of data.bsc) {
      const e = events.get(b.event_id);
      expect(e, b.referral_id).toBeDefined();
      expect(e!.student_id).toBe(b.student_id);
      expect(e!.polarity).toBe('negative');
      expect(Number(e!.severity)).toBeGreaterThanOrEqual(3);
      const gap = days.index.get(b.date)! - days.index.get(e!.date)!;
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(5);
      expect(PRESENT.has(marks.get(`${b.student_id}|${b.date}|AM`) ?? '')).toBe(true);
      expect(Number(b.periods)).toBeGreaterThanOrEqual(1);
      expect(Number(b.periods)).toBeLessThanOrEqual(6);
      expect(b.start_time < b.end_time).toBe(true);
      if (b.reintegration_date) expect(b.reintegration_date >= b.date).toBe(true);
    }
    // Most serious incidents (severity ≥ 4) that did not end in a suspension reach the BSC.
    const referred = new Set(data.bsc.map((b) => b.event_id));
    const serious = data.behaviour.filter((e) => Number(e.severity) >= 4 && e.action !== 'Suspension');
    expect(serious.filter((e) => referred.has(e.event_id)).length / serious.length).toBeGreaterThan(0.8);
  });

  it('has 25–40% of referred pupils referred again within 20 school days', () => {
    const r = repeatBscShare(data);
    console.info(`BSC: ${data.bsc.length} placements, ${r.referred} pupils, repeat within 20 school days ${(100 * r.share).toFixed(1)}%`);
    expect(r.share).toBeGreaterThan(0.25);
    expect(r.share).toBeLessThan(0.4);
  });
});

describe('detentions', () => {
  it('follow a Detention action on or after the event; mostly attended, some missed and escalated', () => {
    const events = new Map(data.behaviour.map((e) => [e.event_id, e]));
    for (const d of data.detentions) {
      const e = events.get(d.event_id);
      expect(e, d.detention_id).toBeDefined();
      expect(e!.student_id).toBe(d.student_id);
      expect(d.date >= e!.date).toBe(true);
      if (d.type !== 'SLT' && !d.reason.startsWith('Rescheduled')) expect(e!.action).toBe('Detention');
    }
    const settled = data.detentions.filter((d) => d.status !== 'pending');
    const share = (s: string) => settled.filter((d) => d.status === s).length / settled.length;
    console.info(`detentions attended ${(100 * share('attended')).toFixed(1)}%, missed+escalated ${(100 * (share('missed') + share('escalated'))).toFixed(1)}%`);
    expect(share('attended')).toBeGreaterThan(0.7);
    expect(share('attended')).toBeLessThan(0.9);
    expect(share('missed') + share('escalated')).toBeGreaterThan(0.06);
    expect(share('missed') + share('escalated')).toBeLessThan(0.18);
    // An escalated detention is followed by an SLT detention for the same event.
    const slt = new Set(data.detentions.filter((d) => d.type === 'SLT').map((d) => d.reason));
    for (const d of data.detentions.filter((x) => x.status === 'escalated')) {
      expect([...slt].some((r) => r.endsWith(d.detention_id))).toBe(true);
    }
    // Pending ones are only in the last two school days.
    const lastTwo = new Set(days.list.slice(-2));
    for (const d of data.detentions.filter((x) => x.status === 'pending')) expect(lastTwo.has(d.date)).toBe(true);
  });
});

describe('suspensions', () => {
  it('has 15–30 suspensions per 100 pupils, about half PD, and a few permanent exclusions who leave', () => {
    const susp = data.suspensions.filter((s) => s.type === 'suspension');
    const perm = data.suspensions.filter((s) => s.type === 'permanent');
    const per100 = (100 * susp.length) / data.students.length;
    const pd = susp.filter((s) => s.reason === 'PD').length / susp.length;
    console.info(`suspensions ${per100.toFixed(1)} per 100 pupils, PD ${(100 * pd).toFixed(0)}%, permanent ${perm.length}`);
    expect(per100).toBeGreaterThan(15);
    expect(per100).toBeLessThan(30);
    expect(pd).toBeGreaterThan(0.35);
    expect(pd).toBeLessThan(0.65);
    expect(perm.length).toBeLessThanOrEqual(8);
    const students = new Map(data.students.map((s) => [s.student_id, s]));
    for (const p of perm) {
      const s = students.get(p.student_id)!;
      expect(s.leaving_date >= p.start_date).toBe(true);
    }
    for (const s of data.suspensions) {
      expect(Number(s.sessions)).toBeGreaterThanOrEqual(1);
      expect(Number(s.sessions)).toBeLessThanOrEqual(10);
    }
  });

  it('are more common for FSM (>2×) and SEN support pupils', () => {
    const students = new Map(data.students.map((s) => [s.student_id, s]));
    const rate = (f: (s: Row) => boolean) => {
      const n = data.students.filter(f).length;
      return data.suspensions.filter((x) => f(students.get(x.student_id)!)).length / n;
    };
    expect(rate((s) => s.fsm === 'Y') / rate((s) => s.fsm === 'N')).toBeGreaterThan(2);
    expect(rate((s) => s.sen === 'K') / rate((s) => s.sen === 'N')).toBeGreaterThan(2);
  });

  it('codes every suspended session E, from the start date AM', () => {
    for (const s of data.suspensions) {
      let k = days.index.get(s.start_date)!;
      expect(k, s.suspension_id).toBeDefined();
      const sessions = Number(s.sessions);
      for (let n = 0; n < sessions; n++) {
        const session = n % 2 === 0 ? 'AM' : 'PM';
        const code = marks.get(`${s.student_id}|${days.list[k]}|${session}`);
        // Past the end of the data, or after a mid-year move, there are no marks to check.
        if (code !== undefined) expect(code, `${s.suspension_id} ${days.list[k]} ${session}`).toBe('E');
        if (session === 'PM') k++;
      }
    }
    // And no E outside suspensions.
    const suspended = new Set<string>();
    for (const s of data.suspensions) {
      let k = days.index.get(s.start_date)!;
      for (let n = 0; n < Number(s.sessions); n++) {
        suspended.add(`${s.student_id}|${days.list[k]}|${n % 2 === 0 ? 'AM' : 'PM'}`);
        if (n % 2 === 1) k++;
      }
    }
    const stray = data.attendance.filter((r) => r.code === 'E' && !suspended.has(`${r.student_id}|${r.date}|${r.session}`));
    expect(stray.slice(0, 3)).toEqual([]);
  });
});

describe('interventions', () => {
  it('refer to known pupils, with sensible types, dates, statuses and sessions', () => {
    const ids = new Set(data.students.map((s) => s.student_id));
    const last = days.list[days.list.length - 1];
    for (const iv of data.interventions) {
      expect(ids.has(iv.student_id)).toBe(true);
      expect(['behaviour', 'attendance', 'wellbeing']).toContain(iv.focus);
      expect(['active', 'completed', 'withdrawn']).toContain(iv.status);
      expect(iv.end_date >= iv.start_date).toBe(true);
      if (iv.status === 'active') expect(iv.end_date > last).toBe(true);
      expect(Number(iv.sessions_attended)).toBeLessThanOrEqual(Number(iv.sessions_planned));
      if (iv.type.endsWith('group')) expect(iv.group_id).not.toBe('');
    }
    const focus = (f: string) => data.interventions.filter((iv) => iv.focus === f).length;
    expect(focus('behaviour')).toBeGreaterThan(40);
    expect(focus('attendance')).toBeGreaterThan(20);
    expect(focus('wellbeing')).toBeGreaterThan(10);
  });

  it('flags pupils by the stated, observable rule', () => {
    const rule = manifest.interventionFlagRule;
    const neg = new Map<string, number[]>();
    for (const e of data.behaviour) {
      if (e.polarity !== 'negative') continue;
      const list = neg.get(e.student_id) ?? [];
      list.push(days.index.get(e.date)!);
      neg.set(e.student_id, list);
    }
    const episodes = manifest.schools[0].truths.flagEpisodes.filter((e) => e.focus === 'behaviour');
    expect(episodes.filter((e) => e.treated).length).toBeGreaterThan(40);
    expect(episodes.filter((e) => !e.treated).length).toBeGreaterThan(40);
    for (const ep of episodes) {
      const f = days.index.get(ep.flagDate)!;
      const list = neg.get(ep.studentId) ?? [];
      const recent = list.filter((t) => t > f - rule.windowSchoolDays && t <= f).length;
      const before = list.filter((t) => t > f - rule.windowSchoolDays - rule.baselineSchoolDays && t <= f - rule.windowSchoolDays).length;
      expect(recent).toBeGreaterThanOrEqual(rule.minEvents);
      expect(recent).toBeGreaterThanOrEqual((rule.rise * before * rule.windowSchoolDays) / rule.baselineSchoolDays);
    }
  });

  it('recovers the planted 35% effect by difference-in-differences (±0.2), while before/after overstates it', () => {
    const did = interventionDid(data, manifest.schools[0].truths.flagEpisodes);
    console.info(
      `interventions: ${did.treated} treated vs ${did.comparison} monitored episodes; ` +
        `naive before/after ${(100 * did.naiveReduction).toFixed(1)}%, DiD ${(100 * did.didReduction).toFixed(1)}% (planted 35%)`,
    );
    expect(did.didReduction).toBeGreaterThan(0.15);
    expect(did.didReduction).toBeLessThan(0.55);
    expect(did.naiveReduction).toBeGreaterThan(did.didReduction);
  });
});

describe('contacts', () => {
  it('refer to known pupils and follow suspensions, BSC placements and reintegration', () => {
    const ids = new Set(data.students.map((s) => s.student_id));
    for (const c of data.contacts) {
      expect(ids.has(c.student_id)).toBe(true);
      expect(c.date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
      expect(['phone', 'email', 'meeting', 'letter']).toContain(c.method);
    }
    const byPupilReason = new Set(data.contacts.map((c) => `${c.student_id}|${c.reason}`));
    for (const s of data.suspensions.filter((x) => x.type === 'suspension')) {
      expect(byPupilReason.has(`${s.student_id}|Suspension`)).toBe(true);
    }
    const reintegration = data.contacts.filter((c) => c.reason === 'Reintegration');
    expect(reintegration.length).toBeGreaterThan(100);
    expect(reintegration.every((c) => c.method === 'meeting')).toBe(true);
    const bscContacted = data.bsc.filter((b) => b.parent_contacted === 'Y').length / data.bsc.length;
    expect(bscContacted).toBeGreaterThan(0.7);
  });
});

describe('determinism and layouts', () => {
  const dirs: string[] = [];
  const fresh = async () => {
    const d = await mkdtemp(join(tmpdir(), 'pp-demo-'));
    dirs.push(d);
    return d;
  };
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes byte-identical files for the same options, different ones for another seed', async () => {
    const [a, b, c] = [await fresh(), await fresh(), await fresh()];
    await generateDemo({ outDir: a, pupils: 200, seed: 5 });
    await generateDemo({ outDir: b, pupils: 200, seed: 5 });
    await generateDemo({ outDir: c, pupils: 200, seed: 6 });
    for (const f of [...FILES, 'demo-manifest.json']) {
      const [x, y, z] = await Promise.all([readFile(join(a, f)), readFile(join(b, f)), readFile(join(c, f))]);
      expect(x.equals(y), f).toBe(true);
      // The term dates and the school day are the same for every seed.
      if (f !== 'calendar.csv' && f !== 'periods.csv') expect(x.equals(z), f).toBe(false);
    }
  });

  it('writes one folder per school for a trust', async () => {
    const out = await fresh();
    const m = await generateDemo({ outDir: out, pupils: 150, schools: 2, seed: 2 });
    expect(m.schools.map((s) => [s.schoolId, s.dir])).toEqual([
      ['DEMO1', 'DEMO1'],
      ['DEMO2', 'DEMO2'],
    ]);
    for (const s of m.schools) {
      const names = await readdir(join(out, s.dir));
      for (const f of FILES) expect(names).toContain(f);
      const d = readSchool(join(out, s.dir));
      expect(new Set(d.students.map((x) => x.student_id)).size).toBe(d.students.length);
      expect(s.files['students.csv']).toBe(d.students.length);
    }
    expect(await readdir(out)).toContain('demo-manifest.json');
  });

  it('keeps about the same roll each year over several years, with Year 11 leavers and Year 7 intakes', async () => {
    const out = await fresh();
    await generateDemo({ outDir: out, pupils: 250, years: 2, seed: 3 });
    const d = readSchool(out);
    expect(d.calendar.map((c) => c.academic_year)).toEqual([...Array(6).fill('2024/25'), ...Array(6).fill('2025/26')]);
    const leavers = d.students.filter((s) => s.year_group === '11' && s.leaving_date >= '2025-07-01' && s.leaving_date <= '2025-07-31');
    expect(leavers.length).toBeGreaterThan(40);
    const intake = d.students.filter((s) => s.year_group === '7' && s.admission_date >= '2025-09-01' && s.admission_date <= '2025-09-10');
    expect(intake.length).toBeGreaterThan(40);
    for (const [from, to] of [
      ['2024-09-01', '2025-08-31'],
      ['2025-09-01', '2026-08-31'],
    ]) {
      const onRoll = new Set(d.attendance.filter((r) => r.date >= from && r.date <= to).map((r) => r.student_id));
      expect(onRoll.size).toBeGreaterThan(240);
      expect(onRoll.size).toBeLessThan(270);
    }
  });
});
