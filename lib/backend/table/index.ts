/**
 * The kernel table: one declaration per kernel, in the order of the `Kernels`
 * interface, which is derived from it (lib/backend/kernels.ts). Each entry's
 * TSDoc is what editors show for `kernels().name`. Conventions shared by every
 * kernel are stated in kernels.ts.
 */
import { ACT_TANH, REDUCTION_SUM } from '../kernels';
import { axis, axisBackward, axisForward, binary, reduction, unary, unaryBackward, unaryScalar } from './families';
import { checkCopyStrided, randomCopyStrided } from './strided-checks';
import { fixCondition, fixSortLanes } from './seqops';
import { CONV_GRID, CONV_IMAGE, CONV_WEIGHT, convArgs } from './conv';
import { checkAvgPool, checkBatchNormStats, checkMaxPool, fixBatchNormDraw, fixPoolDraw } from './pool';
import { checkAdagradStep, checkRmspropStep, fixRmspropDraw } from './rmsprop-adagrad';
import {
  LOOSE, MAX_OFFSET, atLeast, code, flag, inout, input, int32, kernel, optional, output, reduced, sameAs, scalar,
  shape, size, strides,
} from './spec';
import { fixedText, rangeError, typeError } from './messages';
import type { Float, Num } from '../kernels';

/** A recurrent layer's sizes and direction (the sequence kernels). */
const sequenceSizes = [size('steps', [0, 3]), size('batch', [0, 3]), size('hidden', [0, 4]), flag('reverse')] as const;

const gemmArgs = [
  flag('transA'), flag('transB'), size('m'), size('n'), size('k'), scalar('alpha', [1, 0.5, -2, 0]),
] as const;

/** Checks of the cross-entropy targets: each in [0, c) or the ignored index. */
function checkTargets(this: string, _x: Float, t: Int32Array, _w: Float | null, n: number, c: number, ignore: number): void {
  for (let r = 0; r < n; r++) {
    const v = t[r];
    if (v !== ignore && (v < 0 || v >= c)) {
      throw rangeError(this, `target ${v} at targets[${r}] is out of range for ${c} classes`);
    }
  }
}

/** posWeight needs a period p > 0 that divides n. */
function checkPeriod(this: string, _x: Float, _y: Float, pw: Float | null, n: number, p: number): void {
  if (pw !== null && (p === 0 || n % p !== 0)) {
    throw rangeError(this, `p (${p}) must be positive and divide n (${n}) when posWeight is given`);
  }
}

/** Targets for a random cross-entropy call: mostly classes in [0, c), some ignored. */
function fixTargets(v: Record<string, unknown>, rng: { chance(p: number): boolean; int(lo: number, hi: number): number }): void {
  const t = v.targets as Int32Array;
  const c = v.c as number;
  for (let i = 0; i < t.length; i++) t[i] = rng.chance(0.15) || c === 0 ? (v.ignoreIndex as number) : rng.int(0, c - 1);
}

