// The pupil profile's year figures come from the models, not from the page: attendance for the
// year so far and persistent absence are read from the pupil's last week with marks
// (mart_pupil_timeline, which takes them from int_attendance_thresholds_by_pupil_week and its
// is_persistently_absent macro). The year's negative points are summed from the year's events,
// as the mart's negative_points_year is (test/pages/pupil-page.test.ts checks the two agree on
// the demo school). Hand-made rows.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error browser component, plain JavaScript without types
import { pupilYear } from '../../reports/components/pupil-year.js';

// The year so far (possible / attending sessions to date, attendance %, the flag) as
// mart_pupil_timeline has it at the end of each week; null before the pupil's first mark.
const week = (date: string, possible: number, attending: number, pct: number | null, pa: boolean | null, toDate: [number, number] | null = null) => ({
  kind: 'attendance_week', academic_year: '2025/26', date, possible_sessions: possible, attending_sessions: attending,
  possible_sessions_to_date: toDate?.[0] ?? null, attending_sessions_to_date: toDate?.[1] ?? null,
  attendance_pct_to_date: pct, persistently_absent_to_date: pa,
});

describe('pupil profile: the year so far', () => {
  it("takes attendance and persistent absence from the last week with marks, as the models flagged them", () => {
    // 90 possible, 81 attended: exactly 90%, persistently absent (absence 10%, inclusive).
    const records = [
      week('2025-09-01', 50, 45, 90, true, [50, 45]),
      week('2025-09-08', 40, 36, 90, true, [90, 81]),
      // On roll, no marks yet this week: no standing of its own.
      week('2025-09-15', 0, 0, null, null),
    ];
    const y = pupilYear(records, '2025/26');
    expect(y.possible).toBe(90);
    expect(y.attending).toBe(81);
    expect(y.attendancePct).toBe(90);
    expect(y.persistentlyAbsent).toBe(true);
  });

  it('is not persistently absent when the models say not, and has no attendance without marks', () => {
    expect(pupilYear([week('2025-09-01', 90, 82, 91.11, false, [90, 82])], '2025/26')).toMatchObject({ attendancePct: 91.11, persistentlyAbsent: false });
    expect(pupilYear([week('2025-09-01', 0, 0, null, null)], '2025/26')).toMatchObject({ attendancePct: null, persistentlyAbsent: false });
  });

  it("sums the year's negative points as mart_pupil_timeline's negative_points_year defines them", () => {
    // The page data leaves the mart's column out (a year's total would change every earlier term's
    // part each week): the absolute points of the year's negative events, summed; positive events,
    // events of another year and events without points add nothing.
    const event = (date: string, polarity: string, points: number | null, academic_year = '2025/26') => ({ kind: 'behaviour', academic_year, date, polarity, points });
    const y = pupilYear(
      [event('2025-09-02', 'negative', -3), event('2025-09-03', 'negative', -6), event('2025-09-04', 'positive', 2), event('2025-09-05', 'negative', null), event('2025-07-01', 'negative', -4, '2024/25')],
      '2025/26',
    );
    expect(y.negativePoints).toBe(9);
    expect(pupilYear([], '2025/26').negativePoints).toBe(0);
  });

  it('no page or component works persistent absence out again', () => {
    const reports = fileURLToPath(new URL('../../reports/', import.meta.url));
    const files = [
      ...readdirSync(reports).filter((f) => f.endsWith('.md')),
      ...readdirSync(path.join(reports, 'components')).filter((f) => f.endsWith('.js')).map((f) => path.join('components', f)),
    ];
    // The rule in any of its spellings: 10 × absent ≥ possible, absent ≥ 0.1 × possible, attendance ≤ 90 from sessions.
    const rule = /10\s*\*\s*\(\s*possible|0?\.1\s*\*\s*possible|possible\w*\s*\*\s*0?\.1\b|possible\w*\s*\/\s*10\b/i;
    expect(files.filter((f) => rule.test(readFileSync(path.join(reports, f), 'utf-8')))).toEqual([]);
  });
});
