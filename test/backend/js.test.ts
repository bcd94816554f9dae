/**
 * Hand-computed checks of every js kernel on tiny inputs, plus finite-difference
 * checks of the backward kernels and the argument validation.
 */
import { describe, expect, it } from 'vitest';
import { jsKernels as K } from '../../lib/backend/js';

const f32 = (...v: number[]): Float32Array => Float32Array.from(v);
const f64 = (...v: number[]): Float64Array => Float64Array.from(v);
const i32 = (...v: number[]): Int32Array => Int32Array.from(v);
const arr = (x: ArrayLike<number>): number[] => Array.from(x);

/** Elementwise closeness with NaN == NaN. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-6): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w)) expect(g, `index ${i}`).toBeNaN();
    else if (!Number.isFinite(w)) expect(g, `index ${i}`).toBe(w);
    else expect(Math.abs(g - w), `index ${i}: got ${g}, want ${w}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
  }
}

describe('gemm', () => {
  // A = [[1,2,3],[4,5,6]] (2×3), B = [[7,8],[9,10],[11,12]] (3×2): A·B = [[58,64],[139,154]]
  const A = f64(1, 2, 3, 4, 5, 6);
  const At = f64(1, 4, 2, 5, 3, 6); // A stored 3×2 (transposed)
  const B = f64(7, 8, 9, 10, 11, 12);
  const Bt = f64(7, 9, 11, 8, 10, 12); // B stored 2×3
  const AB = [58, 64, 139, 154];

  it('computes every transpose combination', () => {
    for (const [ta, tb, a, b] of [
      [false, false, A, B], [true, false, At, B], [false, true, A, Bt], [true, true, At, Bt],
    ] as const) {
      const c = new Float64Array(4);
      K.gemm(ta, tb, 2, 2, 3, 1, a, b, 0, c);
      expect(arr(c), `transA=${ta} transB=${tb}`).toEqual(AB);
    }
  });

  it('applies alpha and beta', () => {
    const c = f64(1, 1, 1, 1);
    K.gemm(false, false, 2, 2, 3, 2, A, B, -1, c);
    expect(arr(c)).toEqual(AB.map((v) => 2 * v - 1));
    const c32 = f32(10, 20, 30, 40);
    K.gemm(false, false, 2, 2, 3, 0.5, Float32Array.from(A), Float32Array.from(B), 1, c32);
    expect(arr(c32)).toEqual([39, 52, 99.5, 117]);
  });

  it('does not read c when beta is 0, nor a and b when alpha is 0', () => {
    const c = f64(NaN, NaN, NaN, NaN);
    K.gemm(false, false, 2, 2, 3, 1, A, B, 0, c);
    expect(arr(c)).toEqual(AB);
    const c2 = f64(1, 2, 3, 4);
    K.gemm(false, false, 2, 2, 3, 0, f64(NaN, 0, 0, 0, 0, 0), B, 3, c2);
    expect(arr(c2)).toEqual([3, 6, 9, 12]);
  });

  it('handles k = 0 and empty outputs', () => {
    const c = f64(5, 5);
    K.gemm(false, false, 1, 2, 0, 1, f64(), f64(), 2, c);
    expect(arr(c)).toEqual([10, 10]);
    K.gemm(false, false, 0, 2, 3, 1, f64(), B, 0, f64());
  });

  it('runs batched GEMMs, stride 0 reusing one matrix', () => {
    // a: two 1×2 rows; b: one 2×2 matrix shared (strideB = 0).
    const a = f32(1, 2, 3, 4);
    const b = f32(1, 0, 0, 2);
    const c = new Float32Array(4);
    K.gemmBatched(2, false, false, 1, 2, 2, 1, a, 2, b, 0, 0, c, 2);
    expect(arr(c)).toEqual([1, 4, 3, 8]);
    // transposed b per batch: b0 = I, b1 = [[0,1],[1,0]] stored transposed (same).
    const b2 = f32(1, 0, 0, 1, 0, 1, 1, 0);
    K.gemmBatched(2, false, true, 1, 2, 2, 1, a, 2, b2, 4, 0, c, 2);
    expect(arr(c)).toEqual([1, 2, 4, 3]);
  });

  it('validates its arguments', () => {
    const c = new Float64Array(4);
    expect(() => K.gemm(false, false, 2, 2, 3, 1, f64(1, 2, 3, 4, 5), B, 0, c)).toThrow(
      new RangeError('gemm: a has 5 elements but m*k = 6 are needed'),
    );
    expect(() => K.gemm(false, false, 2, 2, 3, 1, Float32Array.from(A), B, 0, c)).toThrow(TypeError);
    expect(() => K.gemm(false, false, 2, 2, 3, 1, i32(1, 2, 3, 4, 5, 6) as unknown as Float64Array, B, 0, c))
      .toThrow(TypeError);
    expect(() => K.gemm(false, false, -1, 2, 3, 1, A, B, 0, c)).toThrow(RangeError);
    expect(() => K.gemm(false, false, 1.5, 2, 3, 1, A, B, 0, c)).toThrow(RangeError);
    expect(() => K.gemm(0 as unknown as boolean, false, 2, 2, 3, 1, A, B, 0, c)).toThrow(TypeError);
    const buf = new Float64Array(10);
    expect(() => K.gemm(false, false, 2, 2, 3, 1, buf.subarray(0, 6), B, 0, buf.subarray(4, 8))).toThrow(
      /gemm: output overlaps an input \(c shares memory with a\)/,
    );
    expect(() => K.gemmBatched(2, false, false, 2, 2, 3, 1, A, 0, B, 0, 0, new Float64Array(8), 2)).toThrow(
      /strideC/,
    );
    expect(() => K.gemmBatched(2, false, false, 2, 2, 3, 1, A, 6, B, 0, 0, new Float64Array(8), 4)).toThrow(
      /gemmBatched: a has 6 elements but \(batch-1\)\*strideA \+ m\*k = 12 are needed/,
    );
  });
});

describe('broadcast binary kernels', () => {
  const one = i32(1);
  const sh = (...d: number[]): Int32Array => Int32Array.from(d);

  it('adds contiguous same-shape arrays, in place too', () => {
    const a = f32(1, 2, 3);
    const out = new Float32Array(3);
    K.add(a, one, f32(10, 20, 30), one, out, sh(3));
    expect(arr(out)).toEqual([11, 22, 33]);
    K.add(out, one, f32(1, 1, 1), one, out, sh(3));
    expect(arr(out)).toEqual([12, 23, 34]);
  });

  it('broadcasts size-1 dims and scalars', () => {
    // [2,3] − [1,3] (row broadcast) and [2,1] (column broadcast)
    const a = f64(1, 2, 3, 4, 5, 6);
    const out = new Float64Array(6);
    K.sub(a, sh(3, 1), f64(1, 2, 3), sh(0, 1), out, sh(2, 3));
    expect(arr(out)).toEqual([0, 0, 0, 3, 3, 3]);
    K.mul(a, sh(3, 1), f64(10, 100), sh(1, 0), out, sh(2, 3));
    expect(arr(out)).toEqual([10, 20, 30, 400, 500, 600]);
    // scalar on either side
    K.div(f64(8), sh(0, 0), a, sh(3, 1), out, sh(2, 3));
    expectClose(out, [8, 4, 8 / 3, 2, 8 / 5, 8 / 6]);
    K.pow(a, sh(3, 1), f64(2), sh(0, 0), out, sh(2, 3));
    expect(arr(out)).toEqual([1, 4, 9, 16, 25, 36]);
    // a 0-d output (shape of length 0)
    const o1 = new Float64Array(1);
    K.add(f64(2), sh(), f64(3), sh(), o1, sh());
    expect(o1[0]).toBe(5);
    // transposed (non-contiguous) input: out = aᵀ + 0
    K.add(a, sh(1, 3), f64(0), sh(0, 0), out, sh(3, 2));
    expect(arr(out)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('accepts empty tensors: no error, nothing read or written', () => {
    // out is longer than the empty result: its elements must stay as they are.
    const out = Float32Array.of(7, 7);
    expect(K.add(f32(), sh(0, 1), f32(1, 2), sh(0, 1), out, sh(0, 2))).toBeUndefined();
    expect(K.maximum(f32(), sh(1), f32(), sh(1), out, sh(0))).toBeUndefined();
    // an empty result reads nothing, so partly overlapping or short inputs do not matter
    expect(K.add(out.subarray(0, 1), sh(5), out.subarray(1), sh(5), out, sh(0))).toBeUndefined();
    expect(arr(out)).toEqual([7, 7]);
  });

  it('wraps int32 arithmetic like C', () => {
    const out = new Int32Array(3);
    K.add(i32(2147483647, -5, 7), one, i32(1, 3, -9), one, out, sh(3));
    expect(arr(out)).toEqual([-2147483648, -2, -2]);
    K.sub(i32(-2147483648, 0, 0), one, i32(1, 0, 0), one, out, sh(3));
    expect(out[0]).toBe(2147483647);
    K.mul(i32(65536, 123456789, -3), one, i32(65536, 1000, 7), one, out, sh(3));
    expect(arr(out)).toEqual([0, Math.imul(123456789, 1000), -21]);
  });

  it('propagates NaN through maximum/minimum and compares to 0/1', () => {
    const out = new Float64Array(4);
    const a = f64(1, NaN, 3, -0.5);
    const b = f64(2, 0, NaN, -1);
    K.maximum(a, one, b, one, out, sh(4));
    expectClose(out, [2, NaN, NaN, -0.5]);
    K.minimum(a, one, b, one, out, sh(4));
    expectClose(out, [1, NaN, NaN, -1]);
    const x = f32(1, 2, 3);
    const y = f32(2, 2, 2);
    const o = new Float32Array(3);
    const cases: [typeof K.eq, number[]][] = [
      [K.eq, [0, 1, 0]], [K.gt, [0, 0, 1]], [K.lt, [1, 0, 0]], [K.ge, [0, 1, 1]], [K.le, [1, 1, 0]],
    ];
    for (const [k, want] of cases) {
      k(x, one, y, one, o, sh(3));
      expect(arr(o)).toEqual(want);
    }
    const oi = new Int32Array(2);
    K.gt(i32(5, -5), one, i32(0), i32(0), oi, sh(2));
    expect(arr(oi)).toEqual([1, 0]);
  });

  it('follows C pow at the edges', () => {
    const out = new Float64Array(4);
    K.pow(f64(1, -1, NaN, 4), one, f64(NaN, Infinity, 0, 0.5), one, out, sh(4));
    expect(arr(out)).toEqual([1, 1, 1, 2]);
  });

  it('validates types, lengths and aliasing', () => {
    const out = new Float32Array(3);
    expect(() => K.add(f32(1, 2, 3), one, f64(1, 2, 3), one, out, sh(3))).toThrow(TypeError);
    const bad = i32(1) as unknown as Float32Array;
    expect(() => K.div(bad, one, bad, one, new Int32Array(1) as unknown as Float32Array, sh(1))).toThrow(TypeError);
    expect(() => K.add(f32(1, 2, 3), [1] as unknown as Int32Array, f32(1, 2, 3), one, out, sh(3))).toThrow(
      TypeError,
    );
    expect(() => K.add(f32(1, 2), one, f32(1, 2, 3), one, out, sh(3))).toThrow(/add: a has 2 elements/);
    expect(() => K.add(f32(1, 2, 3), one, f32(1, 2, 3), one, new Float32Array(2), sh(3))).toThrow(RangeError);
    expect(() => K.add(f32(1, 2, 3), sh(1, 1), f32(1, 2, 3), one, out, sh(3))).toThrow(RangeError);
    expect(() => K.add(f32(1, 2, 3), sh(-1), f32(1, 2, 3), one, out, sh(3))).toThrow(RangeError);
    expect(() => K.add(f32(1), one, f32(1), one, out, sh(-1))).toThrow(RangeError);
    // in place on a broadcast input is refused; partial overlap is refused
    const buf = new Float32Array(6);
    expect(() => K.add(buf, sh(0, 1), f32(1, 2, 3, 4, 5, 6), sh(3, 1), buf, sh(2, 3))).toThrow(/broadcast/);
    expect(() => K.add(buf.subarray(0, 3), one, f32(1, 2, 3), one, buf.subarray(1, 4), sh(3))).toThrow(
      /overlaps/,
    );
    // an input whose view is longer than out is not "exactly" out
    expect(() => K.add(buf, one, f32(1, 2, 3), one, buf.subarray(0, 3), sh(3))).toThrow(/overlaps/);
  });
});

/** Central finite difference of f at x (float64). */
function numericGrad(f: (v: number) => number, x: number, h = 1e-6): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