/** The kernel table. */
export const KERNEL_TABLE = {
  // ---- GEMM -------------------------------------------------------------
  /**
   * gemm(transA, transB, m, n, k, alpha, a, b, beta, c):
   * c = alpha · op(a) · op(b) + beta · c, row-major. op(a) is m×k (a is k×m when
   * transA), op(b) is k×n (b is n×k when transB), c is m×n. When beta is 0, c is
   * not read (NaNs in c do not propagate); when alpha is 0, a and b are not read, as BLAS specifies.
   */
  gemm: kernel([
    ...gemmArgs, input('a', 'float', atLeast('m*k')), input('b', 'float', atLeast('k*n')),
    scalar('beta', [0, 1, 0.5]), output('c', 'float', atLeast('m*n')),
  ]),
  /**
   * gemmBatched(batch, transA, transB, m, n, k, alpha, a, strideA, b, strideB, beta, c, strideC):
   * `batch` independent GEMMs; matrix i of a/b/c starts at i·strideA/B/C.
   * A stride of 0 reuses one matrix for every batch entry (broadcasting).
   */
  gemmBatched: kernel([
    size('batch'), ...gemmArgs,
    input('a', 'float', atLeast('(batch-1)*strideA + m*k', 'batch > 0 && m*k > 0 && m*n > 0')), size('strideA', [0, 16], MAX_OFFSET),
    input('b', 'float', atLeast('(batch-1)*strideB + k*n', 'batch > 0 && k*n > 0 && m*n > 0')), size('strideB', [0, 16], MAX_OFFSET),
    scalar('beta', [0, 1]),
    output('c', 'float', atLeast('(batch-1)*strideC + m*n', 'batch > 0 && m*n > 0')), size('strideC', [0, 16], MAX_OFFSET),
  ], {
    checkAfter: 'types',
    check(this: string, batch: number, _tA: boolean, _tB: boolean, m: number, n: number, _k: number, _al: number,
      _a: Float, _sa: number, _b: Float, _sb: number, _be: number, _c: Float, strideC: number): void {
      const mn = m * n;
      if (batch > 1 && mn > 0 && strideC < mn) {
        // The addon computes m*n in exact int64.
        const exact = mn > Number.MAX_SAFE_INTEGER ? BigInt(m) * BigInt(n) : mn;
        throw rangeError(this, `strideC (${strideC}) is smaller than m*n (${exact}): the output matrices would overlap`);
      }
    },
    fixDraw(v, rng) {
      const mk = (v.m as number) * (v.k as number);
      const kn = (v.k as number) * (v.n as number);
      v.strideA = rng.chance(0.3) ? 0 : mk;
      v.strideB = rng.chance(0.3) ? 0 : kn;
      v.strideC = (v.m as number) * (v.n as number) + rng.int(0, 1);
    },
  }),

  // ---- broadcasting binary ops (Num unless noted) ------------------------
  /**
   * add(a, aStrides, b, bStrides, out, shape): out = a + b with broadcasting. `shape`
   * is the output shape; aStrides/bStrides give, per output dim, the element stride
   * into a/b (0 where broadcast). `out` may be a or b itself when that input is
   * not broadcast (in-place ops). int32 wraps.
   */
  add: binary('num'),
  /** out = a − b with broadcasting (see add). */
  sub: binary('num'),
  /** out = a · b with broadcasting (see add; int32 wraps). */
  mul: binary('num'),
  /** out = a / b with broadcasting; int32 division is done in float by the caller. Float only. */
  div: binary('float'),
  /** out = a ** b with broadcasting, C pow semantics. Float only. */
  pow: binary('float'),
  /** out = max(a, b), NaN-propagating. */
  maximum: binary('num'),
  /** out = min(a, b), NaN-propagating. */
  minimum: binary('num'),
  /** out = 1 where a == b else 0, in the inputs' type. */
  eq: binary('num'),
  /** out = a > b ? 1 : 0. */
  gt: binary('num'),
  /** out = a < b ? 1 : 0. */
  lt: binary('num'),
  /** out = a >= b ? 1 : 0. */
  ge: binary('num'),
  /** out = a <= b ? 1 : 0. */
  le: binary('num'),

  // ---- elementwise unary ops: (x, out), out may be x ------------------------
  /** out = −x (Num; int32 −(−2^31) wraps). */
  neg: unary('num'),
  /** out = |x| (Num). */
  abs: unary('num'),
  /** out = sign(x): −1, 0 or 1; NaN stays NaN (Num). */
  sign: unary('num'),
  /** out = e^x. */
  exp: unary('float'),
  /** out = ln x. */
  log: unary('float'),
  /** out = √x. */
  sqrt: unary('float'),
  /** out = sin x. */
  sin: unary('float'),
  /** out = cos x. */
  cos: unary('float'),
  /** out = max(x, 0); NaN propagates. */
  relu: unary('float'),
  /** out = 1 / (1 + e^−x). */
  sigmoid: unary('float'),
  /** out = tanh x. */
  tanh: unary('float'),
  /** leakyRelu(x, slope, out): out = x > 0 ? x : slope·x. */
  leakyRelu: unaryScalar('float', 'slope', [0.01, 0.2, 0, -1]),
  /** powScalar(x, p, out): out = x ** p for a scalar exponent p. */
  powScalar: unaryScalar('float', 'p', [2, 3, 0.5, -1, 0, 1.5]),
  /** clamp(x, lo, hi, out): out = min(max(x, lo), hi); ±Infinity leaves that side open; NaN stays NaN (Num). */
  clamp: kernel([
    input('x', 'num'), scalar('lo', [-1, 0, -Infinity]), scalar('hi', [1, 2, Infinity]),
    output('out', 'num', sameAs('x'), { alias: ['x'] }),
  ]),

  /** reluBackward(x, dy, dx): dx = dy · (x > 0), saved = forward input x. */
  reluBackward: unaryBackward(),
  /** sigmoidBackward(y, dy, dx): dx = dy · y · (1 − y), saved = forward output y. */
  sigmoidBackward: unaryBackward(),
  /** tanhBackward(y, dy, dx): dx = dy · (1 − y²), saved = forward output y. */
  tanhBackward: unaryBackward(),
  /** leakyReluBackward(x, slope, dy, dx): dx = dy · (x > 0 ? 1 : slope), saved = forward input x. */
  leakyReluBackward: kernel([
    input('x', 'float'), scalar('slope', [0.1, 0.01]), input('dy', 'float', sameAs('x')),
    output('dx', 'float', sameAs('x'), { alias: ['x', 'dy'] }),
  ]),
  /** clampBackward(x, lo, hi, dy, dx): dx = dy · (lo ≤ x ≤ hi), saved = forward input x (PyTorch's clamp gradient). */
  clampBackward: kernel([
    input('x', 'float'), scalar('lo', [-0.5, -Infinity]), scalar('hi', [0.5, Infinity]), input('dy', 'float', sameAs('x')),
    output('dx', 'float', sameAs('x'), { alias: ['x', 'dy'] }),
  ]),

  // ---- reductions along an axis: x viewed as [outer, dim, inner] -------------
  /** sum(x, outer, dim, inner, out): out[o, i] = Σ_d x[o, d, i]. Float sums accumulate in float64. */
  sum: reduction('num'),
  /** mean(x, outer, dim, inner, out): out[o, i] = mean_d x[o, d, i] (Float). An empty axis gives NaN. */
  mean: reduction('float'),
  /**
   * max(x, outer, dim, inner, out, indices): values into out [outer, inner] and the
   * index of the first extreme element into indices. NaN counts as the extreme
   * (PyTorch propagates NaN). dim must be ≥ 1.
   */
  max: argReduction(),
  /** min(x, outer, dim, inner, out, indices): as max. */
  min: argReduction(),

  // ---- softmax family ------------------------------------------------------
  /** softmax(x, outer, dim, inner, out): numerically stable softmax (max subtracted) over the axis. */
  softmax: axisForward(),
  /** logSoftmax(x, outer, dim, inner, out): numerically stable log-softmax over the axis. */
  logSoftmax: axisForward(),
  /** softmaxBackward(y, dy, outer, dim, inner, dx): dx = y · (dy − Σ dy·y), y = softmax output. */
  softmaxBackward: axisBackward(),
  /** logSoftmaxBackward(y, dy, outer, dim, inner, dx): dx = dy − exp(y) · Σ dy, y = log-softmax output. */
  logSoftmaxBackward: axisBackward(),

  // ---- indexing: every index must lie in [0, dimX) (RangeError otherwise) ----
  /** indexSelect(x, outer, dimX, inner, idx, out): out[o, j, i] = x[o, idx[j], i]; out is [outer, idx.length, inner]. */
  indexSelect: kernel([
    input('x', 'num', atLeast('outer*dimX*inner')), ...axis('dimX', [1, 4]),
    input('idx', 'int32', undefined, { values: { kind: 'index', bound: 'dimX', count: 'idx.length' } }),
    output('out', 'num', atLeast('outer*idx.length*inner')),
  ], { checkAfter: 'overlaps' }),
  /** indexAdd(dy, outer, dimX, inner, idx, dx): dx[o, idx[j], i] += dy[o, j, i]; accumulates into dx. */
  indexAdd: kernel([
    input('dy', 'float', atLeast('outer*idx.length*inner')), ...axis('dimX', [1, 4]),
    input('idx', 'int32', undefined, { values: { kind: 'index', bound: 'dimX', count: 'idx.length' } }),
    inout('dx', 'float', atLeast('outer*dimX*inner')),
  ], { checkAfter: 'overlaps' }),
  /** gather(x, outer, dimX, inner, idx, n, out): out[o, j, i] = x[o, idx[o, j, i], i] (torch.gather on the middle axis). */
  gather: kernel([
    input('x', 'num', atLeast('outer*dimX*inner')), ...axis('dimX', [1, 4]),
    input('idx', 'int32', atLeast('outer*n*inner'), { values: { kind: 'index', bound: 'dimX', count: 'outer*n*inner' } }),
    size('n'), output('out', 'num', atLeast('outer*n*inner')),
  ], { checkAfter: 'overlaps' }),
  /** scatterAdd(dy, outer, dimX, inner, idx, n, dx): dx[o, idx[o, j, i], i] += dy[o, j, i]; accumulates into dx. */
  scatterAdd: kernel([
    input('dy', 'float', atLeast('outer*n*inner')), ...axis('dimX', [1, 4]),
    input('idx', 'int32', atLeast('outer*n*inner'), { values: { kind: 'index', bound: 'dimX', count: 'outer*n*inner' } }),
    size('n'), inout('dx', 'float', atLeast('outer*dimX*inner')),
  ], { checkAfter: 'overlaps' }),

  // ---- memory ------------------------------------------------------------------
  /** copy(src, dst): dst[0..src.length) = src. Same element type. */
  copy: kernel([input('src', 'num'), output('dst', 'num', atLeast('src.length'))]),
  /** cast(src, dst): dst[i] = converted src[i] for any pair of types (float → int32 truncates toward 0). */
  cast: kernel([input('src', 'any'), output('dst', 'any', atLeast('src.length'))]),
  /** fill(dst, value): dst[i] = value for every element. */
  fill: kernel([output('dst', 'num'), scalar('value', [0, 1, -2.5, 7, 1e6])]),
  /** transpose2d(x, rows, cols, out): out[j, i] = x[i, j] for x [rows, cols]. */
  transpose2d: kernel([
    input('x', 'num', atLeast('rows*cols')), size('rows'), size('cols'), output('out', 'num', atLeast('rows*cols')),
  ]),
  /**
   * copyStrided(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape): for every
   * index (i0..) of `shape`, dst[dstOffset + Σ i·dstStrides] = src[srcOffset + Σ i·srcStrides].
   * Used for permutes, slices, concatenation and expands. Strides may be 0 in
   * src (broadcast) but the written dst positions must not overlap.
   */
  copyStrided: kernel([
    input('src', 'num', undefined, { customOverlap: true }), size('srcOffset', [0, 2], MAX_OFFSET), strides('srcStrides'),
    output('dst', 'num', undefined, { customOverlap: true }), size('dstOffset', [0, 2], MAX_OFFSET), strides('dstStrides'),
    shape('shape'),
  ], { check: checkCopyStrided, make: randomCopyStrided }),

  // ---- fused kernels ----------------------------------------------------------
  /**
   * linearForward(x, w, b, rows, in, out, act, slope, y):
   * y [rows, out] = act(x [rows, in] · w [out, in]ᵀ + b [out]): one GEMM, then one
   * pass over its output adding the bias (b null: none) and applying `act`
   * (an ACT_* code; `slope` is used by ACT_LEAKY_RELU only). The activation
   * formulas are those of the unary kernels, so the result equals the unfused
   * gemm → add → activation sequence.
   */
  linearForward: kernel([
    input('x', 'float', atLeast('rows*in')), input('w', 'float', atLeast('out*in')), optional('in', 'b', 'float', atLeast('out')),
    size('rows'), size('in'), size('out'), code('act', ACT_TANH), scalar('slope', [0.01, 0.2]),
    output('y', 'float', atLeast('rows*out')),
  ], { tol: LOOSE }),
  /**
   * linearBackward(x, w, y, dy, rows, in, out, act, slope, dz, dx, dw, db):
   * backward of linearForward from its output `y` and upstream `dy` (both
   * [rows, out]). One pass writes dz = dy · act'(y) into `dz` (may be exactly
   * dy or y) and, when `db` is given, db[j] = Σ_r dz[r, j] (float64
   * accumulation); then dx = dz · w and dw = dzᵀ · x. `dx`, `dw`, `db` may each
   * be null (not wanted). Outputs are overwritten, never accumulated into.
   * ACT_LEAKY_RELU needs slope ≥ 0 (RangeError otherwise).
   */
  linearBackward: kernel([
    input('x', 'float', atLeast('rows*in')), input('w', 'float', atLeast('out*in')),
    input('y', 'float', atLeast('rows*out')), input('dy', 'float', atLeast('rows*out')),
    size('rows'), size('in'), size('out'), code('act', ACT_TANH), scalar('slope', [0.01, 0.2, 0]),
    output('dz', 'float', atLeast('rows*out'), { alias: ['y', 'dy'] }),
    optional('out', 'dx', 'float', atLeast('rows*in')), optional('out', 'dw', 'float', atLeast('out*in')),
    optional('out', 'db', 'float', atLeast('out')),
  ], {
    tol: LOOSE,
    checkAfter: 'types',
    check(this: string, _x: Float, _w: Float, _y: Float, _dy: Float, _r: number, _i: number, _o: number, act: number, slope: number): void {
      if (act === 2 && !(slope >= 0)) {
        throw rangeError(this, `slope must be >= 0 for leakyRelu (the gradient is read from the sign of y), got ${fixedText(slope)}`);
      }
    },
  }),
  /**
   * softmaxCrossEntropy(logits, targets, weight, n, c, ignoreIndex, reduction, out):
   * cross-entropy of logits [n, c] against int32 class targets [n] in one pass
   * (log-sum-exp with the max subtracted): ℓ_r = −w[t_r]·log softmax(x_r)[t_r],
   * 0 where t_r == ignoreIndex; weight null means all ones. REDUCTION_NONE writes
   * ℓ into out[0..n); REDUCTION_MEAN writes Σℓ / Σ w[t] over kept targets
   * (PyTorch's weighted mean; NaN when none is kept) into out[0]; REDUCTION_SUM Σℓ.
   * A target outside [0, c) that is not ignoreIndex is a RangeError.
   */
  softmaxCrossEntropy: kernel([
    ...crossEntropyArgs(), output('out', 'float', reduced('n')),
  ], { check: checkTargets, fixBuffers: fixTargets, tol: LOOSE }),
  /**
   * softmaxCrossEntropyBackward(logits, targets, weight, n, c, ignoreIndex, reduction, dout, dlogits):
   * dlogits = (softmax(x) − onehot(t)) · w[t] · g in one pass per row (0 rows where
   * ignored); g = dout[r] (none), dout[0] / Σ w[t] (mean) or dout[0] (sum).
   */
  softmaxCrossEntropyBackward: kernel([
    ...crossEntropyArgs(), input('dout', 'float', reduced('n')), output('dlogits', 'float', atLeast('n*c')),
  ], { check: checkTargets, fixBuffers: fixTargets, tol: LOOSE }),
  /**
   * sigmoidBCE(x, y, posWeight, n, p, reduction, out): binary cross-entropy with
   * logits over n elements, PyTorch 1.13's stable form:
   * ℓ = (1 − y)·x + lw·softplus(−x), softplus(z) = m + log(e^−m + e^(z−m)),
   * m = max(z, 0), lw = (pw[i mod p] − 1)·y + 1 (1 when posWeight is null; p > 0
   * must divide n when it is given). Reduced as softmaxCrossEntropy (mean divides by n).
   */
  sigmoidBCE: kernel([...bceArgs(), output('out', 'float', reduced('n'))], {
    check: checkPeriod, fixDraw: fixPeriod, tol: LOOSE,
  }),
  /** sigmoidBCEBackward(x, y, posWeight, n, p, reduction, dout, dx): dx = (σ(x) − y)·g, or ((pw·y + 1 − y)·σ(x) − pw·y)·g; g = dout[i], dout[0] / n or dout[0]. */
  sigmoidBCEBackward: kernel([...bceArgs(), input('dout', 'float', reduced('n')), output('dx', 'float', atLeast('n'))], {
    check: checkPeriod, fixDraw: fixPeriod, tol: LOOSE,
  }),
  /**
   * bce(x, y, n, reduction, out): binary cross-entropy of probabilities x against y
   * over n elements, rounded as the op-by-op loss:
   * ℓ = −(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100)), reduced as
   * sigmoidBCE. Returns −1, or the index of the first x outside [0, 1] (NaN
   * included), in which case `out` is left untouched.
   */
  bce: kernel([...probabilityArgs(), output('out', 'float', reduced('n'))], { returns: 'number', tol: LOOSE }),
  /** bceBackward(x, y, n, reduction, dout, dx): dx = g·(x − y) / max((1 − x)·x, ε), ε = float(1e-12) (PyTorch's); g = dout[i], dout[0] / n or dout[0]. */
  bceBackward: kernel([...probabilityArgs(), input('dout', 'float', reduced('n')), output('dx', 'float', atLeast('n'))], { tol: LOOSE }),
  /**
   * sgdStep(param, grad, momentumBuf, lr, momentum, dampening, weightDecay, nesterov, maximize, firstStep):
   * one SGD update in place, PyTorch 1.13's order: g ← −g if maximize; g ← g + λθ
   * (weightDecay ≠ 0); with momentum ≠ 0: b ← g when firstStep else μb + (1−τ)g,
   * g ← g + μb (nesterov) or b; θ ← θ − lr·g. Every intermediate and scalar is
   * rounded to the buffers' type as the op-by-op update rounds it, so both give
   * the same numbers. momentumBuf may be null only when momentum is 0.
   */
  sgdStep: kernel([
    inout('param', 'float'), input('grad', 'float', sameAs('param')), optional('inout', 'momentumBuf', 'float', sameAs('param')),
    scalar('lr', [0.1, 1, 0.01]), scalar('momentum', [0, 0.9]), scalar('dampening', [0, 0.1]), scalar('weightDecay', [0, 1e-2]),
    flag('nesterov'), flag('maximize'), flag('firstStep'),
  ], {
    pairwise: true,
    checkAfter: 'types',
    check(this: string, _p: Float, _g: Float, buf: Float | null, _lr: number, momentum: number): void {
      if (momentum !== 0 && buf === null) {
        throw typeError(this, 'momentumBuf must be a Float32Array or Float64Array when momentum != 0 (got null)');
      }
    },
    fixDraw(v) {
      if (v.momentum !== 0 && v.momentumBuf === null) v.momentum = 0;
      if (v.nesterov === true) {
        v.momentum = 0.9;
        v.dampening = 0;
      }
    },
  }),
  /**
   * adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, step, lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize):
   * one Adam (decoupled: AdamW) update in place, PyTorch 1.13's single-tensor
   * order; `step` is the step count t after this update (≥ 1). maxExpAvgSq may
   * be null unless amsgrad. Rounded like sgdStep.
   */
  adamStep: kernel([
    inout('param', 'float'), input('grad', 'float', sameAs('param')), inout('expAvg', 'float', sameAs('param')),
    inout('expAvgSq', 'float', sameAs('param'), { values: { kind: 'range', lo: 0, hi: 2 } }),
    optional('inout', 'maxExpAvgSq', 'float', sameAs('param'), { values: { kind: 'range', lo: 0, hi: 2 } }),
    size('step', [1, 20], MAX_OFFSET), scalar('lr', [1e-3, 0.1]), scalar('beta1', [0.9]), scalar('beta2', [0.999]),
    scalar('eps', [1e-8]), scalar('weightDecay', [0, 1e-2]), flag('decoupled'), flag('amsgrad'), flag('maximize'),
  ], {
    pairwise: true,
    checkAfter: 'types',
    check(this: string, _p: Float, _g: Float, _m: Float, _v: Float, vmax: Float | null, step: number,
      _lr: number, _b1: number, _b2: number, _eps: number, _wd: number, _dec: boolean, amsgrad: boolean): void {
      if (step < 1) throw rangeError(this, 'step must be at least 1 (the count after this update)');
      if (amsgrad && vmax === null) {
        throw typeError(this, 'maxExpAvgSq must be a Float32Array or Float64Array when amsgrad is true (got null)');
      }
    },
    fixDraw(v) {
      if (v.maxExpAvgSq === null) v.amsgrad = false;
    },
  }),

  // ---- runtime -----------------------------------------------------------------
  /** getNumThreads(): threads that split a large GEMM or optimizer step (1 for the js backend). */
  getNumThreads: kernel([], { parity: false, returns: 'number' }),
  /** setNumThreads(n): sets that count for the calling thread (1 ≤ n ≤ 1024). A no-op for the js backend. */
  setNumThreads: kernel([size('n', [1, 2], 1024)], {
    parity: false,
    checkAfter: 'types',
    check(this: string, n: number): void {
      if (n < 1) throw rangeError(this, 'n must be >= 1 (got 0)');
    },
  }),

  // ---- seqops: where, cumsum, sort ------------------------------------------------
  /**
   * where(cond, a, b, out): out[i] = cond[i] != 0 ? a[i] : b[i], all four of one
   * length (the op broadcasts first). `cond` may have any storage type (NaN
   * counts as true); a, b and out share theirs. `out` may be exactly a or b.
   */
  where: kernel([
    input('cond', 'any'), input('a', 'num', sameAs('cond')), input('b', 'num', sameAs('cond')),
    output('out', 'num', sameAs('cond'), { alias: ['a', 'b'] }),
  ], { fixBuffers: fixCondition }),
  /**
   * cumsum(x, outer, dim, inner, reverse, out): out[o, d, i] = Σ_{e ≤ d} x[o, e, i]
   * (reverse: Σ_{e ≥ d}, the backward of cumsum). Float sums run in float64 and
   * round each prefix once, as PyTorch's CPU kernel; int32 wraps.
   */
  cumsum: kernel([
    input('x', 'num', atLeast('outer*dim*inner')), ...axis(), flag('reverse'),
    output('out', 'num', atLeast('outer*dim*inner')),
  ]),
  /**
   * sort(x, outer, dim, inner, descending, values, indices): each [outer, ·, inner]
   * lane sorted along the middle axis, stably (equal values keep their order in
   * both directions, PyTorch's `stable=True`); NaN sorts above every number, as
   * PyTorch's. `indices` holds each value's position in x.
   */
  sort: kernel([
    input('x', 'num', atLeast('outer*dim*inner')), ...axis(), flag('descending'),
    output('values', 'num', atLeast('outer*dim*inner')), output('indices', 'int32', atLeast('outer*dim*inner')),
  ], { fixBuffers: fixSortLanes }),
  // ---- layers: activations with parameters, layer normalization ------------------
  /** out = x·Φ(x) = x/2 · (1 + erf(x/√2)) (PyTorch's exact GELU). */
  gelu: unary('float'),
  /** out = x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³))) (PyTorch's GELU with approximate='tanh'). */
  geluTanh: unary('float'),
  /** out = x·σ(x) = x / (1 + e^−x). */
  silu: unary('float'),
  /** elu(x, alpha, out): out = x > 0 ? x : alpha·(eˣ − 1). */
  elu: unaryScalar('float', 'alpha', [1, 0.5, 2, 0]),
  /** softplusScaled(x, beta, threshold, out): out = x·beta > threshold ? x : log(1 + e^(x·beta)) / beta (PyTorch's softplus). */
  softplusScaled: kernel([
    input('x', 'float'), scalar('beta', [1, 2, 0.5]), scalar('threshold', [20, 1, 5]),
    output('out', 'float', sameAs('x'), { alias: ['x'] }),
  ], { tol: LOOSE }),
  /** geluBackward(x, dy, dx): dx = dy · (Φ(x) + x·φ(x)), saved = forward input x. */
  geluBackward: unaryBackward(),
  /** geluTanhBackward(x, dy, dx): the derivative of geluTanh times dy, saved = forward input x. */
  geluTanhBackward: unaryBackward(),
  /** siluBackward(x, dy, dx): dx = dy · σ(x)·(1 + x·(1 − σ(x))), saved = forward input x. */
  siluBackward: unaryBackward(),
  /** eluBackward(x, alpha, dy, dx): dx = x > 0 ? dy : dy·alpha·eˣ, saved = forward input x. */
  eluBackward: kernel([
    input('x', 'float'), scalar('alpha', [1, 0.5]), input('dy', 'float', sameAs('x')),
    output('dx', 'float', sameAs('x'), { alias: ['x', 'dy'] }),
  ], { tol: LOOSE }),
  /** softplusScaledBackward(x, beta, threshold, dy, dx): dx = x·beta > threshold ? dy : dy·z/(z + 1), z = e^(x·beta). */
  softplusScaledBackward: kernel([
    input('x', 'float'), scalar('beta', [1, 2, 0.5]), scalar('threshold', [20, 1, 5]), input('dy', 'float', sameAs('x')),
    output('dx', 'float', sameAs('x'), { alias: ['x', 'dy'] }),
  ], { tol: LOOSE }),
  /**
   * layerNorm(x, weight, bias, rows, cols, eps, y, mean, rstd): each row of x
   * [rows, cols] normalised, y = (x − mean)·rstd·weight + bias with
   * rstd = 1/√(var + eps) (biased variance, accumulated in float64); weight and
   * bias [cols] may each be null. The row's mean and rstd are written to
   * mean [rows] and rstd [rows] for the backward.
   */
  layerNorm: kernel([
    input('x', 'float', atLeast('rows*cols')), optional('in', 'weight', 'float', atLeast('cols')),
    optional('in', 'bias', 'float', atLeast('cols')), size('rows'), size('cols'), scalar('eps', [1e-5, 1e-3, 0.1]),
    output('y', 'float', atLeast('rows*cols')), output('mean', 'float', atLeast('rows')), output('rstd', 'float', atLeast('rows')),
  ], { tol: LOOSE }),
  /**
   * layerNormBackward(x, weight, mean, rstd, dy, rows, cols, dx, dweight, dbias):
   * from layerNorm's saved mean and rstd, with x̂ = (x − mean)·rstd and
   * g = dy·weight: dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) per row,
   * dweight = Σ_rows dy·x̂, dbias = Σ_rows dy. Each output may be null (not
   * wanted) and is overwritten, never accumulated into.
   */
  layerNormBackward: kernel([
    input('x', 'float', atLeast('rows*cols')), optional('in', 'weight', 'float', atLeast('cols')),
    input('mean', 'float', atLeast('rows')), input('rstd', 'float', atLeast('rows'), { values: { kind: 'range', lo: 0.5, hi: 2 } }),
    input('dy', 'float', atLeast('rows*cols')), size('rows'), size('cols'),
    optional('out', 'dx', 'float', atLeast('rows*cols')), optional('out', 'dweight', 'float', atLeast('cols')),
    optional('out', 'dbias', 'float', atLeast('cols')),
  ], { tol: LOOSE }),
  // ---- pooling and batch norm ------------------------------------------------
  /**
   * maxPool2d(x, planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, out, indices):
   * max over each window of x [planes, h, w] into out [planes, oh, ow]: window
   * (i, j) holds the taps (i·sh − ph + a·dh, j·sw − pw + b·dw), a < kh, b < kw,
   * that lie inside the input (padding counts as −∞). indices gets the flat
   * index r·w + c in its plane of the first maximum (a NaN wins, as PyTorch's).
   * Kernel, stride and dilation must be ≥ 1, h·w at most 2^31 − 1 and every
   * window must cover an input element (RangeError otherwise).
   */
  maxPool2d: kernel([
    input('x', 'float', atLeast('planes*h*w')), ...poolSizes(), size('dh', [1, 2]), size('dw', [1, 2]),
    size('oh', [1, 4]), size('ow', [1, 4]),
    output('out', 'float', atLeast('planes*oh*ow')), output('indices', 'int32', atLeast('planes*oh*ow')),
  ], { check: checkMaxPool, fixDraw: fixPoolDraw }),
  /**
   * maxPool2dBackward(dy, indices, planes, inSize, outSize, dx): dx [planes, inSize]
   * = 0, then dx[p, indices[p, o]] += dy[p, o] for dy, indices [planes, outSize].
   */
  maxPool2dBackward: kernel([
    input('dy', 'float', atLeast('planes*outSize')),
    input('indices', 'int32', atLeast('planes*outSize'), { values: { kind: 'index', bound: 'inSize', count: 'planes*outSize' } }),
    size('planes', [1, 3]), size('inSize', [1, 9]), size('outSize', [1, 6]), output('dx', 'float', atLeast('planes*inSize')),
  ], { checkAfter: 'overlaps' }),
  /**
   * avgPool2d(x, planes, h, w, kh, kw, sh, sw, ph, pw, oh, ow, countIncludePad, divisor, out):
   * mean over each window of x [planes, h, w] into out [planes, oh, ow], PyTorch's
   * divisor: `divisor` when it is not 0, else the window's size clipped to the
   * padded input (countIncludePad) or to the input. Geometry as maxPool2d (no dilation).
   */
  avgPool2d: kernel([
    input('x', 'float', atLeast('planes*h*w')), ...poolSizes(), size('oh', [1, 4]), size('ow', [1, 4]),
    flag('countIncludePad'), scalar('divisor', [0, 0, 3, 2]), output('out', 'float', atLeast('planes*oh*ow')),
  ], { check: checkAvgPool, fixDraw: fixPoolDraw }),
  /** avgPool2dBackward(dy, planes, h, w, kh, kw, sh, sw, ph, pw, oh, ow, countIncludePad, divisor, dx): dx = 0, then each dy spread over its window / divisor. */
  avgPool2dBackward: kernel([
    input('dy', 'float', atLeast('planes*oh*ow')), ...poolSizes(), size('oh', [1, 4]), size('ow', [1, 4]),
    flag('countIncludePad'), scalar('divisor', [0, 0, 3, 2]), output('dx', 'float', atLeast('planes*h*w')),
  ], { check: checkAvgPool, fixDraw: fixPoolDraw }),
  /**
   * adaptiveAvgPool2d(x, planes, h, w, oh, ow, out): out[p, i, j] = mean of x[p] over rows
   * ⌊i·h/oh⌋ .. ⌈(i+1)·h/oh⌉ − 1 and columns likewise (PyTorch's windows; an empty window gives NaN).
   */
  adaptiveAvgPool2d: kernel([
    input('x', 'float', atLeast('planes*h*w')), ...adaptiveSizes(), output('out', 'float', atLeast('planes*oh*ow')),
  ]),
  /** adaptiveAvgPool2dBackward(dy, planes, h, w, oh, ow, dx): dx = 0, then each dy spread evenly over its window. */
  adaptiveAvgPool2dBackward: kernel([
    input('dy', 'float', atLeast('planes*oh*ow')), ...adaptiveSizes(), output('dx', 'float', atLeast('planes*h*w')),
  ]),
  /**
   * batchNormForward(x, n, c, inner, weight, bias, runningMean, runningVar, training, momentum, eps, y, saveMean, saveInvstd):
   * batch norm of x [n, c, inner] per channel. Training: mean and biased variance
   * over (n, inner) (float64 sums), saveMean = mean, saveInvstd = 1/√(var + eps),
   * and the running statistics given (either may be null) become
   * (1 − momentum)·r + momentum·stat with the unbiased variance var·m/(m − 1),
   * m = n·inner. Eval: saveMean = runningMean, saveInvstd = 1/√(runningVar + eps)
   * (both required). y = (x − saveMean)·saveInvstd·weight + bias (null weight: 1, bias: 0).
   */
  batchNormForward: kernel([
    input('x', 'float', atLeast('n*c*inner')), size('n', [1, 3]), size('c', [1, 3]), size('inner', [1, 4]),
    optional('in', 'weight', 'float', atLeast('c')), optional('in', 'bias', 'float', atLeast('c')),
    optional('inout', 'runningMean', 'float', atLeast('c')),
    optional('inout', 'runningVar', 'float', atLeast('c'), { values: { kind: 'range', lo: 0.1, hi: 2 } }),
    flag('training'), scalar('momentum', [0.1, 0.5, 1]), scalar('eps', [1e-5, 0.1]),
    output('y', 'float', atLeast('n*c*inner')), output('saveMean', 'float', atLeast('c')), output('saveInvstd', 'float', atLeast('c')),
  ], { tol: LOOSE, check: checkBatchNormStats, checkAfter: 'types', fixDraw: fixBatchNormDraw }),
  /**
   * batchNormBackward(x, dy, n, c, inner, weight, saveMean, saveInvstd, training, dx, dweight, dbias):
   * from batchNormForward's saved statistics, with x̂ = (x − saveMean)·saveInvstd:
   * dbias = Σ dy, dweight = Σ dy·x̂ (float64 sums over (n, inner)); dx =
   * weight·saveInvstd·(dy − dbias/m − x̂·dweight/m) when training (the batch
   * statistics depend on x), weight·saveInvstd·dy otherwise. Outputs may be null (not wanted).
   */
  batchNormBackward: kernel([
    input('x', 'float', atLeast('n*c*inner')), input('dy', 'float', atLeast('n*c*inner')),
    size('n', [1, 3]), size('c', [1, 3]), size('inner', [1, 4]), optional('in', 'weight', 'float', atLeast('c')),
    input('saveMean', 'float', atLeast('c')), input('saveInvstd', 'float', atLeast('c'), { values: { kind: 'range', lo: 0.5, hi: 2 } }),
    flag('training'), optional('out', 'dx', 'float', atLeast('n*c*inner')),
    optional('out', 'dweight', 'float', atLeast('c')), optional('out', 'dbias', 'float', atLeast('c')),
  ], { tol: LOOSE }),
  // ---- porting helpers: RMSprop, Adagrad, gradient clipping ----
  /**
   * rmspropStep(param, grad, squareAvg, gradAvg, momentumBuf, lr, alpha, eps, weightDecay, momentum, centered, maximize):
   * one RMSprop update in place, PyTorch 1.13's single-tensor order: g ← −g if
   * maximize; g ← g + λθ; v ← αv + ((1−α)g)g; centered: ḡ ← αḡ + (1−α)g,
   * d = √(v − ḡḡ) + eps, else d = √v + eps; momentum > 0: b ← μb + g/d,
   * θ ← θ − lr·b, else θ ← θ + (−lr·g)/d. gradAvg may be null unless centered,
   * momentumBuf unless momentum > 0. Rounded like sgdStep.
   */
  rmspropStep: kernel([
    inout('param', 'float'), input('grad', 'float', sameAs('param')),
    inout('squareAvg', 'float', sameAs('param'), { values: { kind: 'range', lo: 1, hi: 2 } }),
    optional('inout', 'gradAvg', 'float', sameAs('param'), { values: { kind: 'range', lo: -1, hi: 1 } }),
    optional('inout', 'momentumBuf', 'float', sameAs('param')),
    scalar('lr', [1e-2, 0.1]), scalar('alpha', [0.99, 0.9]), scalar('eps', [1e-8, 0.1]), scalar('weightDecay', [0, 1e-2]),
    scalar('momentum', [0, 0.9]), flag('centered'), flag('maximize'),
  ], { pairwise: true, checkAfter: 'types', check: checkRmspropStep, fixDraw: fixRmspropDraw }),
  /**
   * adagradStep(param, grad, sum, step, lr, lrDecay, eps, weightDecay, maximize):
   * one Adagrad update in place, PyTorch 1.13's single-tensor order; `step` is
   * the count t after this update (≥ 1): g ← −g if maximize; g ← g + λθ;
   * clr = lr / (1 + (t−1)·lrDecay); s ← s + g·g; θ ← θ + (−clr·g)/(√s + eps).
   * Rounded like sgdStep.
   */
  adagradStep: kernel([
    inout('param', 'float'), input('grad', 'float', sameAs('param')),
    inout('sum', 'float', sameAs('param'), { values: { kind: 'range', lo: 0, hi: 2 } }),
    size('step', [1, 20], MAX_OFFSET), scalar('lr', [1e-2, 0.1]), scalar('lrDecay', [0, 0.5]), scalar('eps', [1e-10, 0.1]),
    scalar('weightDecay', [0, 1e-2]), flag('maximize'),
  ], { pairwise: true, checkAfter: 'types', check: checkAdagradStep }),
  /**
   * powerSum(x, p): Σ |x_i|^p accumulated in float64 in index order, returned
   * as a number (0 for an empty x); p = Infinity gives max |x_i|. NaN
   * propagates. One pass with no temporary: clipGradNorm_ calls it once per
   * gradient.
   */
  powerSum: kernel([input('x', 'float'), scalar('p', [2, 1, Infinity, 3, 0.5])], { returns: 'number', tol: LOOSE }),
  // ---- convolution ----
  /**
   * convForward(image, weight, n, groups, oc, c, h, w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, oH, oW, grid):
   * a whole batch of convolutions lowered to GEMM: for every sample i and group g,
   * grid[i, g] [oc, oH·oW] = weight[g] [oc, c·kH·kW] · im2col(image[i, g] [c, h, w]),
   * where im2col unfolds an image [c, h, w] into [c·kH·kW, oH·oW] (row (ci, i, j),
   * column (y, x)) = image[ci, y·strideH − padTop + i·dilH, x·strideW − padLeft + j·dilW],
   * 0 where that lies outside the image. The grid size oH × oW is given rather than
   * derived, so the bottom/right padding is whatever it implies. image is [n, groups, c, h, w], grid [n, groups, oc, oH, oW],
   * weight [groups, oc, c, kH, kW]. Also the input gradient of a transposed convolution.
   */
  convForward: kernel([
    input('image', 'float', atLeast(CONV_IMAGE)), input('weight', 'float', atLeast(CONV_WEIGHT)), ...convArgs,
    output('grid', 'float', atLeast(CONV_GRID)),
  ]),
  /**
   * convBackwardInput(grid, weight, n, groups, oc, <the geometry>, image): the adjoint
   * of convForward in its image: image[i, g] = col2im(weight[g]ᵀ · grid[i, g]) (overwritten),
   * col2im adding every column entry to the image position im2col reads it from (entries
   * in the padding are dropped).
   * The input gradient of a convolution, the forward of a transposed one.
   */
  convBackwardInput: kernel([
    input('grid', 'float', atLeast(CONV_GRID)), input('weight', 'float', atLeast(CONV_WEIGHT)), ...convArgs,
    output('image', 'float', atLeast(CONV_IMAGE)),
  ]),
  /**
   * convBackwardWeight(image, grid, n, groups, oc, <the geometry>, weight): the adjoint
   * of convForward in its weight: weight[g] = Σ_i grid[i, g] · im2col(image[i, g])ᵀ
   * (overwritten; 0 when n is 0). The weight gradient of a convolution and of a transposed one.
   */
  convBackwardWeight: kernel([
    input('image', 'float', atLeast(CONV_IMAGE)), input('grid', 'float', atLeast(CONV_GRID)), ...convArgs,
    output('weight', 'float', atLeast(CONV_WEIGHT)),
  ]),
  // ---- recurrent ----
  /**
   * lstmGates(gi, gh, c, batch, hidden, h, cOut, saved): one LSTM step's gates
   * from the input projection gi = x·W_ihᵀ + b_ih and the recurrent one
   * gh = h·W_hhᵀ + b_hh (both [batch, 4·hidden], gates i, f, g, o) and the cell
   * state c [batch, hidden]: with (i, f, g, o) = (σ, σ, tanh, σ)(gi + gh),
   * cOut = f·c + i·g and h = o·tanh(cOut), PyTorch's order of operations.
   * saved [batch, 5·hidden] receives i, f, g, o and tanh(cOut) per row, what
   * lstmGatesBackward reads. σ and tanh are the unary kernels' formulas.
   */
  lstmGates: kernel([
    input('gi', 'float', atLeast('batch*4*hidden')), input('gh', 'float', atLeast('batch*4*hidden')),
    input('c', 'float', atLeast('batch*hidden')), size('batch', [0, 3]), size('hidden', [0, 4]),
    output('h', 'float', atLeast('batch*hidden')), output('cOut', 'float', atLeast('batch*hidden')),
    output('saved', 'float', atLeast('batch*5*hidden')),
  ], { tol: LOOSE }),
  /**
   * lstmGatesBackward(saved, c, dh, dc, batch, hidden, dgates, dcPrev): the
   * backward of lstmGates from its `saved` activations, the previous cell state
   * c and the gradients dh, dc of its outputs h and cOut ([batch, hidden]):
   * dc' = dc + dh·o·(1 − tanh²(cOut)); dgates [batch, 4·hidden] (the gradient
   * of gi and of gh alike) = (dc'·g·i(1 − i), dc'·c·f(1 − f), dc'·i·(1 − g²),
   * dh·tanh(cOut)·o(1 − o)); dcPrev = dc'·f, the gradient of c (null: not wanted).
   */
  lstmGatesBackward: kernel([
    input('saved', 'float', atLeast('batch*5*hidden'), { values: { kind: 'range', lo: -1, hi: 1 } }),
    input('c', 'float', atLeast('batch*hidden')), input('dh', 'float', atLeast('batch*hidden')),
    input('dc', 'float', atLeast('batch*hidden')), size('batch', [0, 3]), size('hidden', [0, 4]),
    output('dgates', 'float', atLeast('batch*4*hidden')), optional('out', 'dcPrev', 'float', atLeast('batch*hidden')),
  ]),
  /**
   * gruGates(gi, gh, h, batch, hidden, hOut, saved): one GRU step's gates from
   * gi = x·W_ihᵀ + b_ih and gh = h·W_hhᵀ + b_hh (both [batch, 3·hidden], gates
   * r, z, n) and the state h [batch, hidden]: r = σ(gi_r + gh_r),
   * z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n), hOut = n + z·(h − n) (PyTorch's
   * order: b_hn inside the product with r). saved [batch, 4·hidden] receives
   * r, z, n and gh_n per row, what gruGatesBackward reads.
   */
  gruGates: kernel([
    input('gi', 'float', atLeast('batch*3*hidden')), input('gh', 'float', atLeast('batch*3*hidden')),
    input('h', 'float', atLeast('batch*hidden')), size('batch', [0, 3]), size('hidden', [0, 4]),
    output('hOut', 'float', atLeast('batch*hidden')), output('saved', 'float', atLeast('batch*4*hidden')),
  ], { tol: LOOSE }),
  /**
   * gruGatesBackward(saved, h, dh, batch, hidden, dgi, dgh, dhPrev): the
   * backward of gruGates from its `saved` values, the state h and the gradient
   * dh of hOut: dn = dh·(1 − z)·(1 − n²), dr = dn·gh_n·r(1 − r),
   * dz = dh·(h − n)·z(1 − z); dgi [batch, 3·hidden] = (dr, dz, dn), dgh = (dr, dz,
   * dn·r); dhPrev = dh·z, the direct part of h's gradient (the caller adds
   * dgh·W_hh).
   */
  gruGatesBackward: kernel([
    input('saved', 'float', atLeast('batch*4*hidden'), { values: { kind: 'range', lo: -1, hi: 1 } }),
    input('h', 'float', atLeast('batch*hidden')), input('dh', 'float', atLeast('batch*hidden')),
    size('batch', [0, 3]), size('hidden', [0, 4]),
    output('dgi', 'float', atLeast('batch*3*hidden')), output('dgh', 'float', atLeast('batch*3*hidden')),
    output('dhPrev', 'float', atLeast('batch*hidden')),
  ]),
  /**
   * stepGemm(a, b, bias, m, k, n, beta, c): c = a·b + bias + beta·c for
   * a [m, k], b [k, n], bias [n] (null: none), c [m, n], row-major; when beta
   * is 0, c is not read. A recurrent step's GEMM: a few rows times a weight
   * laid out once per sequence, multiplied as it lies (float32: a
   * register-blocked SIMD kernel that does not repack b on every call, as
   * BLAS does; float64: BLAS).
   */
  stepGemm: kernel([
    input('a', 'float', atLeast('m*k')), input('b', 'float', atLeast('k*n')), optional('in', 'bias', 'float', atLeast('n')),
    size('m', [0, 6]), size('k', [0, 5]), size('n', [0, 70]), scalar('beta', [0, 1, 0.5]), output('c', 'float', atLeast('m*n')),
  ], { tol: LOOSE }),
  /**
   * lstmSequence(gi, h0, c0, weight, bias, steps, batch, hidden, reverse, y, cells, saved):
   * one LSTM layer's whole time loop. gi [steps, batch, 4·hidden] is the input
   * projection of every step, h0 and c0 [batch, hidden] the initial state,
   * weight W_hh [4·hidden, hidden] and bias b_hh [4·hidden] (null: none). Step
   * by step (from the last to the first when `reverse`): gh = h·W_hhᵀ + b_hh,
   * then lstmGates(gi_t, gh, c) writes h into y [steps, batch, hidden] and c
   * into cells (both in time order) and its saved rows into saved
   * [steps, batch, 5·hidden]. The same values as stepGemm and lstmGates called
   * per step; native splits each step's hidden units across the threads.
   */
  lstmSequence: kernel([
    input('gi', 'float', atLeast('steps*batch*4*hidden')), input('h0', 'float', atLeast('batch*hidden')),
    input('c0', 'float', atLeast('batch*hidden')), input('weight', 'float', atLeast('4*hidden*hidden')),
    optional('in', 'bias', 'float', atLeast('4*hidden')), ...sequenceSizes,
    output('y', 'float', atLeast('steps*batch*hidden')), output('cells', 'float', atLeast('steps*batch*hidden')),
    output('saved', 'float', atLeast('steps*batch*5*hidden')),
  ], { tol: LOOSE }),
  /**
   * lstmSequenceBackward(saved, cells, c0, weight, dy, dcN, steps, batch, hidden, reverse, dgates, dh0, dc0):
   * back through lstmSequence (its saved and cells, the initial c0 and W_hh)
   * from dy [steps, batch, hidden], the gradient of every output h, and dcN,
   * the last c's: per step dh = dy_t + dgates_{t+1}·W_hh and lstmGatesBackward;
   * dgates [steps, batch, 4·hidden] gets every step's gate gradient (that of gi
   * and of gh alike), dh0 = dgates_first·W_hh and dc0 the initial c's gradient.
   */
  lstmSequenceBackward: kernel([
    input('saved', 'float', atLeast('steps*batch*5*hidden'), { values: { kind: 'range', lo: -1, hi: 1 } }),
    input('cells', 'float', atLeast('steps*batch*hidden')), input('c0', 'float', atLeast('batch*hidden')),
    input('weight', 'float', atLeast('4*hidden*hidden')), input('dy', 'float', atLeast('steps*batch*hidden')),
    input('dcN', 'float', atLeast('batch*hidden')), ...sequenceSizes,
    output('dgates', 'float', atLeast('steps*batch*4*hidden')), output('dh0', 'float', atLeast('batch*hidden')),
    output('dc0', 'float', atLeast('batch*hidden')),
  ], { tol: LOOSE }),
  /**
   * gruSequence(gi, h0, weight, bias, steps, batch, hidden, reverse, y, saved):
   * one GRU layer's whole time loop, as lstmSequence: per step
   * gh = h·W_hhᵀ + b_hh (W_hh [3·hidden, hidden], b_hh [3·hidden] or null),
   * then gruGates(gi_t, gh, h) writes h into y [steps, batch, hidden] and its
   * saved rows into saved [steps, batch, 4·hidden].
   */
  gruSequence: kernel([
    input('gi', 'float', atLeast('steps*batch*3*hidden')), input('h0', 'float', atLeast('batch*hidden')),
    input('weight', 'float', atLeast('3*hidden*hidden')), optional('in', 'bias', 'float', atLeast('3*hidden')),
    ...sequenceSizes, output('y', 'float', atLeast('steps*batch*hidden')),
    output('saved', 'float', atLeast('steps*batch*4*hidden')),
  ], { tol: LOOSE }),
  /**
   * gruSequenceBackward(saved, y, h0, weight, dy, steps, batch, hidden, reverse, dgi, dgh, dh0):
   * back through gruSequence (its saved and y, the initial h0 and W_hh) from
   * dy [steps, batch, hidden], the gradient of every output h: per step
   * dh = dy_t + the flow from the step after, gruGatesBackward, and the flow
   * to the step before dh·z + dgh_t·W_hh; dgi and dgh [steps, batch, 3·hidden]
   * get every step's gate gradients, dh0 the initial h's.
   */
  gruSequenceBackward: kernel([
    input('saved', 'float', atLeast('steps*batch*4*hidden'), { values: { kind: 'range', lo: -1, hi: 1 } }),
    input('y', 'float', atLeast('steps*batch*hidden')), input('h0', 'float', atLeast('batch*hidden')),
    input('weight', 'float', atLeast('3*hidden*hidden')), input('dy', 'float', atLeast('steps*batch*hidden')),
    ...sequenceSizes, output('dgi', 'float', atLeast('steps*batch*3*hidden')),
    output('dgh', 'float', atLeast('steps*batch*3*hidden')), output('dh0', 'float', atLeast('batch*hidden')),
  ], { tol: LOOSE }),
  /**
   * rnnSequence(gi, h0, weight, bias, steps, batch, hidden, reverse, relu, y):
   * a plain RNN layer's whole time loop, as lstmSequence: per step
   * h = tanh(gi_t + h·W_hhᵀ + b_hh) (relu instead when `relu`; the unary
   * kernels' formulas) into y [steps, batch, hidden]; W_hh [hidden, hidden],
   * b_hh [hidden] or null.
   */
  rnnSequence: kernel([
    input('gi', 'float', atLeast('steps*batch*hidden')), input('h0', 'float', atLeast('batch*hidden')),
    input('weight', 'float', atLeast('hidden*hidden')), optional('in', 'bias', 'float', atLeast('hidden')),
    ...sequenceSizes, flag('relu'), output('y', 'float', atLeast('steps*batch*hidden')),
  ], { tol: LOOSE }),
  /**
   * rnnSequenceBackward(y, weight, dy, steps, batch, hidden, reverse, relu, dgates, dh0):
   * back through rnnSequence (its y and W_hh) from dy [steps, batch, hidden],
   * the gradient of every output h: per step dh = dy_t + dgates_{t+1}·W_hh and
   * the nonlinearity's backward from y (tanhBackward, or reluBackward: h
   * shares its input's sign) into dgates [steps, batch, hidden] (the gradient
   * of gi and of gh alike); dh0 = dgates_first·W_hh.
   */
  rnnSequenceBackward: kernel([
    input('y', 'float', atLeast('steps*batch*hidden'), { values: { kind: 'range', lo: -1, hi: 1 } }),
    input('weight', 'float', atLeast('hidden*hidden')), input('dy', 'float', atLeast('steps*batch*hidden')),
    ...sequenceSizes, flag('relu'), output('dgates', 'float', atLeast('steps*batch*hidden')),
    output('dh0', 'float', atLeast('batch*hidden')),
  ]),
  // ---- convolution epilogues ----
  /**
   * convBiasRelu(y, bias, n, c, cells, relu): a convolution's output y [n, c, cells]
   * in place, in one pass: y += bias[ch] (bias null: none), then y = max(y, 0)
   * when `relu` (the relu kernel's formula: NaN stays NaN).
   */
  convBiasRelu: kernel([
    inout('y', 'float', atLeast('n*c*cells')), optional('in', 'bias', 'float', atLeast('c')),
    size('n', [0, 3]), size('c', [0, 3]), size('cells', [0, 11]), flag('relu'),
  ]),
  /**
   * convBiasBackward(dy, n, c, cells, db): a convolution's bias gradient
   * db[ch] = Σ dy[·, ch, ·] over [n, c, cells], accumulated in float64 in 8
   * lanes (cell j of every sample into lane j mod 8, the lanes then summed in order).
   */
  convBiasBackward: kernel([
    input('dy', 'float', atLeast('n*c*cells')), size('n', [0, 3]), size('c', [0, 3]), size('cells', [0, 11]),
    output('db', 'float', atLeast('c')),
  ], { tol: LOOSE }),
  /**
   * convReluBackward(y, dy, n, c, cells, dz, db): the gradient through a
   * convolution's ReLU and bias in one pass over [n, c, cells]: dz = dy · (y > 0)
   * (y the ReLU's output) and, when `db` is given, db[ch] = Σ dz[·, ch, ·] in
   * convBiasBackward's order.
   */
  convReluBackward: kernel([
    input('y', 'float', atLeast('n*c*cells')), input('dy', 'float', atLeast('n*c*cells')),
    size('n', [0, 3]), size('c', [0, 3]), size('cells', [0, 11]),
    output('dz', 'float', atLeast('n*c*cells')), optional('out', 'db', 'float', atLeast('c')),
  ], { tol: LOOSE }),
} as const;

