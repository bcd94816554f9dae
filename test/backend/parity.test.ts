/**
 * Parity: every kernel runs on the js and the native backend with the same
 * seeded random inputs, and the outputs must agree — float32 within 1e-5
 * relative, float64 within 1e-12 relative (against Σ|terms| for long sums),
 * int32 and indices exactly. Bad arguments must throw the same error class with
 * the same message on both backends. Random valid calls of every kernel come
 * from the kernel table (lib/backend/harness); the cases below are hand-picked.
 */
import { describe, expect, it } from 'vitest';
import type { Kernels, Num } from '../../lib/backend/kernels';
import { jsKernels } from '../../lib/backend/js';
import { loadNativeKernels } from '../../lib/backend/native';
import { KERNEL_NAMES, compareCall, describeArgs, makeRng, randomCall, specOf } from '../../lib/backend/harness';

let native: Kernels | null = null;
let loadFailure = '';
try {
  native = loadNativeKernels();
} catch (err) {
  loadFailure = err instanceof Error ? err.message.split('\n')[0] : String(err);
}

// ---- seeded random inputs -----------------------------------------------------

/** mulberry32: a tiny seeded PRNG giving floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let rand = mulberry32(12345);
const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rand();
const randInt = (lo: number, hiExclusive: number): number => Math.floor(uniform(lo, hiExclusive));

type Dtype = 'float32' | 'float64' | 'int32';
const FLOATS: Dtype[] = ['float32', 'float64'];
const ALL: Dtype[] = ['float32', 'float64', 'int32'];

function alloc(dtype: Dtype, n: number): Num {
  if (dtype === 'float32') return new Float32Array(n);
  if (dtype === 'float64') return new Float64Array(n);
  return new Int32Array(n);
}

/** Random values in [lo, hi) (ints in [lo, hi) for int32). */
function randArr(dtype: Dtype, n: number, lo = -2, hi = 2): Num {
  const a = alloc(dtype, n);
  for (let i = 0; i < n; i++) a[i] = dtype === 'int32' ? randInt(lo, hi) : uniform(lo, hi);
  return a;
}

const ints = (...v: number[]): Int32Array => Int32Array.from(v);

// ---- running both backends and comparing -----------------------------------------

type Arg = Num | number | boolean;

function cloneArg(a: Arg): Arg {
  if (typeof a === 'object') return a.slice();
  return a;
}

function absArg(a: Arg): Arg {
  if (typeof a === 'number') return Math.abs(a);
  if (a instanceof Float32Array || a instanceof Float64Array) return a.map(Math.abs);
  return a;
}

interface Opts {
  /**
   * Compare against Σ|terms|: the js kernel is run again on |inputs| (and |alpha|,
   * |beta|) and that result scales the tolerance of each element (gemm, sums).
   */
  absScale?: boolean;
  /** Extra tolerance multiplier (e.g. for transcendental functions in float32). */
  tolScale?: number;
}

type KernelName = Exclude<keyof Kernels, 'name'>;

function call(k: Kernels, name: KernelName, args: Arg[]): void {
  (k[name] as (...a: Arg[]) => void)(...args);
}

function tolFor(x: Num): number {
  if (x instanceof Float32Array) return 1e-5;
  if (x instanceof Float64Array) return 1e-12;
  return 0;
}

/**
 * Compares native (`got`) with js (`want`) buffer by buffer; `scales` (js on
 * |inputs|) widens the tolerance to Σ|terms| where given. Throws on the first
 * disagreement.
 */
function compareArgs(what: string, got: Arg[], want: Arg[], scales: Arg[] | null, tolScale = 1): void {
  for (let p = 0; p < want.length; p++) {
    const j = want[p];
    const n = got[p];
    if (typeof j !== 'object' || typeof n !== 'object') continue;
    const tol = tolFor(j) * tolScale;
    const sc = scales !== null ? (scales[p] as Num) : null;
    for (let i = 0; i < j.length; i++) {
      const a = n[i];
      const b = j[i];
      if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
      const scale = Math.max(1, Math.abs(b), sc !== null ? Math.abs(sc[i]) : 0);
      if (!(Math.abs(a - b) <= tol * scale)) {
        throw new Error(`${what}: arg ${p}[${i}] native=${a} js=${b} (tol ${tol}·${scale})`);
      }
    }
  }
}

