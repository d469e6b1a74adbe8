import { describe, expect, it } from 'vitest';
import { upnCheckLetter } from '../../src/demo/pupils.ts';
import { Chooser, hashSeed, Rng } from '../../src/demo/random.ts';

describe('seeded randomness', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const r = new Rng(seed);
      return [r.uniform(), r.normal(), r.poisson(3), r.int(1, 6), r.gamma(2), r.geometric(0.3), r.beta(2, 5)];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('derives independent, stable streams from labels', () => {
    const a = new Rng(1).derive('attendance', 3).uniform();
    expect(new Rng(1).derive('attendance', 3).uniform()).toBe(a);
    expect(new Rng(1).derive('attendance', 4).uniform()).not.toBe(a);
    expect(hashSeed(1, 'x')).toBe(hashSeed(1, 'x'));
    expect(hashSeed(1, 'x')).toBeGreaterThan(0);
  });

  it('draws integers in range and Poisson counts with the right mean', () => {
    const r = new Rng(42);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const k = r.int(3, 5);
      expect(k >= 3 && k <= 5).toBe(true);
      sum += r.poisson(0.7);
    }
    // Mean 0.7; the standard error over 20,000 draws is about 0.006.
    expect(sum / 20_000).toBeCloseTo(0.7, 1);
  });

  it('chooses by weight', () => {
    const r = new Rng(3);
    const c = Chooser.of([
      ['a', 3],
      ['b', 1],
    ]);
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (c.draw(r) === 'a') a++;
    expect(a / 10_000).toBeGreaterThan(0.72);
    expect(a / 10_000).toBeLessThan(0.78);
  });
});

describe('UPN check letter', () => {
  it('matches the DfE algorithm on a worked example', () => {
    // Weights 2..13 over the 12 digits, sum mod 23 indexes ABCDEFGHJKLMNPQRTUVWXYZ.
    const digits = '820200109001';
    const sum = [...digits].reduce((s, d, i) => s + Number(d) * (i + 2), 0);
    expect(upnCheckLetter(digits)).toBe('ABCDEFGHJKLMNPQRTUVWXYZ'[sum % 23]);
    expect(upnCheckLetter('000000000000')).toBe('A');
  });
});