/** max/min over the middle axis with the index of the first extreme. */
function argReduction() {
  return kernel([
    input('x', 'num', atLeast('outer*dim*inner')), ...axis('dim', [1, 4]),
    output('out', 'num', atLeast('outer*inner')), output('indices', 'int32', atLeast('outer*inner')),
  ], {
    checkAfter: 'types',
    check(this: string, _x: Num, _o: number, dim: number): void {
      if (dim < 1) throw rangeError(this, 'dim must be >= 1 (cannot reduce an empty axis)');
    },
  });
}

function crossEntropyArgs() {
  return [
    input('logits', 'float', atLeast('n*c')), input('targets', 'int32', atLeast('n')),
    optional('in', 'weight', 'float', atLeast('c'), { values: { kind: 'range', lo: 0, hi: 2 } }),
    size('n'), size('c', [1, 5]), int32('ignoreIndex', [-100, 0, 1]), code('reduction', REDUCTION_SUM),
  ] as const;
}

function bceArgs() {
  return [
    input('x', 'float', atLeast('n')), input('y', 'float', atLeast('n'), { values: { kind: 'range', lo: 0, hi: 1 } }),
    optional('in', 'posWeight', 'float', atLeast('p'), { values: { kind: 'range', lo: 0, hi: 2 } }),
    size('n'), size('p'), code('reduction', REDUCTION_SUM),
  ] as const;
}