describe('unary kernels', () => {
  const xs = f64(-2.5, -0.3, 0.4, 1.7);

  it('computes the elementwise functions', () => {
    const out = new Float64Array(4);
    const cases: [typeof K.exp, (v: number) => number][] = [
      [K.exp, Math.exp], [K.sin, Math.sin], [K.cos, Math.cos], [K.tanh, Math.tanh],
      [K.sigmoid, (v) => 1 / (1 + Math.exp(-v))], [K.relu, (v) => Math.max(v, 0)],
    ];
    for (const [k, f] of cases) {
      k(xs, out);
      expectClose(out, arr(xs).map(f), 1e-15);
    }
    K.log(f64(1, Math.E, 0, -1), out);
    expectClose(out, [0, 1, -Infinity, NaN]);
    K.sqrt(f64(4, 2, 0, -1), out);
    expectClose(out, [2, Math.SQRT2, 0, NaN]);
    K.neg(xs, out);
    expect(arr(out)).toEqual([2.5, 0.3, -0.4, -1.7]);
    K.abs(xs, out);
    expect(arr(out)).toEqual([2.5, 0.3, 0.4, 1.7]);
    K.sign(f64(-3, 0, NaN, 5), out);
    expectClose(out, [-1, 0, NaN, 1]);
    K.relu(f64(NaN, -1, 0, 2), out);
    expectClose(out, [NaN, 0, 0, 2]);
    K.leakyRelu(xs, 0.1, out);
    expectClose(out, [-0.25, -0.03, 0.4, 1.7], 1e-15);
    K.powScalar(f64(2, 3, -2, 0.25), 2, out);
    expect(arr(out)).toEqual([4, 9, 4, 0.0625]);
    K.powScalar(f64(4, 9, -1, 0.25), 0.5, out);
    expectClose(out, [2, 3, NaN, 0.5]);
  });

  it('handles int32 neg/abs/sign/clamp with C wrapping', () => {
    const out = new Int32Array(3);
    K.neg(i32(-2147483648, 5, 0), out);
    expect(arr(out)).toEqual([-2147483648, -5, 0]);
    K.abs(i32(-2147483648, -5, 3), out);
    expect(arr(out)).toEqual([-2147483648, 5, 3]);
    K.sign(i32(-7, 0, 9), out);
    expect(arr(out)).toEqual([-1, 0, 1]);
    K.clamp(i32(-7, 0, 9), -2, 3, out);
    expect(arr(out)).toEqual([-2, 0, 3]);
  });

  it('clamps with open sides and NaN passing through', () => {
    const out = new Float32Array(4);
    K.clamp(f32(-5, 0.5, 5, NaN), -1, Infinity, out);
    expectClose(out, [-1, 0.5, 5, NaN]);
    K.clamp(f32(-5, 0.5, 5, NaN), -Infinity, 1, out);
    expectClose(out, [-5, 0.5, 1, NaN]);
    K.clamp(f32(-5, 0.5, 5, 0), 2, 1, out); // lo > hi gives hi, as PyTorch
    expect(arr(out)).toEqual([1, 1, 1, 1]);
  });

  it('computes backward kernels that match finite differences', () => {
    const dy = f64(0.7, -1.3, 2.1, 0.5);
    const dx = new Float64Array(4);
    const y = new Float64Array(4);
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    K.sigmoid(xs, y);
    K.sigmoidBackward(y, dy, dx);
    expectClose(dx, arr(xs).map((v, i) => dy[i] * numericGrad(sig, v)), 1e-8);
    K.tanh(xs, y);
    K.tanhBackward(y, dy, dx);
    expectClose(dx, arr(xs).map((v, i) => dy[i] * numericGrad(Math.tanh, v)), 1e-8);
    K.reluBackward(xs, dy, dx);
    expectClose(dx, arr(xs).map((v, i) => dy[i] * numericGrad((t) => Math.max(t, 0), v)), 1e-8);
    K.leakyReluBackward(xs, 0.2, dy, dx);
    expectClose(dx, arr(xs).map((v, i) => dy[i] * numericGrad((t) => (t > 0 ? t : 0.2 * t), v)), 1e-8);
    K.clampBackward(xs, -1, 1, dy, dx);
    expectClose(dx, arr(xs).map((v, i) => dy[i] * numericGrad((t) => Math.min(Math.max(t, -1), 1), v)), 1e-8);
    // the boundary counts as inside (PyTorch's clamp gradient)
    K.clampBackward(f64(-1, 1, 1.5, -3), -1, 1, dy, dx);
    expect(arr(dx)).toEqual([0.7, -1.3, 0, 0]);
    // in place: dx may be dy
    const d = f64(1, 1, 1, 1);
    K.reluBackward(xs, d, d);
    expect(arr(d)).toEqual([0, 0, 1, 1]);
  });

  it('validates arguments', () => {
    expect(() => K.exp(i32(1) as unknown as Float32Array, new Float32Array(1))).toThrow(TypeError);
    expect(() => K.exp(f32(1, 2), new Float32Array(3))).toThrow(/exp: out has 3 elements but x has 2/);
    expect(() => K.neg(f32(1), new Float64Array(1))).toThrow(TypeError);
    const buf = new Float32Array(4);
    expect(() => K.exp(buf.subarray(0, 3), buf.subarray(1, 4))).toThrow(RangeError);
    K.exp(buf, buf); // exactly the same array is fine
    expect(() => K.leakyRelu(f32(1), '0.1' as unknown as number, new Float32Array(1))).toThrow(TypeError);
    expect(() => K.sigmoidBackward(f64(1, 2), f64(1), new Float64Array(2))).toThrow(RangeError);
  });
});

