/**
 * The "Schools compared" data for builds outside the staff site (leaders, governors, trust):
 * from mart_yeargroup_week rows (school × academic year × year group × week) to
 *   - weeks: one row per school and week, all year groups added up;
 *   - periods: one row per school, academic year, period (each term, and 'Year' for the whole
 *     year so far) and year group (null: all year groups), with the period's totals;
 * with counts below the threshold hidden (null) and enough others with them that no hidden count
 * can be worked out from a total (src/reports/small-count-suppression.ts). Which column of a row
 * is hidden, and why, is in its `suppressed` entry ({column: reason}).
 *
 * Relations checked (every one in both directions):
 *   - the year groups of a period add up to its all-year-groups row (every count);
 *   - the terms of a year add up to its 'Year' row (events, placements, suspensions, sessions, pupil-weeks);
 *   - the weeks of a term (and of the year) add up to the period's all-year-groups row (the same);
 *   - pupils on roll and persistently absent "at the last week" equal the last week's weekly figures;
 *   - sessions (possible, attending) are hidden with the pupils on roll of their row.
 */
import { suppress, type Cell, type Relation, type SuppressionReason } from './small-count-suppression.ts';

export interface YearGroupWeek {
  school_id: string;
  academic_year: string;
  year_group: number;
  week_start: string;
  term: string;
  pupils_on_roll: number;
  negative_events: number;
  possible_sessions: number;
  attending_sessions: number;
  pupils_persistently_absent: number;
  bsc_placements: number;
  suspensions: number;
}

export const WEEK_COLUMNS = [
  'school_id', 'academic_year', 'term', 'week_start', 'pupils_on_roll', 'negative_events', 'possible_sessions',
  'attending_sessions', 'pupils_persistently_absent', 'bsc_placements', 'suspensions', 'suppressed',
] as const;

export const PERIOD_COLUMNS = [
  'school_id', 'academic_year', 'period', 'year_group', 'weeks', 'last_week', 'pupil_weeks', 'pupils_on_roll',
  'pupils_persistently_absent', 'negative_events', 'possible_sessions', 'attending_sessions', 'bsc_placements', 'suspensions', 'suppressed',
] as const;

type Suppressed = Record<string, SuppressionReason> | null;

export interface WeekRow {
  school_id: string;
  academic_year: string;
  term: string;
  week_start: string;
  pupils_on_roll: number | null;
  negative_events: number | null;
  possible_sessions: number | null;
  attending_sessions: number | null;
  pupils_persistently_absent: number | null;
  bsc_placements: number | null;
  suspensions: number | null;
  suppressed: Suppressed;
}

export interface PeriodRow {
  school_id: string;
  academic_year: string;
  /** 'Autumn' | 'Spring' | 'Summer' | 'Year' (the whole year so far). */
  period: string;
  /** null: all year groups. */
  year_group: number | null;
  weeks: number;
  last_week: string;
  /** Σ of each week's pupils on roll (average roll = pupil_weeks ÷ weeks). */
  pupil_weeks: number | null;
  /** At the period's last week. */
  pupils_on_roll: number | null;
  /** At the period's last week. */
  pupils_persistently_absent: number | null;
  negative_events: number | null;
  possible_sessions: number | null;
  attending_sessions: number | null;
  bsc_placements: number | null;
  suspensions: number | null;
  suppressed: Suppressed;
}

const ADDITIVE = ['negative_events', 'bsc_placements', 'suspensions'] as const;
const SESSIONS = ['possible_sessions', 'attending_sessions'] as const;
const POINT_IN_TIME = ['pupils_on_roll', 'pupils_persistently_absent'] as const;
const YEAR = 'Year';

type Measure = (typeof ADDITIVE)[number] | (typeof SESSIONS)[number] | (typeof POINT_IN_TIME)[number] | 'pupil_weeks';

export interface SchoolsAggregate {
  weeks: WeekRow[];
  periods: PeriodRow[];
  hidden: { primary: number; secondary: number };
}

const sumOf = (rows: readonly YearGroupWeek[], column: keyof YearGroupWeek): number => rows.reduce((n, r) => n + Number(r[column] ?? 0), 0);

