// The impact pages' signed figures (reports/components/signed-number.js), hand-computed. The
// termly report's intervention impact gives its verdict from the unrounded interval: a bound of
// +0.04 percentage points is above 0 ("better attendance than similar pupils"), and printed at
// 1 decimal as "0.0" (or "+0.0") it read as an interval that includes 0, which the report's own
// rule says cannot be told apart from no difference. It now prints as "+0.04".
import { describe, expect, it } from 'vitest';
import { signedNumber } from '../../reports/components/signed-number.js';

describe('signedNumber', () => {
  it('prints a figure with its sign, a true minus and the given decimals', () => {
    expect(signedNumber(2.64, 1)).toBe('+2.6');
    expect(signedNumber(-0.25, 2)).toBe('−0.25');
    expect(signedNumber(0, 1)).toBe('0.0');
    expect(signedNumber(null, 1)).toBe('');
  });

  it('never prints a figure that is not 0 as zero: it gets the decimals its first significant digit needs', () => {
    // +2.6 (+0.04 to +4.6): the interval is above 0, as its verdict says.
    expect([2.6, 0.04, 4.6].map((v) => signedNumber(v, 1))).toEqual(['+2.6', '+0.04', '+4.6']);
    expect(signedNumber(-0.003, 2)).toBe('−0.003');
    expect(signedNumber(0.0004, 2)).toBe('+0.0004');
    // 0.05 rounds to 0.1 at 1 decimal: no extra decimal needed.
    expect(signedNumber(0.05, 1)).toBe('+0.1');
  });
});
