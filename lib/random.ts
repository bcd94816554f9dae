/**
 * Seeded randomness. Numbers are generated in TypeScript (xoshiro128**), not by
 * a backend, so `manualSeed(n)` gives identical tensors on 'native' and 'js'.
 */
import { readable } from './options';

/** A random number generator with its own state (PyTorch's torch.Generator). */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;
  private seed = 0;

  /** @param seed the initial seed (default: a random one, so unseeded generators differ) */
  constructor(seed?: number) {
    this.manualSeed(seed ?? defaultSeed());
  }

  /**
   * Resets the state from a seed (any finite number; the low 53 bits are used).
   *
   * @param seed any finite number
   * @returns this generator
   */
  manualSeed(seed: number): this {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new TypeError(`manualSeed: expected a finite number, got ${readable(seed)}`);
    this.seed = seed;
    // splitmix32 spreads the seed's bits over the four state words.
    let x = (Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = null;
    return this;
  }

  /** The seed last set. */
  initialSeed(): number {
    return this.seed;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** A standard normal sample (Box–Muller; pairs are used in order). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * A uniform integer in [low, high).
   *
   * @param low the smallest value
   * @param high one past the largest value
   * @returns an integer in [low, high)
   */
  integer(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low));
  }

  /**
   * Fills `out` with uniform samples in [low, high).
   *
   * @param out the array to fill
   * @param low the lower bound (default 0)
   * @param high the upper bound (default 1)
   */
  fillUniform(out: Float32Array | Float64Array, low = 0, high = 1): void {
    if (out instanceof Float32Array) {
      // 24 random bits: a float32 in [0, 1) that rounding cannot push to 1.
      for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * ((this.nextUint32() >>> 8) / 16777216);
      return;
    }
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * this.random();
  }

  /**
   * Fills `out` with normal samples of the given mean and std.
   *
   * @param out the array to fill
   * @param mean the mean (default 0)
   * @param std the standard deviation (default 1)
   */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
  }

  /**
   * A random permutation of 0..n-1 (Fisher–Yates).
   *
   * @param n the count
   * @returns a random permutation of 0..n-1
   */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function defaultSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}

/** The generator used when none is passed. */
export const defaultGenerator = new Generator();

/**
 * Seeds the default generator (PyTorch's `torch.manual_seed`): the same seed
 * gives the same numbers on every run and both backends, but not PyTorch's
 * numbers (another generator).
 *
 * @param seed any finite number (the low 53 bits are used)
 * @returns the default generator
 *
 * @example
 * ```ts
 * torch.manualSeed(0);
 * const a = torch.randn(2);
 * torch.manualSeed(0);
 * torch.randn(2).eq(a);   // all 1
 * ```
 */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