describe('reductions', () => {
  // x as [outer=2, dim=3, inner=2]
  const x = f64(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

  it('sums and averages along the middle axis', () => {
    const out = new Float64Array(4);
    K.sum(x, 2, 3, 2, out);
    expect(arr(out)).toEqual([9, 12, 27, 30]);
    K.mean(x, 2, 3, 2, out);
    expect(arr(out)).toEqual([3, 4, 9, 10]);
    const o1 = new Float64Array(1);
    K.sum(x, 1, 12, 1, o1);
    expect(o1[0]).toBe(78);
    const oi = new Int32Array(1);
    K.sum(i32(2147483647, 1, 5), 1, 3, 1, oi);
    expect(oi[0]).toBe(-2147483643);
  });

  it('accumulates float32 sums in float64', () => {
    const big = new Float32Array(3).fill(0);
    big[0] = 1e8;
    big[1] = 1;
    big[2] = -1e8;
    const out = new Float32Array(1);
    K.sum(big, 1, 3, 1, out);
    expect(out[0]).toBe(1);
  });

  it('gives 0 (sum) and NaN (mean) on an empty axis', () => {
    const out = f32(7, 7);
    K.sum(f32(), 2, 0, 1, out);
    expect(arr(out)).toEqual([0, 0]);
    K.mean(f32(), 1, 0, 2, out);
    expectClose(out, [NaN, NaN]);
  });

  it('finds the first max/min and lets NaN win', () => {
    const out = new Float64Array(4);
    const idx = new Int32Array(4);
    K.max(f64(3, 1, 5, 5, 5, 2), 2, 3, 1, out.subarray(0, 2), idx.subarray(0, 2));
    expect(arr(out.subarray(0, 2))).toEqual([5, 5]);
    expect(arr(idx.subarray(0, 2))).toEqual([2, 0]);
    K.min(x, 2, 3, 2, out, idx);
    expect(arr(out)).toEqual([1, 2, 7, 8]);
    expect(arr(idx)).toEqual([0, 0, 0, 0]);
    K.max(f64(1, NaN, 3, NaN), 1, 4, 1, out.subarray(0, 1), idx.subarray(0, 1));
    expect(out[0]).toBeNaN();
    expect(idx[0]).toBe(1);
    K.min(f32(NaN, -1), 1, 2, 1, new Float32Array(1), idx.subarray(0, 1));
    expect(idx[0]).toBe(0);
    const oi = new Int32Array(2);
    K.max(i32(4, -1, 4, 9), 1, 2, 2, oi, idx.subarray(0, 2));
    expect(arr(oi)).toEqual([4, 9]);
    expect(arr(idx.subarray(0, 2))).toEqual([0, 1]);
  });

  it('validates arguments', () => {
    expect(() => K.max(f32(), 1, 0, 1, new Float32Array(1), new Int32Array(1))).toThrow(/max: dim must be/);
    expect(() => K.mean(i32(1), 1, 1, 1, new Int32Array(1))).toThrow(TypeError);
    expect(() => K.sum(f32(1, 2), 1, 3, 1, new Float32Array(1))).toThrow(/sum: x has 2 elements/);
    expect(() => K.sum(f32(1, 2), 1, 2, 1, new Float32Array(0))).toThrow(RangeError);
    expect(() => K.max(f32(1), 1, 1, 1, new Float32Array(1), new Float32Array(1) as unknown as Int32Array))
      .toThrow(TypeError);
    const shared = new ArrayBuffer(16);
    expect(() => K.max(f32(1, 2), 1, 2, 1, new Float32Array(shared, 0, 1), new Int32Array(shared, 0, 1)))
      .toThrow(/overlaps/);
  });
});

describe('softmax family', () => {
  it('normalises rows and is stable for large inputs', () => {
    const x = f32(1000, 1001, 1002, -5, 0, 5);
    const out = new Float32Array(6);
    K.softmax(x, 2, 3, 1, out);
    for (const row of [out.subarray(0, 3), out.subarray(3, 6)]) {
      expect(arr(row).every(Number.isFinite)).toBe(true);
      expect(Math.abs(row[0] + row[1] + row[2] - 1)).toBeLessThan(1e-6);
    }
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const s = e[0] + e[1] + e[2];
    expectClose(out.subarray(0, 3), e.map((v) => v / s), 1e-6);
    K.logSoftmax(x, 2, 3, 1, out);
    expectClose(out.subarray(0, 3), e.map((v) => Math.log(v / s)), 1e-6);
  });

  it('works along a middle axis with inner > 1', () => {
    // [outer=1, dim=2, inner=2]: columns (0, 2) and (1, 3) are normalised
    const out = new Float64Array(4);
    K.softmax(f64(0, 1, 0, 3), 1, 2, 2, out);
    expectClose(out, [0.5, 1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-2))], 1e-15);
  });

  it('backward kernels match finite differences', () => {
    const x = f64(0.3, -1.2, 2.0, 0.7);
    const dy = f64(0.5, -0.25, 1.5, 0.1);
    const y = new Float64Array(4);
    const dx = new Float64Array(4);
    const lossOf = (k: typeof K.softmax, v: Float64Array): number => {
      const o = new Float64Array(4);
      k(v, 1, 4, 1, o);
      return o.reduce((acc, t, i) => acc + t * dy[i], 0);
    };
    for (const [fwd, bwd] of [[K.softmax, K.softmaxBackward], [K.logSoftmax, K.logSoftmaxBackward]] as const) {
      fwd(x, 1, 4, 1, y);
      bwd(y, dy, 1, 4, 1, dx);
      const want = arr(x).map((_, i) =>
        numericGrad((t) => {
          const v = Float64Array.from(x);
          v[i] = t;
          return lossOf(fwd, v);
        }, x[i]),
      );
      expectClose(dx, want, 1e-7);
    }
  });

  it('validates arguments', () => {
    const buf = new Float32Array(4);
    expect(() => K.softmax(buf, 1, 4, 1, buf)).toThrow(/softmax: output overlaps an input \(out shares memory with x\)/);
    expect(() => K.softmax(f32(1, 2), 1, 3, 1, new Float32Array(3))).toThrow(RangeError);
    expect(() => K.logSoftmaxBackward(f32(1), f64(1), 1, 1, 1, new Float32Array(1))).toThrow(TypeError);
  });
});