/** A random posWeight period: a divisor of n (no posWeight when n is 0). */
function fixPeriod(v: Record<string, unknown>, rng: { pick<T>(xs: readonly T[]): T }): void {
  const n = v.n as number;
  const divisors: number[] = [];
  for (let p = 1; p <= n; p++) if (n % p === 0) divisors.push(p);
  v.p = divisors.length > 0 ? rng.pick(divisors) : 0;
  if (v.p === 0) v.posWeight = null;
}

function probabilityArgs() {
  return [
    input('x', 'float', atLeast('n'), { values: { kind: 'range', lo: 0, hi: 1 } }),
    input('y', 'float', atLeast('n'), { values: { kind: 'range', lo: 0, hi: 1 } }),
    size('n'), code('reduction', REDUCTION_SUM),
  ] as const;
}

/** planes, h, w, kh, kw, sh, sw, ph, pw of the pooling kernels. */
function poolSizes() {
  return [
    size('planes', [1, 3]), size('h', [1, 6]), size('w', [1, 6]), size('kh', [1, 3]), size('kw', [1, 3]),
    size('sh', [1, 2]), size('sw', [1, 2]), size('ph', [0, 1]), size('pw', [0, 1]),
  ] as const;
}

/** planes, h, w, oh, ow of the adaptive pooling kernels. */
function adaptiveSizes() {
  return [size('planes', [1, 3]), size('h', [1, 6]), size('w', [1, 6]), size('oh', [1, 4]), size('ow', [1, 4])] as const;
}

/** Every kernel name, in table order. */
export type KernelName = keyof typeof KERNEL_TABLE;