/** Runs kernel `name` on both backends with copies of `args` and compares every buffer argument afterwards. */
function same(name: KernelName, args: Arg[], opts: Opts = {}, label = ''): void {
  if (native === null) throw new Error('native backend not loaded');
  const ja = args.map(cloneArg);
  const na = args.map(cloneArg);
  call(jsKernels, name, ja);
  call(native, name, na);
  let scales: Arg[] | null = null;
  if (opts.absScale) {
    scales = args.map(absArg).map(cloneArg);
    call(jsKernels, name, scales);
  }
  compareArgs(name + label, na, ja, scales, opts.tolScale);
}

/** Both backends must throw the same error class with the same message (or both succeed alike). */
function sameError(name: KernelName, args: Arg[], label: string): void {
  if (native === null) throw new Error('native backend not loaded');
  expect(compareCall(name, args, native, jsKernels), `${name} ${label}`).toBeNull();
}

// ---- cases ---------------------------------------------------------------------

const suite = native === null ? describe.skip : describe;

if (native === null) {
  describe('parity js ↔ native', () => {
    it.skip(`native backend not loadable, parity skipped: ${loadFailure}`, () => undefined);
  });
}

describe('parity comparator', () => {
  it('accepts agreement within tolerance and reports disagreement', () => {
    compareArgs('t', [Float32Array.of(1 + 5e-6, NaN)], [Float32Array.of(1, NaN)], null);
    compareArgs('t', [Float64Array.of(1e6 + 1e-7)], [Float64Array.of(1e6)], null);
    expect(() => compareArgs('t', [Float32Array.of(1 + 5e-5)], [Float32Array.of(1)], null)).toThrow(/native=/);
    expect(() => compareArgs('t', [Float64Array.of(1 + 1e-11)], [Float64Array.of(1)], null)).toThrow(/native=/);
    expect(() => compareArgs('t', [Int32Array.of(2)], [Int32Array.of(3)], null)).toThrow(/native=/);
    expect(() => compareArgs('t', [Float32Array.of(NaN)], [Float32Array.of(0)], null)).toThrow(/native=/);
    // a scale of Σ|terms| = 100 admits an absolute error of 1e-3 in float32
    compareArgs('t', [Float32Array.of(9e-4)], [Float32Array.of(0)], [Float32Array.of(100)]);
  });
});

