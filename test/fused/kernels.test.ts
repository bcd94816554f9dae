/**
 * The fused kernels: native vs js parity (float32 within 1e-5 relative,
 * float64 within 1e-12) for every kernel and option set, and the
 * kernel-specific argument rules, rejected with the same TypeError/RangeError
 * (class and message, naming the kernel) on both backends.
 */
import { describe, expect, it } from 'vitest';
import type { Float, Kernels } from '../../lib/backend/kernels';
import { ACT_LEAKY_RELU, ACT_NONE, ACT_RELU, ACT_SIGMOID, ACT_TANH } from '../../lib/backend/kernels';
import { jsKernels } from '../../lib/backend/js';
import { loadNativeKernels } from '../../lib/backend/native';
import { run, type KernelName } from '../../lib/backend/harness';

const native = loadNativeKernels();
type Dt = 'float32' | 'float64';
const DTYPES: Dt[] = ['float32', 'float64'];

let seed = 7;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function arr(dt: Dt, n: number, lo = -2, hi = 2): Float {
  const a = dt === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rnd();
  return a;
}
const zeros = (dt: Dt, n: number): Float => (dt === 'float32' ? new Float32Array(n) : new Float64Array(n));
const copy = <T extends Float | Int32Array | null>(a: T): T => (a === null ? a : a.slice() as T);

