// Every native entry point rejects malformed arguments with a TypeError or
// RangeError naming the kernel — and the process survives to tell the tale.
// The malformed calls are made from the kernel table (lib/backend/harness):
// the js backend must throw the same class with the same message.
import { describe, expect, it } from 'vitest';
import { loadAddon, loadNativeKernels } from '../../lib/backend/native';
import { jsKernels } from '../../lib/backend/js';
import type { Kernels } from '../../lib/backend/kernels';
import { KERNEL_NAMES, badCalls, compareOutcomes, describeArgs, makeRng, run, specOf, type KernelName } from '../../lib/backend/harness';

const addon = loadAddon();
const K = loadNativeKernels() as unknown as Record<string, (...args: unknown[]) => unknown>;
const raw = addon as unknown as Record<string, (...args: unknown[]) => unknown>;

type ErrorClass = typeof TypeError | typeof RangeError;

function expectError(name: string, fn: () => unknown, cls: ErrorClass, pattern?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `${name} should throw ${cls.name}`).toBeInstanceOf(cls);
  const msg = (caught as Error).message;
  expect(msg.startsWith(`${name}: `), `message "${msg}" should name ${name}`).toBe(true);
  if (pattern) expect(msg).toMatch(pattern);
}

const f32 = (n: number, start = 1) => Float32Array.from({ length: n }, (_, i) => start + i);
const f64 = (n: number, start = 1) => Float64Array.from({ length: n }, (_, i) => start + i);
const i32 = (...v: number[]) => Int32Array.from(v);

/**
 * Both backends at once: each call runs on native and on js (on copies of the
 * arguments), must end alike — the same result or the same error, class and
 * message — and then returns or throws what native did.
 */
const B = new Proxy({} as Record<string, (...args: unknown[]) => unknown>, {
  get: (_t, name: string) => (...args: unknown[]) => {
    const n = run(K as unknown as Kernels, name as KernelName, args);
    expect(compareOutcomes(name as KernelName, n, run(jsKernels, name as KernelName, args)), `${name}(${describeArgs(args)})`).toBeNull();
    if (!n.ok) return (K[name] as (...a: unknown[]) => unknown)(...args);
    return n.value;
  },
});

/** The addon's functions that are not kernels of the table. */
const EXTRAS = new Set(['blasInfo', 'cblasSgemm', 'tuneAllocator', 'trimAllocator']);

/** A seed per kernel, so that running one test alone (-t) draws the same cases. */
const seedOf = (name: string): number => [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261);

describe('native args: malformed calls made from the kernel table, native and js alike', () => {
  it('the table declares every function the addon exports, but its extras', () => {
    const exported = Object.keys(addon).filter((k) => typeof raw[k] === 'function' && !EXTRAS.has(k));
    expect(exported.sort()).toEqual([...KERNEL_NAMES].sort());
  });

  for (const name of KERNEL_NAMES) {
    it(`${name}: each broken argument throws the expected class with the same message on both backends`, () => {
      const cases = badCalls(name, makeRng(seedOf(name)));
      expect(cases.length).toBeGreaterThan(name === 'getNumThreads' ? 0 : 10);
      for (const c of cases) {
        const n = run(K as unknown as Kernels, name, c.args);
        const j = run(jsKernels, name, c.args);
        const where = `${name} ${c.label} (${describeArgs(c.args)})`;
        if (c.expect === 'ok') {
          expect(n.ok, `${where}: native ${String(n.value)}`).toBe(true);
          expect(j.ok, `${where}: js ${String(j.value)}`).toBe(true);
          if (specOf(name).parity) expect(compareOutcomes(name, n, j), where).toBeNull();
        } else if (c.expect === 'same') {
          expect(compareOutcomes(name, n, j), where).toBeNull();
          if (!n.ok) expect(String(n.value), where).toMatch(new RegExp(`^(TypeError|RangeError): ${name}: `));
        } else {
          expect(String(n.value), where).toMatch(new RegExp(`^${c.expect}: ${name}: `));
          expect(j.value, where).toBe(n.value);
        }
      }
    });
  }

  it('cblasSgemm (an addon extra) checks its arguments too', () => {
    expectError('cblasSgemm', () => raw.cblasSgemm(2, 2, 3, f32(6), f32(6)), TypeError, /arguments/);
    expectError('cblasSgemm', () => raw.cblasSgemm(2, 2, 3, f64(6), f32(6), new Float32Array(4)), TypeError);
    expectError('cblasSgemm', () => raw.cblasSgemm(2, 2, 3, f32(5), f32(6), new Float32Array(4)), RangeError);
    expectError('cblasSgemm', () => raw.cblasSgemm(2, 2, 3, f32(6), f32(6), new Float32Array(3)), RangeError);
    expectError('cblasSgemm', () => raw.cblasSgemm(-1, 2, 3, f32(6), f32(6), new Float32Array(4)), RangeError);
    expectError('cblasSgemm', () => raw.cblasSgemm('2', 2, 3, f32(6), f32(6), new Float32Array(4)), TypeError);
  });
});

