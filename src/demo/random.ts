/**
 * Seeded randomness for the demo school. Everything random in the generator comes from
 * here, so the same options always give byte-identical files.
 *
 * d3-random does the distributions (normal, Poisson, gamma, geometric, ...) and its
 * `randomLcg` is the only source of uniform numbers; Math.random is never used.
 * Independent parts of the simulation take their own stream (`Rng.derive`), so adding
 * a draw in, say, the detention code does not reshuffle every pupil's attendance.
 */
import {
  randomBernoulli,
  randomGamma,
  randomGeometric,
  randomInt,
  randomLcg,
  randomNormal,
  randomPoisson,
} from 'd3';

/** 32-bit FNV-1a over the parts, then a murmur finaliser: stable seeds from labels. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = `${part}\u0000`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  // randomLcg treats numbers >= 1 as an integer state; keep it positive and non-zero.
  return (h >>> 1) + 1;
}

export class Rng {
  /** Uniform in [0, 1). */
  readonly uniform: () => number;
  private readonly seed: number;
  private readonly normal01: () => number;
  private readonly poissonOf: ReturnType<typeof randomPoisson.source>;
  private readonly gammaOf: ReturnType<typeof randomGamma.source>;
  private readonly geometricOf: ReturnType<typeof randomGeometric.source>;
  private readonly intOf: ReturnType<typeof randomInt.source>;
  private readonly bernoulliOf: ReturnType<typeof randomBernoulli.source>;

  constructor(seed: number) {
    this.seed = seed;
    const source = randomLcg(seed);
    this.uniform = source;
    this.normal01 = randomNormal.source(source)(0, 1);
    this.poissonOf = randomPoisson.source(source);
    this.gammaOf = randomGamma.source(source);
    this.geometricOf = randomGeometric.source(source);
    this.intOf = randomInt.source(source);
    this.bernoulliOf = randomBernoulli.source(source);
  }

  /** An independent stream named by labels (e.g. 'attendance', pupilIndex). */
  derive(...labels: (string | number)[]): Rng {
    return new Rng(hashSeed(this.seed, ...labels));
  }

  /** True with probability p (a Bernoulli draw). Hot loops use `uniform() < p`, the same thing. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.uniform() < p;
  }

  bernoulli(p: number): 0 | 1 {
    return this.bernoulliOf(Math.min(1, Math.max(0, p)))() as 0 | 1;
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return this.intOf(lo, hi + 1)();
  }

  normal(mu = 0, sigma = 1): number {
    return mu + sigma * this.normal01();
  }

  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    return this.poissonOf(lambda)();
  }

  gamma(k: number, theta = 1): number {
    return this.gammaOf(k, theta)();
  }

  /** Beta(a, b) from two gammas. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    return x / (x + y);
  }

  /** Trials up to and including the first success: 1, 2, 3, ... with mean 1/p. */
  geometric(p: number): number {
    return this.geometricOf(Math.min(1, Math.max(1e-9, p)))();
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.uniform() * items.length)];
  }

  /** Index drawn with the given (unnormalised) weights. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fisher–Yates, in place; returns the array for chaining. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

/** A fixed table of choices with weights, drawn many times (categories, codes...). */
export class Chooser<T> {
  private readonly cumulative: number[];
  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length !== weights.length || items.length === 0) throw new Error('Chooser: items and weights differ');
    let total = 0;
    this.cumulative = weights.map((w) => (total += w));
    for (let i = 0; i < this.cumulative.length; i++) this.cumulative[i] /= total;
  }
  static of<T>(pairs: readonly (readonly [T, number])[]): Chooser<T> {
    return new Chooser(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }
  draw(rng: Rng): T {
    const u = rng.uniform();
    const c = this.cumulative;
    for (let i = 0; i < c.length; i++) if (u < c[i]) return this.items[i];
    return this.items[this.items.length - 1];
  }
}