export function schoolsAggregate(input: readonly YearGroupWeek[], threshold: number): SchoolsAggregate {
  const weeks: WeekRow[] = [];
  const periods: PeriodRow[] = [];
  const byYear = new Map<string, YearGroupWeek[]>();
  for (const r of input) {
    const key = `${r.school_id}\u001f${r.academic_year}`;
    const list = byYear.get(key);
    if (list) list.push(r);
    else byYear.set(key, [r]);
  }
  for (const rows of byYear.values()) {
    const { school_id, academic_year } = rows[0];
    const weekStarts = [...new Set(rows.map((r) => r.week_start))].sort();
    for (const week_start of weekStarts) {
      const inWeek = rows.filter((r) => r.week_start === week_start);
      weeks.push({
        school_id, academic_year, term: inWeek[0].term, week_start,
        pupils_on_roll: sumOf(inWeek, 'pupils_on_roll'), negative_events: sumOf(inWeek, 'negative_events'),
        possible_sessions: sumOf(inWeek, 'possible_sessions'), attending_sessions: sumOf(inWeek, 'attending_sessions'),
        pupils_persistently_absent: sumOf(inWeek, 'pupils_persistently_absent'), bsc_placements: sumOf(inWeek, 'bsc_placements'),
        suspensions: sumOf(inWeek, 'suspensions'), suppressed: null,
      });
    }
    const terms = [...new Set(rows.map((r) => r.term))];
    const yearGroups = [...new Set(rows.map((r) => r.year_group))].sort((a, b) => a - b);
    for (const period of [...terms, YEAR]) {
      const inPeriod = period === YEAR ? rows : rows.filter((r) => r.term === period);
      for (const year_group of [...yearGroups, null]) {
        const mine = year_group === null ? inPeriod : inPeriod.filter((r) => r.year_group === year_group);
        if (mine.length === 0) continue;
        const myWeeks = [...new Set(mine.map((r) => r.week_start))].sort();
        const last = mine.filter((r) => r.week_start === myWeeks.at(-1));
        periods.push({
          school_id, academic_year, period, year_group, weeks: myWeeks.length, last_week: myWeeks.at(-1)!,
          pupil_weeks: sumOf(mine, 'pupils_on_roll'), pupils_on_roll: sumOf(last, 'pupils_on_roll'),
          pupils_persistently_absent: sumOf(last, 'pupils_persistently_absent'),
          negative_events: sumOf(mine, 'negative_events'), possible_sessions: sumOf(mine, 'possible_sessions'),
          attending_sessions: sumOf(mine, 'attending_sessions'), bsc_placements: sumOf(mine, 'bsc_placements'),
          suspensions: sumOf(mine, 'suspensions'), suppressed: null,
        });
      }
    }
  }

  // Cells: "w|school|year|week|measure" and "p|school|year|period|yg|measure".
  const cells = new Map<string, Cell>();
  const wKey = (w: { school_id: string; academic_year: string; week_start: string }, m: Measure) => `w|${w.school_id}|${w.academic_year}|${w.week_start}|${m}`;
  const pKey = (school: string, year: string, period: string, yg: number | null, m: Measure) => `p|${school}|${year}|${period}|${yg ?? 'all'}|${m}`;
  for (const w of weeks) {
    for (const m of [...ADDITIVE, ...SESSIONS, ...POINT_IN_TIME]) cells.set(wKey(w, m), { value: w[m], noPrimary: (SESSIONS as readonly string[]).includes(m) });
  }
  for (const p of periods) {
    const key = (m: Measure) => pKey(p.school_id, p.academic_year, p.period, p.year_group, m);
    for (const m of [...ADDITIVE, ...SESSIONS, ...POINT_IN_TIME]) cells.set(key(m), { value: p[m], noPrimary: (SESSIONS as readonly string[]).includes(m) });
    // The average roll (pupil-weeks ÷ weeks) below the threshold is a small group, like the roll.
    cells.set(key('pupil_weeks'), { value: p.pupil_weeks, noPrimary: true, small: p.weeks > 0 && (p.pupil_weeks ?? 0) / p.weeks < threshold });
  }
  const has = (key: string) => cells.has(key);
  const relations: Relation[] = [];
  const sumRuleFor = (m: Measure) => !(SESSIONS as readonly string[]).includes(m);
  for (const p of periods) {
    if (p.year_group !== null) continue;
    const { school_id: s, academic_year: y, period } = p;
    // Year groups → all year groups (every measure).
    const ygs = periods.filter((q) => q.school_id === s && q.academic_year === y && q.period === period && q.year_group !== null);
    for (const m of [...ADDITIVE, ...SESSIONS, ...POINT_IN_TIME, 'pupil_weeks'] as Measure[]) {
      relations.push({ kind: 'sum', total: pKey(s, y, period, null, m), parts: ygs.map((q) => pKey(s, y, period, q.year_group, m)), sumRule: sumRuleFor(m) });
    }
    // Weeks → the period (additive measures; pupil-weeks are the weeks' rolls).
    const inPeriod = weeks.filter((w) => w.school_id === s && w.academic_year === y && (period === YEAR || w.term === period));
    for (const m of [...ADDITIVE, ...SESSIONS]) {
      relations.push({ kind: 'sum', total: pKey(s, y, period, null, m), parts: inPeriod.map((w) => wKey(w, m)), sumRule: sumRuleFor(m) });
    }
    relations.push({ kind: 'sum', total: pKey(s, y, period, null, 'pupil_weeks'), parts: inPeriod.map((w) => wKey(w, 'pupils_on_roll')), sumRule: true });
    // "At the last week" figures equal that week's.
    const lastWeek = inPeriod.find((w) => w.week_start === p.last_week);
    if (lastWeek) for (const m of POINT_IN_TIME) relations.push({ kind: 'sum', total: pKey(s, y, period, null, m), parts: [wKey(lastWeek, m)], sumRule: false });
  }
  for (const p of periods) {
    if (p.period !== YEAR) continue;
    // Terms → the year (additive measures and pupil-weeks), for each year group and all.
    const terms = periods.filter((q) => q.school_id === p.school_id && q.academic_year === p.academic_year && q.year_group === p.year_group && q.period !== YEAR);
    for (const m of [...ADDITIVE, ...SESSIONS, 'pupil_weeks'] as Measure[]) {
      relations.push({
        kind: 'sum', total: pKey(p.school_id, p.academic_year, YEAR, p.year_group, m),
        parts: terms.map((q) => pKey(q.school_id, q.academic_year, q.period, q.year_group, m)), sumRule: sumRuleFor(m),
      });
    }
  }
  // Sessions (and pupil-weeks) go with the roll of their row; the roll goes with pupil-weeks.
  for (const w of weeks) relations.push({ kind: 'follows', source: wKey(w, 'pupils_on_roll'), dependants: SESSIONS.map((m) => wKey(w, m)) });
  for (const p of periods) {
    const key = (m: Measure) => pKey(p.school_id, p.academic_year, p.period, p.year_group, m);
    relations.push({ kind: 'follows', source: key('pupils_on_roll'), dependants: [...SESSIONS.map(key), key('pupil_weeks')] });
    relations.push({ kind: 'follows', source: key('pupil_weeks'), dependants: [key('pupils_on_roll'), ...SESSIONS.map(key)] });
  }
  for (const r of relations) {
    if (r.kind === 'sum' && ![r.total, ...r.parts].every(has)) throw new Error('schools aggregate: a relation names a missing cell');
  }
  const hidden = suppress(cells, relations, threshold);

  const apply = <T extends WeekRow | PeriodRow>(row: T, key: (m: Measure) => string, measures: readonly Measure[]) => {
    const reasons: Record<string, SuppressionReason> = {};
    for (const m of measures) {
      const cell = cells.get(key(m));
      if (cell?.hidden) {
        reasons[m] = cell.hidden;
        (row as unknown as Record<string, unknown>)[m] = null;
      }
    }
    row.suppressed = Object.keys(reasons).length > 0 ? reasons : null;
  };
  for (const w of weeks) apply(w, (m) => wKey(w, m), [...ADDITIVE, ...SESSIONS, ...POINT_IN_TIME]);
  for (const p of periods) apply(p, (m) => pKey(p.school_id, p.academic_year, p.period, p.year_group, m), [...ADDITIVE, ...SESSIONS, ...POINT_IN_TIME, 'pupil_weeks']);
  return { weeks, periods, hidden };
}