describe('native args: sizes, overlaps and indices (native and js alike)', () => {
  it('rejects sizes whose product overflows or exceeds the buffers', () => {
    const M = 2 ** 31 - 1;
    expectError('gemm', () => B.gemm(false, false, M, M, M, 1, f32(6), f32(6), 0, f32(4)), RangeError);
    expectError('gemmBatched', () => B.gemmBatched(M, false, false, M, M, M, 1, f32(6), M, f32(6), M, 0, f32(4), M), RangeError);
    expectError('sum', () => B.sum(f32(6), M, M, M, f32(6)), RangeError, /overflow/);
    expectError('mean', () => B.mean(f32(6), M, M, 2, f32(6)), RangeError);
    expectError('softmax', () => B.softmax(f32(6), M, M, M, f32(6)), RangeError, /overflow/);
    expectError('indexSelect', () => B.indexSelect(f32(6), M, M, M, i32(0), f32(6)), RangeError);
    expectError('gather', () => B.gather(f32(6), 1, 3, M, i32(0), M, f32(6)), RangeError);
    expectError('transpose2d', () => B.transpose2d(f32(6), M, M, f32(6)), RangeError);
    expectError('add', () => B.add(f32(1), i32(0, 0, 0), f32(1), i32(0, 0, 0), f32(1), i32(M, M, M)), RangeError);
    expectError('copyStrided', () => B.copyStrided(f32(6), 0, i32(M, M), f32(6), 0, i32(1, 1), i32(2, 2)), RangeError);
    expectError('copyStrided', () => B.copyStrided(f32(6), 2 ** 40, i32(1), f32(6), 0, i32(1), i32(2)), RangeError);
    expectError('copyStrided', () => B.copyStrided(f32(6), 0, i32(-1), f32(6), 0, i32(1), i32(2)), RangeError);
    expectError('add', () => B.add(f32(6), i32(3, 1), f32(6), i32(3, -1), f32(6), i32(2, 3)), RangeError);
    expectError('add', () => B.add(f32(6), i32(3, 1), f32(6), i32(3, 1), f32(6), i32(2, -3)), RangeError);
    expectError('add', () => B.add(f32(6), i32(3, 1), f32(6), i32(3, 1), f32(6), new Int32Array(65)), RangeError);
    expectError('max', () => B.max(f32(6), 2, 0, 3, f32(6), new Int32Array(6)), RangeError, /dim/);
    expectError('setNumThreads', () => B.setNumThreads(0), RangeError);
    expectError('setNumThreads', () => B.setNumThreads(1e6), RangeError);
  });

  it('gemm: c must not overlap a or b', () => {
    const buf = f32(12);
    expectError('gemm', () => B.gemm(false, false, 2, 2, 2, 1, buf, f32(4), 0, buf), RangeError, /overlaps/);
    expectError('gemm', () => B.gemm(false, false, 2, 2, 2, 1, f32(4), buf.subarray(0, 4), 0, buf.subarray(2, 6)), RangeError, /overlaps/);
    expectError('gemmBatched', () => B.gemmBatched(1, false, false, 2, 2, 2, 1, buf, 0, f32(4), 0, 0, buf.subarray(8), 0), RangeError, /overlaps/);
    expectError('gemmBatched', () => B.gemmBatched(2, false, false, 2, 2, 2, 1, f32(4), 0, f32(4), 0, 0, f32(8), 0), RangeError, /strideC/);
    expectError('gemmBatched', () => B.gemmBatched(2, false, false, 2, 2, 2, 1, f32(4), 0, f32(4), 0, 0, f32(8), 3), RangeError, /strideC/);
    expectError('cblasSgemm', () => raw.cblasSgemm(2, 2, 2, buf, f32(4), buf), RangeError, /overlaps/);
  });

  it('elementwise kernels allow out === input exactly but not partial overlap', () => {
    const x = Float32Array.from([-1, 2, -3, 4]);
    K.relu(x, x);
    expect(Array.from(x)).toEqual([0, 2, 0, 4]);
    const buf = f32(5);
    expectError('relu', () => B.relu(buf.subarray(0, 4), buf.subarray(1, 5)), RangeError, /overlaps/);
    expectError('neg', () => B.neg(buf.subarray(1, 5), buf.subarray(0, 4)), RangeError, /overlaps/);
    // two views of one ArrayBuffer, shifted by one element
    const ab = new ArrayBuffer(16);
    expectError('abs', () => B.abs(new Float32Array(ab, 0, 3), new Float32Array(ab, 4, 3)), RangeError, /overlaps/);
    // SharedArrayBuffer-backed arrays are accepted
    const shared = new Float32Array(new SharedArrayBuffer(16));
    shared.set([-1, 1, -2, 2]);
    K.relu(shared, shared);
    expect(Array.from(shared)).toEqual([0, 1, 0, 2]);
    const dy = f32(4);
    B.sigmoidBackward(f32(4), dy, dy);
    expectError('tanhBackward', () => B.tanhBackward(buf.subarray(0, 4), f32(4), buf.subarray(1, 5)), RangeError, /overlaps/);
    expectError('leakyRelu', () => B.leakyRelu(buf.subarray(0, 4), 0.1, buf.subarray(1, 5)), RangeError, /overlaps/);
    expectError('clamp', () => B.clamp(buf.subarray(0, 4), 0, 1, buf.subarray(1, 5)), RangeError, /overlaps/);
    expectError('powScalar', () => B.powScalar(buf.subarray(0, 4), 2, buf.subarray(1, 5)), RangeError, /overlaps/);
  });

  it('binary kernels: in-place on a non-broadcast input only', () => {
    const a = f32(6);
    K.add(a, i32(3, 1), f32(3), i32(0, 1), a, i32(2, 3));
    expect(Array.from(a)).toEqual([2, 4, 6, 5, 7, 9]);
    const b = f32(3);
    expectError('mul', () => B.mul(f32(6), i32(3, 1), b, i32(0, 1), b, i32(2, 3)), RangeError);
    const big = f32(6);
    expectError('add', () => B.add(big, i32(1, 2), f32(6), i32(3, 1), big, i32(2, 3)), RangeError, /overlaps/);
    expectError('sub', () => B.sub(big.subarray(0, 5), i32(1), f32(5), i32(1), big.subarray(1, 6), i32(5)), RangeError, /overlaps/);
  });

  it('axis, indexing and memory kernels reject any overlap', () => {
    const buf = f32(12);
    expectError('sum', () => B.sum(buf, 2, 3, 1, buf.subarray(10)), RangeError, /overlaps/);
    expectError('mean', () => B.mean(buf.subarray(0, 6), 2, 3, 1, buf.subarray(0, 6)), RangeError, /overlaps/);
    const ab = new ArrayBuffer(32);
    expectError('max', () => B.max(f32(6), 2, 3, 1, new Float32Array(ab, 0, 2), new Int32Array(ab, 4, 2)), RangeError, /overlaps/);
    expectError('min', () => B.min(new Float32Array(ab, 0, 6), 2, 3, 1, f32(2), new Int32Array(ab, 16, 2)), RangeError, /overlaps/);
    expectError('softmax', () => B.softmax(buf.subarray(0, 6), 2, 3, 1, buf.subarray(0, 6)), RangeError, /overlaps/);
    expectError('logSoftmax', () => B.logSoftmax(buf.subarray(0, 6), 2, 3, 1, buf.subarray(3, 9)), RangeError, /overlaps/);
    expectError('softmaxBackward', () => B.softmaxBackward(f32(6), buf.subarray(0, 6), 2, 3, 1, buf.subarray(0, 6)), RangeError, /overlaps/);
    expectError('logSoftmaxBackward', () => B.logSoftmaxBackward(buf.subarray(0, 6), f32(6), 2, 3, 1, buf.subarray(0, 6)), RangeError, /overlaps/);
    expectError('indexSelect', () => B.indexSelect(buf.subarray(0, 6), 2, 3, 1, i32(0, 1), buf.subarray(4, 8)), RangeError, /overlaps/);
    expectError('indexAdd', () => B.indexAdd(buf.subarray(0, 4), 2, 3, 1, i32(0, 1), buf.subarray(2, 8)), RangeError, /overlaps/);
    expectError('gather', () => B.gather(buf.subarray(0, 6), 2, 3, 1, i32(0, 1, 0, 1), 2, buf.subarray(0, 4)), RangeError, /overlaps/);
    expectError('scatterAdd', () => B.scatterAdd(buf.subarray(0, 4), 2, 3, 1, i32(0, 1, 0, 1), 2, buf.subarray(0, 6)), RangeError, /overlaps/);
    expectError('copy', () => B.copy(buf, buf), RangeError, /overlaps/);
    expectError('copy', () => B.copy(buf.subarray(0, 4), buf.subarray(2, 8)), RangeError, /overlaps/);
    expectError('cast', () => B.cast(new Float32Array(ab), new Int32Array(ab)), RangeError, /overlaps/);
    expectError('transpose2d', () => B.transpose2d(buf.subarray(0, 6), 2, 3, buf.subarray(0, 6)), RangeError, /overlaps/);
    expectError('copyStrided', () => B.copyStrided(buf, 0, i32(1), buf, 2, i32(1), i32(6)), RangeError, /overlaps/);
    // disjoint regions of one buffer are fine
    K.copyStrided(buf, 0, i32(1), buf, 6, i32(1), i32(6));
    expect(Array.from(buf.subarray(6))).toEqual([1, 2, 3, 4, 5, 6]);
    // dst positions written twice
    expectError('copyStrided', () => B.copyStrided(f32(6), 0, i32(1), f32(6), 0, i32(0), i32(3)), RangeError, /more than once/);
    expectError('copyStrided', () => B.copyStrided(f32(6), 0, i32(3, 1), f32(6), 0, i32(1, 1), i32(2, 3)), RangeError, /more than once/);
  });

  it('out-of-range indices throw before anything is written', () => {
    for (const bad of [-1, 3, 2 ** 31 - 1, -(2 ** 31)]) {
      const out = new Float32Array(4).fill(7);
      expectError('indexSelect', () => B.indexSelect(f32(6), 2, 3, 1, i32(0, bad), out), RangeError, /out of range/);
      expect(Array.from(out)).toEqual([7, 7, 7, 7]);
      const dx = new Float32Array(6).fill(7);
      expectError('indexAdd', () => B.indexAdd(f32(4), 2, 3, 1, i32(1, bad), dx), RangeError, /out of range/);
      expect(Array.from(dx)).toEqual([7, 7, 7, 7, 7, 7]);
      const out2 = new Float32Array(4).fill(7);
      expectError('gather', () => B.gather(f32(6), 2, 3, 1, i32(0, 1, 2, bad), 2, out2), RangeError, /out of range/);
      expect(Array.from(out2)).toEqual([7, 7, 7, 7]);
      const dx2 = new Float32Array(6).fill(7);
      expectError('scatterAdd', () => B.scatterAdd(f32(4), 2, 3, 1, i32(0, 1, 2, bad), 2, dx2), RangeError, /out of range/);
      expect(Array.from(dx2)).toEqual([7, 7, 7, 7, 7, 7]);
    }
  });

  it('the process is still alive and the addon still works', () => {
    const c = new Float32Array(1);
    K.gemm(false, false, 1, 1, 1, 1, f32(1, 3), f32(1, 4), 0, c);
    expect(c[0]).toBe(12);
  });
});

