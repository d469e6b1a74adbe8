// termsUnchanged (src/page-data/week-changes.ts): which blocks of a school's latest year (its three
// terms and its latest month: src/page-data/timeline-parts.ts, TERMS) a rebuild may take as the
// previous build wrote them, from the first week the model runs since changed and where the
// latest month started then and starts now. Dates worked out by hand for 2025/26: the autumn ends
// 31 December, the spring 31 March, the summer 31 August.
import { describe, expect, it } from 'vitest';
import { termsUnchanged } from '../../src/page-data/week-changes.ts';

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
