// The pupil profile's year figures come from the models, not from the page: attendance for the
// year so far and persistent absence are read from the pupil's last week with marks
// (mart_pupil_timeline, which takes them from int_attendance_thresholds_by_pupil_week and its
// is_persistently_absent macro). Hand-made rows.
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

  it("takes the year's negative points from the models, not by adding the events up", () => {
    const event = (date: string, polarity: string, points: number | null) => ({ kind: 'behaviour', academic_year: '2025/26', date, polarity, points, negative_points_year: 5 });
    // The rows' own points would add up to 9; the models' figure for the year is what is shown.
    const y = pupilYear([event('2025-09-02', 'negative', -3), event('2025-09-03', 'negative', -6), event('2025-09-04', 'positive', 2)], '2025/26');
    expect(y.negativePoints).toBe(5);
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