// ---- correctness on tiny hand-computed inputs --------------------------------------

/** naive row-major reference: op(a) m×k, op(b) k×n */
function refGemm(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
  a: ArrayLike<number>, b: ArrayLike<number>, beta: number, c: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
      out.push(alpha * s + (beta === 0 ? 0 : beta * c[i * n + j]));
    }
  }
  return out;
}

describe('native kernels: correctness on tiny inputs', () => {
  it('gemm: [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]', () => {
    const c = new Float32Array(4);
    K.gemm(false, false, 2, 2, 3, 1, f32(6, 1), f32(6, 7), 0, c);
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
  });

  it('gemm: every transpose combination, float32 and float64', () => {
    for (const F of [Float32Array, Float64Array]) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const a = F.from([1, -2, 3, 0.5, 5, -6]); // 2×3 or (tA) 3×2
          const b = F.from([2, 1, 0, -1, 4, 3]); // 3×2 or (tB) 2×3
          const c = F.from([1, 2, 3, 4]);
          K.gemm(tA, tB, 2, 2, 3, 1, a, b, 0, c);
          const want = refGemm(tA, tB, 2, 2, 3, 1, a, b, 0, [0, 0, 0, 0]);
          Array.from(c).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
        }
      }
    }
  });

  it('gemm: alpha and beta; beta = 0 ignores NaN in c; k = 0 scales c', () => {
    const a = f64(6);
    const b = f64(6, 7);
    const c = Float64Array.from([1, 2, 3, 4]);
    K.gemm(false, false, 2, 2, 3, 2, a, b, 0.5, c);
    expect(Array.from(c)).toEqual([116.5, 129, 279.5, 310]);
    const cn = new Float32Array(4).fill(NaN);
    K.gemm(false, false, 2, 2, 3, 1, f32(6), f32(6, 7), 0, cn);
    expect(Array.from(cn)).toEqual([58, 64, 139, 154]);
    const ck = Float32Array.from([1, 2, 3, 4]);
    K.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 3, ck);
    expect(Array.from(ck)).toEqual([3, 6, 9, 12]);
    const ck0 = new Float32Array(4).fill(NaN);
    K.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0, ck0);
    expect(Array.from(ck0)).toEqual([0, 0, 0, 0]);
    K.gemm(false, false, 0, 0, 5, 1, new Float32Array(0), new Float32Array(0), 0, new Float32Array(0));
  });

  it('gemmBatched: stride 0 reuses b for every batch entry', () => {
    const a = Float32Array.from([1, 2, 3, 4, /* */ 0, 1, 1, 0]); // two 2×2
    const b = Float32Array.from([5, 6, 7, 8]); // one 2×2
    const c = new Float32Array(8).fill(NaN);
    K.gemmBatched(2, false, false, 2, 2, 2, 1, a, 4, b, 0, 0, c, 4);
    expect(Array.from(c)).toEqual([19, 22, 43, 50, /* */ 7, 8, 5, 6]);
    const c1 = new Float32Array(4);
    K.gemmBatched(1, false, false, 2, 2, 2, 1, a, 0, b, 0, 0, c1, 0);
    expect(Array.from(c1)).toEqual([19, 22, 43, 50]);
  });

  it('cblasSgemm matches gemm', () => {
    const c = new Float32Array(4);
    raw.cblasSgemm(2, 2, 3, f32(6, 1), f32(6, 7), c);
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
    const info = addon.blasInfo();
    expect(typeof info.config).toBe('string');
    expect(info.config).toMatch(/OpenBLAS/);
  });

  it('broadcast add with strides: row vector, column vector, scalar, transposed view, 0-d', () => {
    const a = f32(6); // [[1,2,3],[4,5,6]]
    const out = new Float32Array(6);
    K.add(a, i32(3, 1), Float32Array.from([10, 20, 30]), i32(0, 1), out, i32(2, 3));
    expect(Array.from(out)).toEqual([11, 22, 33, 14, 25, 36]);
    K.sub(a, i32(3, 1), Float32Array.from([1, 2]), i32(1, 0), out, i32(2, 3));
    expect(Array.from(out)).toEqual([0, 1, 2, 2, 3, 4]);
    K.mul(a, i32(3, 1), Float32Array.from([2]), i32(0, 0), out, i32(2, 3));
    expect(Array.from(out)).toEqual([2, 4, 6, 8, 10, 12]);
    // a^T (3×2) + b (3×2): a read with strides [1, 3]
    K.add(a, i32(1, 3), f32(6, 0), i32(2, 1), out, i32(3, 2));
    expect(Array.from(out)).toEqual([1, 5, 4, 8, 7, 11]);
    const s = new Float64Array(1);
    K.div(Float64Array.from([1]), i32(), Float64Array.from([4]), i32(), s, i32());
    expect(s[0]).toBe(0.25);
    const p = new Float64Array(3);
    K.pow(Float64Array.from([2, 3, 4]), i32(1), Float64Array.from([2]), i32(0), p, i32(3));
    expect(Array.from(p)).toEqual([4, 9, 16]);
  });

  it('binary int32: wrapping arithmetic, comparisons, NaN-propagating maximum', () => {
    const out = new Int32Array(2);
    K.add(i32(2 ** 31 - 1, -(2 ** 31)), i32(1), i32(1, -1), i32(1), out, i32(2));
    expect(Array.from(out)).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    K.mul(i32(65536, 3), i32(1), i32(65536, -7), i32(1), out, i32(2));
    expect(Array.from(out)).toEqual([0, -21]);
    K.gt(i32(1, 5), i32(1), i32(3), i32(0), out, i32(2));
    expect(Array.from(out)).toEqual([0, 1]);
    const m = new Float32Array(3);
    K.maximum(Float32Array.from([1, NaN, 5]), i32(1), Float32Array.from([2, 0, NaN]), i32(1), m, i32(3));
    expect(m[0]).toBe(2);
    expect(m[1]).toBeNaN();
    expect(m[2]).toBeNaN();
    K.eq(Float32Array.from([1, NaN, 5]), i32(1), Float32Array.from([1, NaN, 4]), i32(1), m, i32(3));
    expect(Array.from(m)).toEqual([1, 0, 0]);
  });

  it('unary kernels', () => {
    const o = new Float64Array(4);
    K.sigmoid(Float64Array.from([0, 100, -100, 1]), o);
    expect(o[0]).toBe(0.5);
    expect(o[1]).toBeCloseTo(1, 12);
    expect(o[2]).toBeCloseTo(0, 12);
    expect(o[3]).toBeCloseTo(1 / (1 + Math.exp(-1)), 14);
    const s = new Float32Array(4);
    K.sign(Float32Array.from([-3, 0, 2, NaN]), s);
    expect(Array.from(s.subarray(0, 3))).toEqual([-1, 0, 1]);
    expect(s[3]).toBeNaN();
    const n = new Int32Array(2);
    K.neg(i32(-(2 ** 31), 5), n);
    expect(Array.from(n)).toEqual([-(2 ** 31), -5]);
    K.clamp(i32(-5, 3), 0, Infinity, n);
    expect(Array.from(n)).toEqual([0, 3]);
    const l = new Float32Array(2);
    K.leakyReluBackward(Float32Array.from([-1, 1]), 0.5, Float32Array.from([2, 2]), l);
    expect(Array.from(l)).toEqual([1, 2]);
    K.clampBackward(Float32Array.from([-1, 0.5]), 0, 1, Float32Array.from([3, 3]), l);
    expect(Array.from(l)).toEqual([0, 3]);
  });

  it('sum, mean (float64 accumulation, empty axis NaN), max/min with indices', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]); // [2, 3] over dim 1, or [1, 2, 3] over dim 2 with inner 3
    const o = new Float32Array(3);
    K.sum(x, 2, 3, 1, o);
    expect(Array.from(o.subarray(0, 2))).toEqual([6, 15]);
    K.mean(x, 1, 2, 3, o);
    expect(Array.from(o)).toEqual([2.5, 3.5, 4.5]);
    const e = new Float32Array(2);
    K.mean(new Float32Array(0), 2, 0, 1, e);
    expect(e[0]).toBeNaN();
    K.sum(new Float32Array(0), 2, 0, 1, e);
    expect(Array.from(e)).toEqual([0, 0]);
    const big = new Float32Array(3).fill(2 ** 25);
    big[1] = 1;
    K.sum(big, 1, 3, 1, e);
    expect(e[0]).toBe(2 ** 26); // 2^26 + 1 rounds to 2^26 in float32 only at the end
    const v = new Float32Array(2);
    const idx = new Int32Array(2);
    K.max(Float32Array.from([3, 1, 3, 2, NaN, 9]), 2, 3, 1, v, idx);
    expect(v[0]).toBe(3);
    expect(Array.from(idx)).toEqual([0, 1]);
    expect(v[1]).toBeNaN();
    K.min(Float32Array.from([3, 1, 1, 2, 0, 9]), 1, 3, 2, v, idx);
    // x [1, 3, 2] = [[3, 1], [1, 2], [0, 9]]
    expect(Array.from(v)).toEqual([0, 1]);
    expect(Array.from(idx)).toEqual([2, 0]);
  });

  it('softmax, logSoftmax and their backward', () => {
    const y = new Float64Array(3);
    K.softmax(Float64Array.from([1, 2, 3]), 1, 3, 1, y);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    [1, 2, 3].forEach((v, i) => expect(y[i]).toBeCloseTo(Math.exp(v) / z, 14));
    const big = new Float32Array(2);
    K.softmax(Float32Array.from([1000, 1000]), 1, 2, 1, big);
    expect(Array.from(big)).toEqual([0.5, 0.5]);
    const ls = new Float64Array(3);
    K.logSoftmax(Float64Array.from([1, 2, 3]), 1, 3, 1, ls);
    [1, 2, 3].forEach((v, i) => expect(ls[i]).toBeCloseTo(v - Math.log(z), 14));
    // inner > 1: softmax over the middle axis of [1, 2, 2]
    const yi = new Float64Array(4);
    K.softmax(Float64Array.from([0, 1, 0, 3]), 1, 2, 2, yi);
    expect(yi[0]).toBeCloseTo(0.5, 14);
    expect(yi[2]).toBeCloseTo(0.5, 14);
    expect(yi[1]).toBeCloseTo(1 / (1 + Math.exp(2)), 14);
    const dy = Float64Array.from([1, 0, 0]);
    const dx = new Float64Array(3);
    K.softmaxBackward(y, dy, 1, 3, 1, dx);
    expect(dx[0]).toBeCloseTo(y[0] * (1 - y[0]), 14);
    expect(dx[1]).toBeCloseTo(-y[1] * y[0], 14);
    K.logSoftmaxBackward(ls, dy, 1, 3, 1, dx);
    expect(dx[0]).toBeCloseTo(1 - y[0], 14);
    expect(dx[2]).toBeCloseTo(-y[2], 14);
  });

  it('indexing kernels', () => {
    const x = f32(6); // [[1,2,3],[4,5,6]]
    const out = new Float32Array(4);
    K.indexSelect(x, 2, 3, 1, i32(2, 0), out);
    expect(Array.from(out)).toEqual([3, 1, 6, 4]);
    const dx = new Float32Array(6).fill(1);
    K.indexAdd(Float32Array.from([1, 2, 3, 4]), 2, 3, 1, i32(2, 2), dx);
    expect(Array.from(dx)).toEqual([1, 1, 4, 1, 1, 8]);
    K.gather(x, 2, 3, 1, i32(1, 1, 0, 2), 2, out);
    expect(Array.from(out)).toEqual([2, 2, 4, 6]);
    const dx2 = new Float32Array(6);
    K.scatterAdd(Float32Array.from([1, 2, 3, 4]), 2, 3, 1, i32(1, 1, 0, 2), 2, dx2);
    expect(Array.from(dx2)).toEqual([0, 3, 0, 3, 0, 4]);
  });

  it('memory kernels: copy, cast, fill, transpose2d, copyStrided transpose', () => {
    const d = new Float64Array(3);
    K.copy(f64(2), d);
    expect(Array.from(d)).toEqual([1, 2, 0]);
    const ci = new Int32Array(6);
    K.cast(Float64Array.from([1.9, -1.9, NaN, Infinity, 2 ** 32 + 5, -(2 ** 31) - 1]), ci);
    expect(Array.from(ci)).toEqual([1, -1, 0, 0, 5, 2 ** 31 - 1]);
    const cf = new Float32Array(2);
    K.cast(i32(7, -3), cf);
    expect(Array.from(cf)).toEqual([7, -3]);
    const fi = new Int32Array(2);
    K.fill(fi, -2.7);
    expect(Array.from(fi)).toEqual([-2, -2]);
    const t = new Float32Array(6);
    K.transpose2d(f32(6), 2, 3, t);
    expect(Array.from(t)).toEqual([1, 4, 2, 5, 3, 6]);
    const s = new Float32Array(6);
    K.copyStrided(f32(6), 0, i32(3, 1), s, 0, i32(1, 2), i32(2, 3));
    expect(Array.from(s)).toEqual([1, 4, 2, 5, 3, 6]);
    // slice with an offset and expand (stride 0) into a 0-d / 2-d destination
    const e = new Float32Array(4);
    K.copyStrided(f32(6), 4, i32(0, 1), e, 0, i32(2, 1), i32(2, 2));
    expect(Array.from(e)).toEqual([5, 6, 5, 6]);
    const one = new Float32Array(1);
    K.copyStrided(f32(6), 5, i32(), one, 0, i32(), i32());
    expect(one[0]).toBe(6);
    // negative source strides (flip)
    const r = new Float32Array(3);
    K.copyStrided(f32(3), 2, i32(-1), r, 0, i32(1), i32(3));
    expect(Array.from(r)).toEqual([3, 2, 1]);
  });

  it('threads: get and set', () => {
    const n = K.getNumThreads() as number;
    expect(n).toBeGreaterThanOrEqual(1);
    K.setNumThreads(1);
    expect(K.getNumThreads()).toBe(1);
    K.setNumThreads(n);
    expect(K.getNumThreads()).toBe(n);
  });
});