describe('indexing', () => {
  // x as [outer=2, dimX=3, inner=2]
  const x = f32(0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121);

  it('selects and accumulates rows', () => {
    const out = new Float32Array(8);
    K.indexSelect(x, 2, 3, 2, i32(2, 0), out);
    expect(arr(out)).toEqual([20, 21, 0, 1, 120, 121, 100, 101]);
    const oi = new Int32Array(2);
    K.indexSelect(i32(5, 6, 7), 1, 3, 1, i32(2, 2), oi);
    expect(arr(oi)).toEqual([7, 7]);
    const dx = f64(1, 1, 1);
    K.indexAdd(f64(0.5, 2, 4), 1, 3, 1, i32(2, 0, 2), dx);
    expect(arr(dx)).toEqual([3, 1, 5.5]);
  });

  it('gathers and scatters along the middle axis', () => {
    // out[o, j, i] = x[o, idx[o, j, i], i], idx [2, 1, 2]
    const out = new Float32Array(4);
    K.gather(x, 2, 3, 2, i32(2, 0, 1, 1), 1, out);
    expect(arr(out)).toEqual([20, 1, 110, 111]);
    const dx = new Float64Array(6);
    K.scatterAdd(f64(1, 2, 3, 4), 1, 3, 2, i32(0, 2, 0, 2), 2, dx);
    expect(arr(dx)).toEqual([4, 0, 0, 0, 0, 6]);
  });

  it('rejects out-of-range indices before writing anything', () => {
    const out8 = new Float32Array(8).fill(-1);
    expect(() => K.indexSelect(x, 2, 3, 2, i32(0, 3), out8)).toThrow(/indexSelect: idx\[1\] = 3 is out of range for a dimension of size 3/);
    expect(arr(out8)).toEqual(new Array(8).fill(-1));
    const out = new Float32Array(4).fill(-1);
    expect(() => K.indexSelect(x, 2, 3, 2, i32(-1), out)).toThrow(RangeError);
    expect(() => K.gather(x, 2, 3, 2, i32(0, 0, 0, 5), 1, out)).toThrow(/gather: idx\[3\] = 5 is out of range/);
    expect(arr(out)).toEqual([-1, -1, -1, -1]);
    const dx = new Float64Array(3);
    expect(() => K.indexAdd(f64(1, 1), 1, 3, 1, i32(0, 3), dx)).toThrow(RangeError);
    expect(() => K.scatterAdd(f64(1, 1), 1, 3, 1, i32(1, -2), 2, dx)).toThrow(RangeError);
    expect(arr(dx)).toEqual([0, 0, 0]);
    expect(() => K.indexSelect(x, 2, 3, 2, f32(0) as unknown as Int32Array, out)).toThrow(TypeError);
    expect(() => K.indexAdd(i32(1) as unknown as Float64Array, 1, 1, 1, i32(0), new Float64Array(1)))
      .toThrow(TypeError);
    expect(() => K.gather(x, 2, 3, 2, i32(0, 0, 0), 1, out)).toThrow(/gather: idx has 3 elements but outer\*n\*inner = 4 are needed/);
  });
});