suite('parity js ↔ native: random valid calls from the kernel table', () => {
  // The hand-picked cases below add sizes the table's small draws do not reach
  // (thread-pool splits, GEMV paths, long sums) and edge values.
  for (const name of KERNEL_NAMES.filter((n) => specOf(n).parity)) {
    it(`${name}: 150 random calls agree`, () => {
      const rng = makeRng([...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
      for (let i = 0; i < 150; i++) {
        const args = randomCall(name, rng);
        expect(compareCall(name, args, native!, jsKernels), describeArgs(args)).toBeNull();
      }
    });
  }
});

suite('parity js ↔ native', () => {
  it('gemm: every transpose, alpha/beta, empty and odd sizes', () => {
    rand = mulberry32(1);
    // m = 1 and n = 1 take the native GEMV path (native/gemm.h gemmAsGemv), n = 1 with k ≤ 32 its own loop;
    // m = 2..7 with n·k ≥ 4096 one GEMV per row (7×63×64 and 8×64×70 sit just outside it).
    const sizes = [[0, 3, 2], [1, 1, 1], [3, 0, 4], [2, 5, 0], [7, 5, 9], [17, 33, 64], [64, 48, 200], [1, 37, 53],
      [29, 1, 41], [1, 1, 77], [1, 5, 0], [300, 1, 8], [13, 1, 32], [7, 1, 1],
      [2, 64, 70], [5, 100, 41], [7, 65, 64], [7, 63, 64], [8, 64, 70], [37, 1, 3], [9, 1, 6]];
    for (const dtype of FLOATS) {
      for (const [m, n, k] of sizes) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            for (const [alpha, beta] of [[1, 0], [0.5, 1], [-1.25, -0.3], [0, 2]]) {
              const a = randArr(dtype, m * k);
              const b = randArr(dtype, k * n);
              // beta = 0: c full of NaN must not leak into the result
              const c = beta === 0 ? alloc(dtype, m * n).fill(NaN) : randArr(dtype, m * n);
              same('gemm', [transA, transB, m, n, k, alpha, a, b, beta, c], { absScale: true },
                ` ${dtype} m=${m} n=${n} k=${k} tA=${transA} tB=${transB} α=${alpha} β=${beta}`);
            }
          }
        }
      }
    }
  });

  it('gemm: alpha = 0 reads neither a nor b; k = 0 scales c', () => {
    for (const dtype of FLOATS) {
      const a = alloc(dtype, 6).fill(NaN);
      same('gemm', [false, false, 2, 3, 3, 0, a, randArr(dtype, 9), 2, randArr(dtype, 6)], {}, ` ${dtype} α=0`);
      same('gemm', [false, false, 1, 3, 6, 0, a, randArr(dtype, 18), 2, randArr(dtype, 3)], {}, ` ${dtype} α=0 m=1`);
      same('gemm', [true, true, 3, 64, 70, 0, alloc(dtype, 210).fill(NaN), randArr(dtype, 4480), 2, randArr(dtype, 192)], {},
        ` ${dtype} α=0 m=3 (a GEMV per row)`);
      same('gemm', [true, false, 3, 1, 2, 0, a, randArr(dtype, 2), 0, alloc(dtype, 3).fill(NaN)], {}, ` ${dtype} α=0 β=0 n=1`);
      same('gemm', [false, true, 2, 3, 0, 1, alloc(dtype, 0), alloc(dtype, 0), 0.5, randArr(dtype, 6)], {},
        ` ${dtype} k=0`);
      same('gemm', [false, true, 2, 3, 0, 1, alloc(dtype, 0), alloc(dtype, 0), 0, alloc(dtype, 6).fill(NaN)], {},
        ` ${dtype} k=0 β=0`);
    }
  });

  it('gemm split across the thread pool: rows or columns, uneven blocks, 1–3 and 30 threads', () => {
    rand = mulberry32(3);
    const before = native!.getNumThreads();
    // [m, n, k]: c largest and m ≥ 32 (split rows); b largest (split columns); a largest;
    // a weight-gradient shape (k = batch); sides that leave a short last block.
    // [20, 800, 30] at 30 threads: more parts than one round of the pool holds.
    // m ≤ 7: a GEMV per row, the columns of c split (1×… and 5×… with a short last block).
    const sizes = [[130, 70, 150], [40, 300, 90], [300, 40, 90], [200, 392, 32], [33, 517, 64], [47, 47, 61], [20, 800, 30],
      [1, 517, 300], [5, 301, 200], [7, 1030, 130]];
    try {
      for (const threads of [1, 2, 3, 30]) {
        native!.setNumThreads(threads);
        for (const dtype of FLOATS) {
          for (const [m, n, k] of sizes) {
            for (const transA of [false, true]) {
              for (const transB of [false, true]) {
                const beta = transA ? 0.5 : 0;
                const c = beta === 0 ? alloc(dtype, m * n).fill(NaN) : randArr(dtype, m * n);
                same('gemm', [transA, transB, m, n, k, 1.5, randArr(dtype, m * k), randArr(dtype, k * n), beta, c], { absScale: true },
                  ` ${dtype} threads=${threads} m=${m} n=${n} k=${k} tA=${transA} tB=${transB}`);
              }
            }
          }
        }
      }
    } finally {
      native!.setNumThreads(before);
    }
  });

  it('gemmBatched: strides, stride 0 broadcasting, transposes', () => {
    rand = mulberry32(2);
    for (const dtype of FLOATS) {
      for (const [batch, m, n, k] of [[0, 2, 2, 2], [1, 3, 4, 5], [3, 4, 5, 6], [5, 1, 7, 3]]) {
        for (const [shareA, shareB] of [[false, false], [true, false], [false, true]]) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              const sA = shareA ? 0 : m * k + 1; // +1: gaps between matrices
              const sB = shareB ? 0 : k * n;
              const sC = m * n + 2;
              const a = randArr(dtype, Math.max(0, (batch - 1) * sA + m * k));
              const b = randArr(dtype, Math.max(0, (batch - 1) * sB + k * n));
              const c = randArr(dtype, Math.max(0, (batch - 1) * sC + m * n));
              same('gemmBatched', [batch, transA, transB, m, n, k, 0.75, a, sA, b, sB, 0.5, c, sC],
                { absScale: true }, ` ${dtype} batch=${batch} shareA=${shareA} shareB=${shareB}`);
            }
          }
        }
      }
    }
  });

  /** A random broadcast case: output shape, and per input a shape with some dims 1, maybe transposed. */
  function broadcastCase(dtype: Dtype, shape: number[], lo: number, hi: number): Arg[] {
    const side = (): [Num, Int32Array] => {
      const own = shape.map((d) => (rand() < 0.3 ? 1 : d));
      if (rand() < 0.15) own.fill(1); // a scalar side
      const strides = new Int32Array(shape.length);
      const order = own.map((_, i) => i);
      if (rand() < 0.3) order.reverse(); // stored transposed: strides not row-major
      let st = 1;
      for (let q = order.length - 1; q >= 0; q--) {
        const d = order[q];
        strides[d] = own[d] === 1 ? 0 : st;
        st *= own[d];
      }
      return [randArr(dtype, own.reduce((p, v) => p * v, 1), lo, hi), strides];
    };
    const [a, as] = side();
    const [b, bs] = side();
    const total = shape.reduce((p, v) => p * v, 1);
    return [a, as, b, bs, alloc(dtype, total), Int32Array.from(shape)];
  }

  const SHAPES = [[], [1], [7], [0], [3, 0], [2, 3], [4, 1, 5], [3, 4, 2, 5], [1, 1, 6], [2, 2, 2, 2, 3], [33, 17]];
  const BINARY: [KernelName, Dtype[], number, number][] = [
    ['add', ALL, -1000, 1000], ['sub', ALL, -1000, 1000], ['mul', ALL, -1000, 1000],
    ['div', FLOATS, -2, 2], ['pow', FLOATS, 0.1, 3],
    ['maximum', ALL, -3, 3], ['minimum', ALL, -3, 3],
    ['eq', ALL, -2, 2], ['gt', ALL, -2, 2], ['lt', ALL, -2, 2], ['ge', ALL, -2, 2], ['le', ALL, -2, 2],
  ];

  it('broadcast binary kernels: size-1 dims, scalars, empty, strided', () => {
    rand = mulberry32(3);
    for (const [name, dtypes, lo, hi] of BINARY) {
      for (const dtype of dtypes) {
        for (const shape of SHAPES) {
          for (let rep = 0; rep < 4; rep++) {
            same(name, broadcastCase(dtype, shape, lo, hi), {}, ` ${dtype} [${shape}]`);
          }
        }
        // contiguous same shape and in-place
        const n = 50;
        const a = randArr(dtype, n, lo, hi);
        const b = randArr(dtype, n, lo, hi);
        same(name, [a, ints(1), b, ints(1), alloc(dtype, n), ints(n)], {}, ` ${dtype} contiguous`);
      }
    }
    // int32 wrapping and float NaN/Inf edges
    const big = Int32Array.from([2147483647, -2147483648, 123456789, -987654321, 65536]);
    for (const name of ['add', 'sub', 'mul'] as const) {
      same(name, [big, ints(1), big.slice().reverse(), ints(1), new Int32Array(5), ints(5)], {}, ' int32 wrap');
    }
    const edge = Float64Array.from([NaN, Infinity, -Infinity, 0, -0, 1, -1, 2.5]);
    const edge2 = Float64Array.from([1, NaN, 0, Infinity, -Infinity, NaN, Infinity, -0]);
    for (const [name, dtypes] of BINARY) {
      for (const dtype of dtypes.filter((d) => d !== 'int32')) {
        const a = dtype === 'float32' ? Float32Array.from(edge) : edge.slice();
        const b = dtype === 'float32' ? Float32Array.from(edge2) : edge2.slice();
        same(name, [a, ints(1), b, ints(1), alloc(dtype, 8), ints(8)], {}, ` ${dtype} NaN/Inf`);
      }
    }
  });

  it('binary kernels in place agree', () => {
    rand = mulberry32(4);
    for (const dtype of ALL) {
      const a = randArr(dtype, 12, -5, 5);
      const b = randArr(dtype, 4, -5, 5);
      const runInPlace = (k: Kernels): Num => {
        const x = a.slice();
        k.add(x, ints(4, 1), b, ints(0, 1), x, ints(3, 4));
        return x;
      };
      expect(Array.from(runInPlace(native!))).toEqual(Array.from(runInPlace(jsKernels)));
    }
  });

  it('unary kernels and their backward forms', () => {
    rand = mulberry32(5);
    const lengths = [0, 1, 5, 1000];
    const FLOAT_UNARY: [KernelName, number, number][] = [
      ['exp', -20, 20], ['log', 0.001, 100], ['sqrt', 0, 50], ['sin', -10, 10], ['cos', -10, 10],
      ['relu', -2, 2], ['sigmoid', -30, 30], ['tanh', -5, 5],
    ];
    for (const dtype of FLOATS) {
      for (const n of lengths) {
        for (const [name, lo, hi] of FLOAT_UNARY) {
          same(name, [randArr(dtype, n, lo, hi), alloc(dtype, n)], {}, ` ${dtype} n=${n}`);
        }
        same('leakyRelu', [randArr(dtype, n), 0.01, alloc(dtype, n)], {}, ` ${dtype}`);
        for (const p of [2, 0.5, 3, -1.5, 1, 0]) {
          same('powScalar', [randArr(dtype, n, 0.05, 3), p, alloc(dtype, n)], {}, ` ${dtype} p=${p}`);
        }
        same('powScalar', [randArr(dtype, n, -3, 3), 3, alloc(dtype, n)], {}, ` ${dtype} negative base`);
        const x = randArr(dtype, n);
        const dy = randArr(dtype, n);
        same('reluBackward', [x, dy, alloc(dtype, n)], {}, ` ${dtype}`);
        same('leakyReluBackward', [x, 0.2, dy, alloc(dtype, n)], {}, ` ${dtype}`);
        same('clampBackward', [x, -0.5, 1, dy, alloc(dtype, n)], {}, ` ${dtype}`);
        const y = randArr(dtype, n, 0, 1);
        same('sigmoidBackward', [y, dy, alloc(dtype, n)], {}, ` ${dtype}`);
        same('tanhBackward', [randArr(dtype, n, -1, 1), dy, alloc(dtype, n)], {}, ` ${dtype}`);
      }
    }
    for (const dtype of ALL) {
      for (const n of lengths) {
        const lo = dtype === 'int32' ? -100 : -3;
        const hi = dtype === 'int32' ? 100 : 3;
        for (const name of ['neg', 'abs', 'sign'] as const) {
          same(name, [randArr(dtype, n, lo, hi), alloc(dtype, n)], {}, ` ${dtype}`);
        }
        for (const [cl, ch] of [[-1, 1], [-Infinity, 0.5], [0, Infinity], [2, 1], [-1.5, 2.5]]) {
          same('clamp', [randArr(dtype, n, lo, hi), cl, ch, alloc(dtype, n)], {}, ` ${dtype} [${cl}, ${ch}]`);
        }
      }
    }
    // NaN and infinities through the float unaries
    const edge = [NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 88.8, -88.8];
    for (const dtype of FLOATS) {
      const make = (): Num => (dtype === 'float32' ? Float32Array.from(edge) : Float64Array.from(edge));
      for (const name of ['exp', 'log', 'sqrt', 'relu', 'sigmoid', 'tanh', 'neg', 'abs', 'sign'] as const) {
        same(name, [make(), alloc(dtype, edge.length)], {}, ` ${dtype} edges`);
      }
      same('clamp', [make(), -1, 1, alloc(dtype, edge.length)], {}, ` ${dtype} edges`);
    }
    const wrap = Int32Array.from([-2147483648, 2147483647, 0, -1]);
    same('neg', [wrap, new Int32Array(4)], {}, ' int32 wrap');
    same('abs', [wrap, new Int32Array(4)], {}, ' int32 wrap');
  });

  const AXES = [[1, 1, 1], [3, 4, 1], [1, 7, 5], [4, 3, 6], [2, 0, 3], [0, 4, 2], [3, 5, 0], [2, 300, 1], [5, 64, 9]];

  it('reductions: sum, mean, max, min (incl. empty axes)', () => {
    rand = mulberry32(6);
    for (const dtype of ALL) {
      for (const [outer, dim, inner] of AXES) {
        const x = randArr(dtype, outer * dim * inner, -1000, 1000);
        same('sum', [x, outer, dim, inner, alloc(dtype, outer * inner)], { absScale: true },
          ` ${dtype} [${outer}, ${dim}, ${inner}]`);
        if (dtype !== 'int32') {
          same('mean', [x, outer, dim, inner, alloc(dtype, outer * inner)], { absScale: true },
            ` ${dtype} [${outer}, ${dim}, ${inner}]`);
        }
        if (dim > 0) {
          for (const name of ['max', 'min'] as const) {
            // few distinct values, so ties test "first index"
            const xt = randArr(dtype, outer * dim * inner, -3, 3);
            if (dtype !== 'int32') for (let i = 0; i < xt.length; i++) xt[i] = Math.round(xt[i]);
            same(name, [xt, outer, dim, inner, alloc(dtype, outer * inner), new Int32Array(outer * inner)], {},
              ` ${dtype} [${outer}, ${dim}, ${inner}]`);
          }
        }
      }
    }
    // NaN wins max/min, first NaN's index
    for (const dtype of FLOATS) {
      const x = alloc(dtype, 12);
      x.set([1, NaN, 3, NaN, 5, 6, -1, 2, NaN, 0, 0, 0]);
      for (const name of ['max', 'min'] as const) {
        same(name, [x, 2, 3, 2, alloc(dtype, 4), new Int32Array(4)], {}, ` ${dtype} NaN`);
      }
    }
    const wrap = Int32Array.from([2147483647, 2147483647, 5, -2147483648, -2147483648, -7]);
    same('sum', [wrap, 2, 3, 1, new Int32Array(2)], {}, ' int32 wrap');
  });

  it('softmax family, forward and backward (incl. large inputs)', () => {
    rand = mulberry32(7);
    for (const dtype of FLOATS) {
      for (const [outer, dim, inner] of AXES) {
        const count = outer * dim * inner;
        for (const range of [3, 1000]) {
          const x = randArr(dtype, count, -range, range);
          same('softmax', [x, outer, dim, inner, alloc(dtype, count)], {}, ` ${dtype} [${outer},${dim},${inner}]`);
          same('logSoftmax', [x, outer, dim, inner, alloc(dtype, count)], {},
            ` ${dtype} [${outer},${dim},${inner}]`);
        }
        const dy = randArr(dtype, count);
        const y = alloc(dtype, count);
        jsKernels.softmax(randArr(dtype, count) as Float32Array, outer, dim, inner, y as Float32Array);
        same('softmaxBackward', [y, dy, outer, dim, inner, alloc(dtype, count)], {}, ` ${dtype}`);
        const ly = alloc(dtype, count);
        jsKernels.logSoftmax(randArr(dtype, count) as Float32Array, outer, dim, inner, ly as Float32Array);
        same('logSoftmaxBackward', [ly, dy, outer, dim, inner, alloc(dtype, count)], {}, ` ${dtype}`);
      }
    }
  });

  it('indexing: indexSelect, indexAdd, gather, scatterAdd', () => {
    rand = mulberry32(8);
    const randIdx = (count: number, dimX: number): Int32Array =>
      Int32Array.from({ length: count }, () => randInt(0, dimX));
    for (const dtype of ALL) {
      for (const [outer, dimX, inner] of [[1, 5, 1], [3, 4, 2], [2, 7, 3], [0, 3, 2], [2, 3, 0], [4, 1, 5]]) {
        for (const n of [0, 1, 6]) {
          const x = randArr(dtype, outer * dimX * inner, -50, 50);
          const idx = randIdx(n, dimX);
          same('indexSelect', [x, outer, dimX, inner, idx, alloc(dtype, outer * n * inner)], {},
            ` ${dtype} [${outer},${dimX},${inner}] n=${n}`);
          const gIdx = randIdx(outer * n * inner, dimX);
          same('gather', [x, outer, dimX, inner, gIdx, n, alloc(dtype, outer * n * inner)], {}, ` ${dtype}`);
          if (dtype !== 'int32') {
            const dy = randArr(dtype, outer * n * inner);
            same('indexAdd', [dy, outer, dimX, inner, idx, randArr(dtype, outer * dimX * inner)], {}, ` ${dtype}`);
            same('scatterAdd', [dy, outer, dimX, inner, gIdx, n, randArr(dtype, outer * dimX * inner)], {},
              ` ${dtype}`);
          }
        }
      }
    }
  });

  it('memory: copy, cast (every pair), fill, transpose2d, copyStrided', () => {
    rand = mulberry32(9);
    for (const dtype of ALL) {
      for (const n of [0, 1, 17]) {
        same('copy', [randArr(dtype, n), alloc(dtype, n + 2)], {}, ` ${dtype}`);
        for (const to of ALL) {
          // in int32 range, fractional and negative values: float → int truncates toward 0
          same('cast', [randArr(dtype, n, -1e6, 1e6), alloc(to, n)], {}, ` ${dtype}→${to}`);
        }
        for (const v of [0, -1.75, 3.5, 1e10, NaN, Infinity]) {
          if (dtype === 'int32' && !Number.isFinite(v)) continue;
          same('fill', [alloc(dtype, n), v], {}, ` ${dtype} ${v}`);
        }
      }
      for (const [rows, cols] of [[0, 3], [1, 1], [3, 5], [40, 33]]) {
        same('transpose2d', [randArr(dtype, rows * cols), rows, cols, alloc(dtype, rows * cols)], {}, ` ${dtype}`);
      }
      // NaN, ±∞ and out-of-int32-range values convert as a TypedArray store does
      if (dtype !== 'int32') {
        const edge = [NaN, Infinity, -Infinity, 3e9, -3e9, -2.7, 2.7, 1e40, -0];
        for (const to of ALL) same('cast', [Float64Array.from(edge), alloc(to, 9)], {}, ` f64→${to}`);
        same('fill', [alloc(dtype, 3), 1e40], {}, ` ${dtype} overflow`);
      }
      // permute [2,3,4] → [4,2,3]
      const src = randArr(dtype, 24);
      same('copyStrided', [src, 0, ints(1, 12, 4), alloc(dtype, 24), 0, ints(6, 3, 1), ints(4, 2, 3)], {},
        ` ${dtype} permute`);
      // slice rows 1..3 of a [4,5] into the middle of a larger buffer (offsets)
      same('copyStrided', [randArr(dtype, 20), 5, ints(5, 1), alloc(dtype, 20), 3, ints(5, 1), ints(2, 5)], {},
        ` ${dtype} slice`);
      // expand a [3,1] column to [3,4]
      same('copyStrided', [randArr(dtype, 3), 0, ints(1, 0), alloc(dtype, 12), 0, ints(4, 1), ints(3, 4)], {},
        ` ${dtype} expand`);
      // reverse, 0-d, and empty
      same('copyStrided', [randArr(dtype, 6), 5, ints(-1), alloc(dtype, 6), 0, ints(1), ints(6)], {}, ` ${dtype}`);
      same('copyStrided', [randArr(dtype, 3), 2, ints(), alloc(dtype, 2), 1, ints(), ints()], {}, ` ${dtype} 0-d`);
      same('copyStrided', [randArr(dtype, 0), 0, ints(1, 1), alloc(dtype, 0), 0, ints(1, 1), ints(0, 4)], {},
        ` ${dtype} empty`);
    }
  });

  it('runtime: setNumThreads validation', () => {
    sameError('setNumThreads', [0], 'n=0');
    sameError('setNumThreads', [1.5], 'n=1.5');
    sameError('setNumThreads', [5000], 'n=5000');
    expect(typeof native!.getNumThreads()).toBe('number');
  });

  it('bad arguments throw the same error, class and message, on both backends', () => {
    const f = (n: number): Float32Array => new Float32Array(n);
    const d = (n: number): Float64Array => new Float64Array(n);
    const buf = new Float32Array(8);
    const cases: [KernelName, Arg[], string][] = [
      ['gemm', [false, false, 2, 2, 3, 1, f(5), f(6), 0, f(4)], 'short a'],
      ['gemm', [false, false, 2, 2, 3, 1, f(6), d(6), 0, f(4)], 'mixed types'],
      ['gemm', [false, false, -1, 2, 3, 1, f(6), f(6), 0, f(4)], 'negative m'],
      ['gemm', [false, false, 2.5, 2, 3, 1, f(6), f(6), 0, f(4)], 'fractional m'],
      ['gemm', [false, false, NaN, 2, 3, 1, f(6), f(6), 0, f(4)], 'NaN m'],
      ['gemm', [1 as unknown as boolean, false, 2, 2, 3, 1, f(6), f(6), 0, f(4)], 'number for transA'],
      ['gemm', [false, false, 2, 2, 3, 1, buf.subarray(0, 6), f(6), 0, buf.subarray(4, 8)], 'c overlaps a'],
      ['gemmBatched', [2, false, false, 2, 2, 2, 1, f(8), 4, f(8), 4, 0, f(8), 2], 'strideC < m·n'],
      ['gemmBatched', [2, false, false, 2, 2, 2, 1, f(7), 4, f(8), 4, 0, f(8), 4], 'short a'],
      ['add', [f(3), ints(1), f(3), ints(1), d(3), ints(3)], 'mixed types'],
      ['add', [f(2), ints(1), f(3), ints(1), f(3), ints(3)], 'short a'],
      ['add', [f(3), ints(1), f(3), ints(1), f(2), ints(3)], 'short out'],
      ['add', [f(3), ints(1, 1), f(3), ints(1), f(3), ints(3)], 'strides length'],
      ['add', [f(3), ints(-1), f(3), ints(1), f(3), ints(3)], 'negative stride'],
      ['add', [f(3), ints(1), f(3), ints(1), f(3), ints(-3)], 'negative shape'],
      ['div', [new Int32Array(1), ints(1), new Int32Array(1), ints(1), new Int32Array(1), ints(1)], 'int32 div'],
      ['add', [buf.subarray(0, 3), ints(1), f(3), ints(1), buf.subarray(1, 4), ints(3)], 'partial overlap'],
      ['add', [buf.subarray(0, 6), ints(0, 1), f(6), ints(3, 1), buf.subarray(0, 6), ints(2, 3)], 'in-place bcast'],
      ['add', [buf, ints(1), f(3), ints(1), buf.subarray(0, 3), ints(3)], 'alias of a different length'],
      ['add', [buf.subarray(0, 3), ints(1), f(3), ints(1), buf.subarray(0, 3), ints(3)], 'exact in-place (ok)'],
      ['exp', [f(3), f(4)], 'length mismatch'],
      ['exp', [new Int32Array(3), new Int32Array(3)], 'int32 exp'],
      ['neg', [f(3), d(3)], 'mixed types'],
      ['exp', [buf.subarray(0, 4), buf.subarray(2, 6)], 'partial overlap'],
      ['clamp', [f(3), NaN, 1, f(3)], 'NaN bound (ok, NaN out)'],
      ['clamp', [f(3), '0' as unknown as number, 1, f(3)], 'string bound'],
      ['sigmoidBackward', [f(3), f(2), f(3)], 'short dy'],
      ['reluBackward', [buf.subarray(0, 3), f(3), buf.subarray(0, 3)], 'dx is x (ok)'],
      ['sum', [f(5), 2, 3, 1, f(2)], 'short x'],
      ['mean', [new Int32Array(3), 1, 3, 1, new Int32Array(1)], 'int32 mean'],
      ['max', [f(0), 1, 0, 1, f(1), new Int32Array(1)], 'dim 0'],
      ['max', [f(6), 2, 3, 1, f(2), new Float32Array(2) as unknown as Int32Array], 'float indices'],
      ['softmax', [buf.subarray(0, 4), 1, 4, 1, buf.subarray(0, 4)], 'in place'],
      ['softmaxBackward', [f(4), f(3), 1, 4, 1, f(4)], 'short dy'],
      ['indexSelect', [f(6), 1, 3, 2, ints(0, 3), f(4)], 'index too big'],
      ['indexSelect', [f(6), 1, 3, 2, ints(-1), f(2)], 'negative index'],
      ['indexAdd', [d(2), 1, 3, 1, ints(0, 5), d(3)], 'index too big'],
      ['gather', [f(6), 2, 3, 1, ints(0, 1), 1, f(2)], 'ok'],
      ['gather', [f(6), 2, 3, 1, ints(0), 1, f(2)], 'short idx'],
      ['scatterAdd', [d(2), 1, 3, 1, ints(0, 3), 2, d(3)], 'index too big'],
      ['scatterAdd', [new Int32Array(2), 1, 3, 1, ints(0, 1), 2, new Int32Array(3)], 'int32 scatter'],
      ['copy', [f(3), f(2)], 'short dst'],
      ['copy', [buf.subarray(0, 3), buf.subarray(2, 5)], 'overlap'],
      ['copy', [buf.subarray(0, 3), buf.subarray(0, 3)], 'identity'],
      ['cast', [f(3), new Int32Array(2)], 'short dst'],
      ['fill', [[1, 2] as unknown as Float32Array, 1], 'plain array'],
      ['transpose2d', [f(5), 2, 3, f(6)], 'short x'],
      ['copyStrided', [f(4), 0, ints(1), f(4), 0, ints(1), ints(5)], 'reach'],
      ['copyStrided', [f(4), 0, ints(1), f(4), 0, ints(0), ints(4)], 'dst stride 0'],
      ['copyStrided', [f(4), 1, ints(-1), f(4), 0, ints(1), ints(3)], 'negative reach'],
      ['copyStrided', [buf, 0, ints(1), buf, 2, ints(1), ints(4)], 'overlapping ranges'],
      ['copyStrided', [buf, 0, ints(1), buf, 4, ints(1), ints(4)], 'disjoint ranges of one buffer (ok)'],
      ['copyStrided', [f(4), 0, ints(1, 1), f(4), 0, ints(1), ints(4)], 'strides length'],
    ];
    for (const [name, args, label] of cases) sameError(name, args, label);
  });
});
