// termsUnchanged (src/page-data/week-changes.ts): which blocks of a school's latest year (its three
// terms and its latest month: src/page-data/timeline-parts.ts, TERMS) a rebuild may take as the
// previous build wrote them, from the first week the model runs since changed and where the
// latest month started then and starts now. Dates worked out by hand for 2025/26: the autumn ends
// 31 December, the spring 31 March, the summer 31 August.
import { describe, expect, it } from 'vitest';
import { termsUnchanged, untouchedSince, withChanges } from '../../src/page-data/week-changes.ts';

describe('the latest year blocks a rebuild takes (termsUnchanged)', () => {
  it('takes every block when nothing changed, and none when any row may have', () => {
    expect(termsUnchanged('2025/26', undefined, '2026-07-01', '2026-07-01')).toEqual([1, 2, 3, 4]);
    expect(termsUnchanged('2025/26', null, '2026-07-01', '2026-07-01')).toEqual([]);
  });

  it('a week within the latest month: every term, not the month', () => {
    // The summer term's part holds April to June alone (the month's rows are the month's).
    expect(termsUnchanged('2025/26', '2026-07-20', '2026-07-01', '2026-07-01')).toEqual([1, 2, 3]);
    // A week of June, with July the latest month: the summer term changed too.
    expect(termsUnchanged('2025/26', '2026-06-22', '2026-07-01', '2026-07-01')).toEqual([1, 2]);
  });

  it('a week that starts a new month: the terms that end before both months start', () => {
    // June was the latest month, July is now: the summer term's part gains June, so it changed.
    expect(termsUnchanged('2025/26', '2026-06-29', '2026-07-01', '2026-06-01')).toEqual([1, 2]);
    // March, then April (the summer's first month): the spring term's part gains March.
    expect(termsUnchanged('2025/26', '2026-03-30', '2026-04-01', '2026-03-01')).toEqual([1]);
    // After the Easter holidays: the spring's rows stopped in March and start again mid-April. The
    // first changed week is after the spring ends, but the spring's part held January and
    // February alone (March was the month's): it gains March, so it changed.
    expect(termsUnchanged('2025/26', '2026-04-13', '2026-04-01', '2026-03-01')).toEqual([1]);
    // A month that went back (the latest rows removed): the same rule.
    expect(termsUnchanged('2025/26', '2026-05-04', '2026-05-01', '2026-06-01')).toEqual([1, 2]);
    // From a month to none (only interventions left in the year), and from none to one.
    expect(termsUnchanged('2025/26', '2026-05-04', null, '2026-06-01')).toEqual([1, 2]);
    expect(termsUnchanged('2025/26', '2026-05-04', '2026-05-01', null)).toEqual([1, 2]);
  });

  it('with no latest month then or now, the terms as the week says, and the empty month', () => {
    expect(termsUnchanged('2025/26', '2026-01-05', null, null)).toEqual([1, 4]);
    expect(termsUnchanged('2025/26', undefined, null, null)).toEqual([1, 2, 3, 4]);
  });
});

describe('changes added to the runner\'s log, and the years it left alone (withChanges, untouchedSince)', () => {
  const since = { whole: false, extent: new Map([['S1', new Map<string, string | null>([['2025/26', '2026-07-13'], ['2024/25', null]])]]) };

  it('keeps the earlier day of each (school, year), a year whole over any day', () => {
    const more = new Map([
      ['S1', new Map<string, string | null>([['2025/26', '2026-07-06'], ['2024/25', '2024-10-07'], ['2023/24', '2023-09-11']])],
      ['S2', new Map<string, string | null>([['2025/26', null]])],
    ]);
    const merged = withChanges(since, more);
    expect(Object.fromEntries([...merged.extent].map(([s, y]) => [s, Object.fromEntries(y)]))).toEqual({
      S1: { '2025/26': '2026-07-06', '2024/25': null, '2023/24': '2023-09-11' },
      S2: { '2025/26': null },
    });
    // The log itself is left as it was; a later day changes nothing.
    expect(since.extent.get('S1')?.get('2025/26')).toBe('2026-07-13');
    expect(withChanges(since, new Map([['S1', new Map([['2025/26', '2026-07-20']])]])).extent.get('S1')?.get('2025/26')).toBe('2026-07-13');
  });

  it('a year is left alone when the log is known, nothing in it was built whole, and no row of the year changed', () => {
    expect(untouchedSince(since, 'S1', '2023/24')).toBe(true);
    expect(untouchedSince(since, 'S2', '2025/26')).toBe(true);
    expect(untouchedSince(since, 'S1', '2025/26')).toBe(false);
    expect(untouchedSince(since, 'S1', '2024/25')).toBe(false);
    expect(untouchedSince({ ...since, whole: true }, 'S1', '2023/24')).toBe(false);
    expect(untouchedSince(null, 'S1', '2023/24')).toBe(false);
  });
});