function expectNear(a: ArrayLike<number>, b: ArrayLike<number>, dt: Dt, what: string): void {
  expect(a.length, what).toBe(b.length);
  const rtol = dt === 'float32' ? 1e-5 : 1e-12;
  for (let i = 0; i < a.length; i++) {
    const tol = rtol * Math.max(1, Math.abs(b[i]));
    expect(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`).toBe(true);
  }
}

/** Runs `run` on both backends with copies of `bufs` and compares every buffer afterwards. */
function parity(dt: Dt, what: string, bufs: (Float | Int32Array | null)[], run: (k: Kernels, b: (Float | Int32Array | null)[]) => void,
  exact = false): void {
  const a = bufs.map(copy);
  const b = bufs.map(copy);
  run(native, a);
  run(jsKernels, b);
  a.forEach((x, i) => {
    if (x === null) return;
    if (exact) expect(Array.from(x), `${what} buf ${i}`).toEqual(Array.from(b[i] as ArrayLike<number>));
    else expectNear(x, b[i] as ArrayLike<number>, dt, `${what} buf ${i}`);
  });
}

const ACTS = [ACT_NONE, ACT_RELU, ACT_LEAKY_RELU, ACT_SIGMOID, ACT_TANH];

describe('fused kernels: native == js', () => {
  for (const dt of DTYPES) {
    for (const act of ACTS) {
      for (const withBias of [true, false]) {
        // [5, 7, 3]: the general path; [37, 8, 1]: one output (own dot loop, single bias sum)
        for (const [rows, inF, outF] of [[5, 7, 3], [37, 8, 1]]) {
          it(`linearForward/linearBackward ${dt} act=${act} bias=${withBias} [${rows}x${inF}->${outF}]`, () => {
            const x = arr(dt, rows * inF);
            const w = arr(dt, outF * inF);
            const b = withBias ? arr(dt, outF) : null;
            parity(dt, 'linearForward', [x, w, b, zeros(dt, rows * outF)], (k, [x1, w1, b1, y1]) =>
              k.linearForward(x1 as Float, w1 as Float, b1 as Float | null, rows, inF, outF, act, 0.1, y1 as Float));
            const y = zeros(dt, rows * outF);
            jsKernels.linearForward(x, w, b, rows, inF, outF, act, 0.1, y);
            const dy = arr(dt, rows * outF);
            parity(dt, 'linearBackward', [x, w, y, dy, zeros(dt, rows * outF), zeros(dt, rows * inF), zeros(dt, outF * inF), zeros(dt, outF)],
              (k, [x1, w1, y1, dy1, dz, dx, dw, db]) => k.linearBackward(x1 as Float, w1 as Float, y1 as Float, dy1 as Float,
                rows, inF, outF, act, 0.1, dz as Float, dx as Float, dw as Float, withBias ? db as Float : null));
          });
        }
      }
    }
    it(`linearBackward ${dt}: dz may be dy itself; null outputs are skipped; empty sizes`, () => {
      const x = arr(dt, 6);
      const w = arr(dt, 6);
      const y = arr(dt, 4, 0.1, 0.9);
      for (const k of [native, jsKernels]) {
        const dy = arr(dt, 4);
        const expected = zeros(dt, 4);
        k.linearBackward(x, w, y, dy.slice(), 2, 3, 2, ACT_SIGMOID, 0, expected, null, null, null);
        k.linearBackward(x, w, y, dy, 2, 3, 2, ACT_SIGMOID, 0, dy, null, null, null);
        expect(Array.from(dy)).toEqual(Array.from(expected));
        const yEmpty = zeros(dt, 0);
        k.linearForward(zeros(dt, 0), w, null, 0, 3, 2, ACT_RELU, 0, yEmpty);
        const dw = arr(dt, 6);
        k.linearBackward(zeros(dt, 0), w, yEmpty, yEmpty, 0, 3, 2, ACT_RELU, 0, zeros(dt, 0), null, dw, null);
        expect(Array.from(dw)).toEqual([0, 0, 0, 0, 0, 0]);
      }
    });

    for (const reduction of [0, 1, 2]) {
      for (const weighted of [false, true]) {
        it(`softmaxCrossEntropy ${dt} reduction=${reduction} weight=${weighted}`, () => {
          const [n, c] = [6, 4];
          const x = arr(dt, n * c, -30, 30);
          const t = Int32Array.from([0, 3, -100, 2, 1, 3]);
          const w = weighted ? arr(dt, c, 0.1, 2) : null;
          const outLen = reduction === 0 ? n : 1;
          parity(dt, 'softmaxCrossEntropy', [x, t, w, zeros(dt, outLen)], (k, [x1, t1, w1, o]) =>
            k.softmaxCrossEntropy(x1 as Float, t1 as Int32Array, w1 as Float | null, n, c, -100, reduction, o as Float));
          const dout = arr(dt, outLen);
          parity(dt, 'softmaxCrossEntropyBackward', [x, t, w, dout, zeros(dt, n * c)], (k, [x1, t1, w1, d, dx]) =>
            k.softmaxCrossEntropyBackward(x1 as Float, t1 as Int32Array, w1 as Float | null, n, c, -100, reduction, d as Float, dx as Float));
        });
        it(`sigmoidBCE ${dt} reduction=${reduction} posWeight=${weighted}`, () => {
          const [n, p] = [12, 3];
          const x = arr(dt, n, -40, 40);
          const y = arr(dt, n, 0, 1);
          const pw = weighted ? arr(dt, p, 0.5, 3) : null;
          const outLen = reduction === 0 ? n : 1;
          parity(dt, 'sigmoidBCE', [x, y, pw, zeros(dt, outLen)], (k, [x1, y1, pw1, o]) =>
            k.sigmoidBCE(x1 as Float, y1 as Float, pw1 as Float | null, n, p, reduction, o as Float));
          const dout = arr(dt, outLen);
          parity(dt, 'sigmoidBCEBackward', [x, y, pw, dout, zeros(dt, n)], (k, [x1, y1, pw1, d, dx]) =>
            k.sigmoidBCEBackward(x1 as Float, y1 as Float, pw1 as Float | null, n, p, reduction, d as Float, dx as Float));
        });
        it(`bce ${dt} reduction=${reduction} (probabilities, 0 and 1 included)`, () => {
          const n = 13;
          const x = arr(dt, n, 0, 1);
          x[0] = 0;
          x[5] = 1;
          const y = arr(dt, n, 0, 1);
          const outLen = reduction === 0 ? n : 1;
          parity(dt, 'bce', [x, y, zeros(dt, outLen)], (k, [x1, y1, o]) => {
            expect(k.bce(x1 as Float, y1 as Float, n, reduction, o as Float)).toBe(-1);
          });
          const dout = arr(dt, outLen);
          parity(dt, 'bceBackward', [x, y, dout, zeros(dt, n)], (k, [x1, y1, d, dx]) =>
            k.bceBackward(x1 as Float, y1 as Float, n, reduction, d as Float, dx as Float));
          for (const [i, v] of [[3, -0.25], [12, 1.5], [7, NaN]] as const) {
            const bad = x.slice();
            bad[i] = v;
            for (const k of [native, jsKernels]) {
              const out = zeros(dt, outLen);
              expect(k.bce(bad, y, n, reduction, out as Float), `${k.name} ${v}`).toBe(i);
              expect(out.every((o) => o === 0), `${k.name}: out untouched`).toBe(true);
            }
          }
        });
      }
    }

    for (const [momentum, dampening, wd, nesterov, maximize] of [
      [0, 0, 0, false, false], [0.9, 0, 0, false, false], [0.9, 0.1, 0.01, false, true], [0.9, 0, 0.01, true, false],
    ] as const) {
      it(`sgdStep ${dt} momentum=${momentum} dampening=${dampening} wd=${wd} nesterov=${nesterov} maximize=${maximize}`, () => {
        // Long enough for the vectorised loop body and its tail; the one-pass
        // update rounds like the op-by-op one, so native and js agree exactly.
        const n = 37;
        const bufs = [arr(dt, n), arr(dt, n), momentum !== 0 ? arr(dt, n) : null];
        for (const first of [true, false]) {
          parity(dt, 'sgdStep', bufs, (k, [p, g, b]) =>
            k.sgdStep(p as Float, g as Float, b as Float | null, 0.1, momentum, dampening, wd, nesterov, maximize, first), true);
        }
      });
    }
    it(`sgdStep and adamStep ${dt} over 100k elements split across 1–3 threads: exactly the js result`, () => {
      const n = 100_003;
      const before = native.getNumThreads();
      try {
        for (const threads of [1, 2, 3]) {
          native.setNumThreads(threads);
          const bufs = [arr(dt, n), arr(dt, n), arr(dt, n)];
          parity(dt, 'sgdStep', bufs, (k, [p, g, b]) =>
            k.sgdStep(p as Float, g as Float, b as Float, 0.1, 0.9, 0, 0.01, true, false, false), true);
          const adam = [arr(dt, n), arr(dt, n), arr(dt, n), arr(dt, n, 0, 1), arr(dt, n, 0, 1)];
          parity(dt, 'adamStep', adam, (k, [p, g, m, v, vm]) =>
            k.adamStep(p as Float, g as Float, m as Float, v as Float, vm as Float, 3, 1e-3, 0.9, 0.999, 1e-8, 0.01, true, true, false), true);
        }
      } finally {
        native.setNumThreads(before);
      }
    });

    for (const [wd, decoupled, amsgrad, maximize] of [
      [0, false, false, false], [0.01, false, true, false], [0.01, true, false, true], [0.1, true, true, false],
    ] as const) {
      it(`adamStep ${dt} wd=${wd} decoupled=${decoupled} amsgrad=${amsgrad} maximize=${maximize}`, () => {
        const n = 37;
        const bufs = [arr(dt, n), arr(dt, n), arr(dt, n), arr(dt, n, 0, 1), amsgrad ? arr(dt, n, 0, 1) : null];
        for (const step of [1, 2, 7]) {
          parity(dt, 'adamStep', bufs, (k, [p, g, m, v, vm]) =>
            k.adamStep(p as Float, g as Float, m as Float, v as Float, vm as Float | null, step, 1e-3, 0.9, 0.999, 1e-8, wd, decoupled, amsgrad, maximize), true);
        }
      });
    }
  }
});

// ---- malformed arguments --------------------------------------------------------------

// The generic malformed-argument cases of the fused kernels (wrong kinds, short
// buffers, bad sizes, overlaps, nulls) come from the kernel table: see
// test/native/args.test.ts. Here: the rules particular to each kernel.

type ErrorClass = typeof TypeError | typeof RangeError;
const f32 = (n: number, start = 1) => Float32Array.from({ length: n }, (_, i) => start + i);
const f32p = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.1 + 0.1 * i);

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** Native throws `cls` naming the kernel, and js throws the very same error (class and message). */
function expectBoth(name: KernelName, args: unknown[], cls: ErrorClass, label: string): void {
  const n = run(native, name, args);
  expect(String(n.value), `native ${name} ${label}`).toMatch(new RegExp(`^${cls.name}: ${name}: `));
  expect(run(jsKernels, name, args).value, `js ${name} ${label}`).toBe(n.value);
}

describe('fused kernels: malformed arguments (native and js)', () => {
  it('checks the kernel-specific rules on both backends', () => {
    const M = 2 ** 31 - 1;
    const cases: [KernelName, unknown[], ErrorClass][] = [
      ['linearForward', [f32(6), f32(6), null, 2, 3, 2, 5, 0, new Float32Array(4)], RangeError], // act out of range
      ['linearForward', [f32(6), f32(6), null, M, M, M, 0, 0, new Float32Array(4)], RangeError],
      ['linearBackward', [f32(6), f32(6), f32(4), f32(4), 2, 3, 2, ACT_LEAKY_RELU, -0.1, new Float32Array(4), null, null, null], RangeError],
      ['softmaxCrossEntropy', [f32(6), Int32Array.from([0, 3]), null, 2, 3, -100, 0, new Float32Array(2)], RangeError], // target 3 of 3
      ['softmaxCrossEntropy', [f32(6), Int32Array.from([0, -1]), null, 2, 3, -100, 0, new Float32Array(2)], RangeError],
      ['softmaxCrossEntropy', [f32(6), Int32Array.from([0, 1]), null, 2, 3, 0.5, 0, new Float32Array(2)], RangeError], // ignoreIndex
      ['softmaxCrossEntropy', [f32(6), Int32Array.from([0, 1]), null, 2, 3, -100, 3, new Float32Array(2)], RangeError], // reduction
      ['softmaxCrossEntropyBackward', [f32(6), Int32Array.from([0, 1]), null, 2, 3, -100, 1, new Float32Array(0), new Float32Array(6)], RangeError],
      ['sigmoidBCE', [f32(4), f32p(4), f32(3), 4, 3, 0, new Float32Array(4)], RangeError], // p does not divide n
      ['sigmoidBCE', [f32(4), f32p(4), f32(3), 4, 0, 0, new Float32Array(4)], RangeError],
      ['bce', [f32p(4), f32p(4), 4, 3, new Float32Array(1)], RangeError], // reduction
      ['bceBackward', [f32p(4), f32p(4), 4, 1, new Float32Array(0), new Float32Array(4)], RangeError], // no dout
      ['sgdStep', [f32(4), f32(4), null, 0.1, 0.9, 0, 0, false, false, true], TypeError], // momentum without a buffer
      ['sgdStep', [f32(4), f32(5), null, 0.1, 0, 0, 0, false, false, true], RangeError], // lengths differ
      ['adamStep', [f32(4), f32(4), f32(4), f32(4), null, 1, 1e-3, 0.9, 0.999, 1e-8, 0, false, true, false], TypeError], // amsgrad
      ['adamStep', [f32(4), f32(4), f32(4), f32(4), null, 0, 1e-3, 0.9, 0.999, 1e-8, 0, false, false, false], RangeError], // step 0
    ];
    for (const [name, args, cls] of cases) expectBoth(name, args, cls, JSON.stringify(args.slice(3)));
    // In-place aliasing between state buffers is refused.
    for (const k of [native, jsKernels]) {
      const p = f32(4);
      expect(errorOf(() => k.sgdStep(p, f32(4), p, 0.1, 0.9, 0, 0, false, false, false))).toBeInstanceOf(RangeError);
      const m = f32(4);
      expect(errorOf(() => k.adamStep(f32(4), f32(4), m, m, null, 1, 1e-3, 0.9, 0.999, 1e-8, 0, false, false, false)))
        .toBeInstanceOf(RangeError);
    }
  });
});