describe('memory kernels', () => {
  it('copies, casts and fills', () => {
    const dst = new Float32Array(4);
    K.copy(f32(1, 2, 3), dst);
    expect(arr(dst)).toEqual([1, 2, 3, 0]);
    const di = new Int32Array(5);
    K.cast(f64(1.9, -1.9, -0.5, 2.5, 7), di);
    expect(arr(di)).toEqual([1, -1, 0, 2, 7]);
    const df = new Float32Array(2);
    K.cast(i32(16777217, -3), df);
    expect(arr(df)).toEqual([16777216, -3]);
    K.cast(f64(0.1, 1e300), df);
    expect(arr(df)).toEqual([Math.fround(0.1), Infinity]);
    K.fill(di, 3.7);
    expect(arr(di)).toEqual([3, 3, 3, 3, 3]);
    K.fill(dst, -0.5);
    expect(arr(dst)).toEqual([-0.5, -0.5, -0.5, -0.5]);
  });

  it('transposes a 2-d array', () => {
    const out = new Int32Array(6);
    K.transpose2d(i32(1, 2, 3, 4, 5, 6), 2, 3, out);
    expect(arr(out)).toEqual([1, 4, 2, 5, 3, 6]);
    const n = 70; // spans several tiles
    const x = Float64Array.from({ length: n * (n + 3) }, (_, i) => i);
    const t = new Float64Array(x.length);
    K.transpose2d(x, n, n + 3, t);
    for (let i = 0; i < n; i++) for (let j = 0; j < n + 3; j++) expect(t[j * n + i]).toBe(x[i * (n + 3) + j]);
  });

  it('copies strided views: transpose, broadcast, slice with offsets', () => {
    const sh = (...d: number[]): Int32Array => Int32Array.from(d);
    const dst = new Float32Array(6);
    // transpose of x [2,3]: dst[j, i] = x[i, j], iterate shape [3, 2]
    K.copyStrided(f32(1, 2, 3, 4, 5, 6), 0, sh(1, 3), dst, 0, sh(2, 1), sh(3, 2));
    expect(arr(dst)).toEqual([1, 4, 2, 5, 3, 6]);
    // broadcast a row [3] to [2, 3]
    K.copyStrided(f32(7, 8, 9), 0, sh(0, 1), dst, 0, sh(3, 1), sh(2, 3));
    expect(arr(dst)).toEqual([7, 8, 9, 7, 8, 9]);
    // column 1 of a [3, 3] into the middle of dst (offsets)
    const big = new Float64Array(8);
    K.copyStrided(f64(0, 1, 2, 3, 4, 5, 6, 7, 8), 1, sh(3), big, 4, sh(1), sh(3));
    expect(arr(big)).toEqual([0, 0, 0, 0, 1, 4, 7, 0]);
    // reversed with a negative stride, and a 0-d copy
    K.copyStrided(f64(1, 2, 3), 2, sh(-1), big, 0, sh(1), sh(3));
    expect(arr(big.subarray(0, 3))).toEqual([3, 2, 1]);
    K.copyStrided(f64(9), 0, sh(), big, 7, sh(), sh());
    expect(big[7]).toBe(9);
    // disjoint slices of one buffer are fine
    const one = new Float32Array(6).fill(1);
    K.copyStrided(one.subarray(0, 6), 0, sh(1), one, 3, sh(1), sh(3));
  });

  it('validates arguments', () => {
    const sh = (...d: number[]): Int32Array => Int32Array.from(d);
    expect(() => K.copy(f32(1, 2), new Float32Array(1))).toThrow(/copy: dst has 1 elements/);
    expect(() => K.copy(f32(1), new Float64Array(1))).toThrow(TypeError);
    const buf = new Float32Array(4);
    expect(() => K.copy(buf.subarray(0, 2), buf.subarray(1, 3))).toThrow(RangeError);
    expect(() => K.cast(buf.subarray(0, 2), new Int32Array(buf.buffer, 4, 2))).toThrow(RangeError);
    expect(() => K.fill(buf, '1' as unknown as number)).toThrow(TypeError);
    expect(() => K.fill([1] as unknown as Float32Array, 1)).toThrow(TypeError);
    expect(() => K.transpose2d(f32(1, 2, 3), 2, 2, new Float32Array(4))).toThrow(RangeError);
    // dst positions written twice
    expect(() => K.copyStrided(f32(1, 2), 0, sh(1), new Float32Array(2), 0, sh(0), sh(2))).toThrow(/overlap/);
    expect(() => K.copyStrided(f32(1, 2, 3, 4), 0, sh(2, 1), new Float32Array(4), 0, sh(1, 1), sh(2, 2)))
      .toThrow(/overlap/);
    // reach beyond either buffer
    expect(() => K.copyStrided(f32(1, 2), 1, sh(1), new Float32Array(2), 0, sh(1), sh(2))).toThrow(
      /copyStrided: src has 2 elements but the strides reach offsets 1\.\.2/,
    );
    expect(() => K.copyStrided(f32(1, 2), 0, sh(-1), new Float32Array(2), 0, sh(1), sh(2))).toThrow(RangeError);
    // reading and writing the same elements
    const b = new Float32Array(4);
    expect(() => K.copyStrided(b, 0, sh(1), b, 1, sh(1), sh(3))).toThrow(/overlap/);
    expect(() => K.copyStrided(f32(1), 0, sh(1), new Float32Array(1), 0, sh(1, 1), sh(1))).toThrow(RangeError);
  });
});

describe('runtime', () => {
  it('reports one thread and validates setNumThreads', () => {
    expect(K.name).toBe('js');
    expect(K.getNumThreads()).toBe(1);
    K.setNumThreads(4);
    expect(K.getNumThreads()).toBe(1);
    expect(() => K.setNumThreads(0)).toThrow(RangeError);
    expect(() => K.setNumThreads(1.5)).toThrow(RangeError);
    expect(() => K.setNumThreads('2' as unknown as number)).toThrow(TypeError);
  });

  it('keeps per-call overhead small for tiny tensors', () => {
    const a = f32(1, 2, 3, 4);
    const out = new Float32Array(4);
    const st = Int32Array.of(1);
    const shape = Int32Array.of(4);
    for (let i = 0; i < 20000; i++) K.add(a, st, a, st, out, shape); // warm up
    // The best of 20 short batches: the call's own cost, not the share of a
    // busy machine's cores this process happened to get.
    const n = 10000;
    let best = Infinity;
    for (let r = 0; r < 20; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) K.add(a, st, a, st, out, shape);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / n);
    }
    expect(best).toBeLessThan(1000);
  });
});
