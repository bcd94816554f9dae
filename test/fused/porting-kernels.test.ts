/**
 * rmspropStep, adagradStep and powerSum: native == js exactly (the steps
 * round every intermediate as the op-by-op update; powerSum accumulates in
 * float64 in index order) for every option set, and for the steps over 100k
 * elements split across 1–3 threads. The generic argument checks and random
 * parity come from the kernel table (test/native/args.test.ts, test/backend/parity.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Float, Kernels } from '../../lib/backend/kernels';
import { jsKernels } from '../../lib/backend/js';
import { loadNativeKernels } from '../../lib/backend/native';

const native = loadNativeKernels();
type Dt = 'float32' | 'float64';

let seed = 11;
function arr(dt: Dt, n: number, lo = -2, hi = 2): Float {
  const a = dt === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    a[i] = lo + (hi - lo) * (seed / 2147483648);
  }
  return a;
}

/** Runs `call` on both backends with copies of `bufs`; every buffer must end bit for bit the same. */
function exactParity(what: string, bufs: (Float | null)[], call: (k: Kernels, b: (Float | null)[]) => void): void {
  const a = bufs.map((b) => (b === null ? null : b.slice()));
  const b = bufs.map((x) => (x === null ? null : x.slice()));
  call(native, a);
  call(jsKernels, b);
  a.forEach((x, i) => {
    if (x === null) return;
    const y = b[i] as Float;
    // The first difference only: a diff of two 100k-element arrays would take minutes to print.
    const at = x.findIndex((v, j) => !Object.is(v, y[j]));
    expect(at === -1 ? 'same' : `${what} buf ${i}[${at}]: ${x[at]} vs ${y[at]}`).toBe('same');
  });
}

const RMSPROP: [number, number, boolean, boolean][] = [
  // weightDecay, momentum, centered, maximize
  [0, 0, false, false], [0.01, 0, false, true], [0, 0.9, false, false], [0, 0, true, false], [0.05, 0.5, true, true],
];

describe('RMSprop, Adagrad and clipping kernels: native == js', () => {
  for (const dt of ['float32', 'float64'] as const) {
    for (const [wd, momentum, centered, maximize] of RMSPROP) {
      it(`rmspropStep ${dt} wd=${wd} momentum=${momentum} centered=${centered} maximize=${maximize}`, () => {
        const n = 37; // the vectorised loop body and its tail
        const bufs = [arr(dt, n), arr(dt, n), arr(dt, n, 1, 2), centered ? arr(dt, n, -1, 1) : null, momentum > 0 ? arr(dt, n) : null];
        exactParity('rmspropStep', bufs, (k, [p, g, v, m, b]) =>
          k.rmspropStep(p as Float, g as Float, v as Float, m, b, 0.01, 0.99, 1e-8, wd, momentum, centered, maximize));
      });
    }
    for (const [wd, lrDecay, maximize] of [[0, 0, false], [0.01, 0.1, true], [0.1, 0, false]] as const) {
      it(`adagradStep ${dt} wd=${wd} lrDecay=${lrDecay} maximize=${maximize}`, () => {
        const n = 37;
        for (const step of [1, 2, 9]) {
          exactParity('adagradStep', [arr(dt, n), arr(dt, n), arr(dt, n, 0, 1)], (k, [p, g, s]) =>
            k.adagradStep(p as Float, g as Float, s as Float, step, 0.1, lrDecay, 1e-10, wd, maximize));
        }
      });
    }
    it(`rmspropStep and adagradStep ${dt} over 100k elements split across 1–3 threads`, () => {
      const n = 100_003;
      const before = native.getNumThreads();
      try {
        for (const threads of [1, 2, 3]) {
          native.setNumThreads(threads);
          exactParity('rmspropStep', [arr(dt, n), arr(dt, n), arr(dt, n, 1, 2), arr(dt, n, -1, 1), arr(dt, n)], (k, [p, g, v, m, b]) =>
            k.rmspropStep(p as Float, g as Float, v as Float, m, b, 0.01, 0.9, 1e-8, 0.01, 0.9, true, false));
          exactParity('adagradStep', [arr(dt, n), arr(dt, n), arr(dt, n, 0, 1)], (k, [p, g, s]) =>
            k.adagradStep(p as Float, g as Float, s as Float, 4, 0.1, 0.05, 1e-10, 0.01, false));
        }
      } finally {
        native.setNumThreads(before);
      }
    });
    it(`powerSum ${dt}: p = 1, 2, Infinity exactly, other p to 1e-12; NaN propagates; 0 for an empty buffer`, () => {
      const x = arr(dt, 10_001);
      for (const p of [1, 2, Infinity]) expect(native.powerSum(x, p)).toBe(jsKernels.powerSum(x, p));
      for (const p of [3, 0.5]) expect(Math.abs(native.powerSum(x, p) / jsKernels.powerSum(x, p) - 1)).toBeLessThan(1e-12);
      const withNaN = x.slice();
      withNaN[5000] = Number.NaN;
      for (const k of [native, jsKernels]) {
        for (const p of [1, 2, Infinity]) expect(k.powerSum(withNaN, p)).toBeNaN();
        expect(k.powerSum(arr(dt, 0), 2)).toBe(0);
      }
      expect(native.powerSum(x, Infinity)).toBe(Math.max(...Array.from(x, Math.abs)));
    });
  }
  it('a state buffer an option needs is required, with the same error on both backends', () => {
    const f = () => new Float64Array(4);
    for (const k of [native, jsKernels]) {
      expect(() => k.rmspropStep(f(), f(), f(), null, null, 0.01, 0.99, 1e-8, 0, 0, true, false))
        .toThrow(new TypeError('rmspropStep: gradAvg must be a Float32Array or Float64Array when centered is true (got null)'));
      expect(() => k.rmspropStep(f(), f(), f(), null, null, 0.01, 0.99, 1e-8, 0, 0.9, false, false))
        .toThrow(new TypeError('rmspropStep: momentumBuf must be a Float32Array or Float64Array when momentum > 0 (got null)'));
      expect(() => k.adagradStep(f(), f(), f(), 0, 0.01, 0, 1e-10, 0, false))
        .toThrow(new RangeError('adagradStep: step must be at least 1 (the count after this update)'));
    }
  });
});
