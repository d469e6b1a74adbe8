import { describe, expect, it } from 'vitest';
import { academicYearOfMonth, monthsFrom, monthUnchanged } from '../../src/page-data/month-parts-reuse.ts';

describe('the daily lists\' months, as a rebuild takes them (src/page-data/month-parts-reuse.ts)', () => {
  it('publishes the 12 months from the first one, each by its part key m01 … m12', () => {
    const months = monthsFrom('2025-08-01');
    expect([...months]).toEqual([
      ['m08', '2025-08'], ['m09', '2025-09'], ['m10', '2025-10'], ['m11', '2025-11'], ['m12', '2025-12'], ['m01', '2026-01'],
      ['m02', '2026-02'], ['m03', '2026-03'], ['m04', '2026-04'], ['m05', '2026-05'], ['m06', '2026-06'], ['m07', '2026-07'],
    ]);
    expect([...monthsFrom('2026-01-01').values()]).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    expect(() => monthsFrom('2025-08-04')).toThrow(/first of the month/);
  });

  it('puts a month in the academic year September starts', () => {
    expect(academicYearOfMonth('2025-08')).toBe('2024/25');
    expect(academicYearOfMonth('2025-09')).toBe('2025/26');
    expect(academicYearOfMonth('2026-01')).toBe('2025/26');
    expect(academicYearOfMonth('1999-12')).toBe('1999/00');
  });

  it('takes a month as unchanged when the runs changed nothing in its year, or only from a Monday after its last day', () => {
    expect(monthUnchanged('2026-06', undefined)).toBe(true);
    expect(monthUnchanged('2026-06', null)).toBe(false);
    expect(monthUnchanged('2026-06', '2026-07-06')).toBe(true);
    // A week starting in the month (29 June), or on its last day, changes it.
    expect(monthUnchanged('2026-06', '2026-06-29')).toBe(false);
    expect(monthUnchanged('2026-06', '2026-06-30')).toBe(false);
    // A February: 2 March is after its 28 days; 23 February is inside them.
    expect(monthUnchanged('2026-02', '2026-03-02')).toBe(true);
    expect(monthUnchanged('2026-02', '2026-02-23')).toBe(false);
    // A later month is changed from any Monday before its end.
    expect(monthUnchanged('2026-07', '2026-06-29')).toBe(false);
  });
});
