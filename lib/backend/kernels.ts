/**
 * The one door to numbers. The native addon (native/) and the pure-TypeScript
 * backend (lib/backend/js/) implement exactly this list, with the same names and
 * semantics; ops call nothing else that loops over a TypedArray.
 *
 * Conventions shared by every kernel:
 * - Buffers are contiguous, row-major, and owned by JS. A kernel writes only to
 *   the arguments named `out`, `dx`, `c` or `dst`; it never keeps a reference.
 * - `Float` kernels accept Float32Array or Float64Array; all buffer arguments of
 *   one call share that type. `Num` kernels also accept Int32Array.
 * - Sizes are non-negative integers; a kernel checks that every buffer is long
 *   enough for the sizes it is given and throws a TypeError/RangeError otherwise.
 * - An output never aliases an input unless the kernel says it may (elementwise
 *   unary and binary kernels allow `out` to be exactly an input, for in-place ops).
 * - Axis kernels view their input as [outer, dim, inner] (C order): the reduced
 *   or normalised axis has length `dim`, everything before it folds into
 *   `outer`, everything after into `inner`.
 */

/** A float buffer: the storage of a float32 or float64 tensor. */
export type Float = Float32Array | Float64Array;
/** Any storage buffer: float32, float64 or int32. */
export type Num = Float32Array | Float64Array | Int32Array;

/**
 * Broadcast binary kernels. `shape` is the output shape (already collapsed by
 * the caller to as few dims as possible); `aStrides`/`bStrides` give, per output
 * dim, the element stride into `a`/`b` (0 where that input is broadcast).
 * `out` has prod(shape) elements; it may be `a` or `b` itself when that input is
 * not broadcast (in-place ops).
 */
export type BinaryKernel<T extends Num = Num> = (
  a: T, aStrides: Int32Array, b: T, bStrides: Int32Array, out: T, shape: Int32Array,
) => void;

/** Elementwise unary kernel: out[i] = f(x[i]); `out` may be `x`. */
export type UnaryKernel<T extends Num = Float> = (x: T, out: T) => void;

/**
 * Elementwise backward kernel: dx[i] = dy[i] * f'(·) where the saved value is the
 * forward input or output (stated per kernel). `dx` may be `dy`.
 */
export type UnaryBackwardKernel = (saved: Float, dy: Float, dx: Float) => void;

/** Reduction over the middle axis of [outer, dim, inner] into out[outer, inner]. */
export type ReduceKernel = (x: Num, outer: number, dim: number, inner: number, out: Num) => void;

/**
 * Max/min over the middle axis of [outer, dim, inner]: values into `out`
 * [outer, inner] and the index of the first extreme element into `indices`.
 * NaN counts as the extreme (PyTorch propagates NaN). dim must be ≥ 1.
 */
export type ArgReduceKernel = (
  x: Num, outer: number, dim: number, inner: number, out: Num, indices: Int32Array,
) => void;

/** Softmax-like kernel over the middle axis of [outer, dim, inner]. */
export type AxisKernel = (x: Float, outer: number, dim: number, inner: number, out: Float) => void;

/** Backward of an AxisKernel from its forward output `y` and upstream `dy`. */
export type AxisBackwardKernel = (
  y: Float, dy: Float, outer: number, dim: number, inner: number, dx: Float,
) => void;

/** Activation codes of the fused linear kernels (`act` of linearForward/linearBackward). */
export const ACT_NONE = 0;
/** max(z, 0). */
export const ACT_RELU = 1;
/** z > 0 ? z : slope·z (the backward needs slope ≥ 0: it reads the sign of y). */
export const ACT_LEAKY_RELU = 2;
/** 1 / (1 + e^−z). */
export const ACT_SIGMOID = 3;
/** tanh z. */
export const ACT_TANH = 4;
/** One of the ACT_* codes. */
export type ActCode = typeof ACT_NONE | typeof ACT_RELU | typeof ACT_LEAKY_RELU | typeof ACT_SIGMOID | typeof ACT_TANH;

/** Reduction codes of the fused losses: per-sample values, their (weighted) mean, or their sum. */
export const REDUCTION_NONE = 0;
export const REDUCTION_MEAN = 1;
export const REDUCTION_SUM = 2;
/** One of the REDUCTION_* codes. */
export type ReductionCode = typeof REDUCTION_NONE | typeof REDUCTION_MEAN | typeof REDUCTION_SUM;

/** The full kernel set. Both backends implement every member. */
export interface Kernels {
  /** 'native' or 'js'. */
  readonly name: 'native' | 'js';

  // ---- GEMM -------------------------------------------------------------
  /**
   * c = alpha · op(a) · op(b) + beta · c, row-major. op(a) is m×k (a is k×m when
   * transA), op(b) is k×n (b is n×k when transB), c is m×n. When beta is 0, c is
   * not read (NaNs in c do not propagate), as BLAS specifies.
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float, b: Float, beta: number, c: Float): void;
  /**
   * `batch` independent GEMMs; matrix i of a/b/c starts at i·strideA/B/C.
   * A stride of 0 reuses one matrix for every batch entry (broadcasting).
   */
  gemmBatched(batch: number, transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float, strideA: number, b: Float, strideB: number,
    beta: number, c: Float, strideC: number): void;

  // ---- broadcasting binary ops (Num unless noted) ------------------------
  add: BinaryKernel;
  sub: BinaryKernel;
  mul: BinaryKernel;
  /** True division; int32 division is done in float by the caller. Float only. */
  div: BinaryKernel<Float>;
  /** a ** b. Float only. */
  pow: BinaryKernel<Float>;
  /** max(a, b), NaN-propagating. */
  maximum: BinaryKernel;
  /** min(a, b), NaN-propagating. */
  minimum: BinaryKernel;
  /** 1 where a == b else 0, in the inputs' type. */
  eq: BinaryKernel;
  gt: BinaryKernel;
  lt: BinaryKernel;
  ge: BinaryKernel;
  le: BinaryKernel;

  // ---- elementwise unary ops ---------------------------------------------
  /** out = -x (Num). */
  neg: UnaryKernel<Num>;
  /** out = |x| (Num). */
  abs: UnaryKernel<Num>;
  /** out = sign(x): -1, 0 or 1 (NaN stays NaN) (Num). */
  sign: UnaryKernel<Num>;
  exp: UnaryKernel;
  log: UnaryKernel;
  sqrt: UnaryKernel;
  sin: UnaryKernel;
  cos: UnaryKernel;
  relu: UnaryKernel;
  sigmoid: UnaryKernel;
  tanh: UnaryKernel;
  /** out = x > 0 ? x : slope·x. */
  leakyRelu(x: Float, slope: number, out: Float): void;
  /** out = x ** p for a scalar exponent p. */
  powScalar(x: Float, p: number, out: Float): void;
  /** out = min(max(x, lo), hi); ±Infinity leaves that side open; NaN stays NaN (Num). */
  clamp(x: Num, lo: number, hi: number, out: Num): void;

  /** dx = dy · (x > 0), saved = forward input x. */
  reluBackward: UnaryBackwardKernel;
  /** dx = dy · y · (1 − y), saved = forward output y. */
  sigmoidBackward: UnaryBackwardKernel;
  /** dx = dy · (1 − y²), saved = forward output y. */
  tanhBackward: UnaryBackwardKernel;
  /** dx = dy · (x > 0 ? 1 : slope), saved = forward input x. */
  leakyReluBackward(x: Float, slope: number, dy: Float, dx: Float): void;
  /** dx = dy · (lo ≤ x ≤ hi), saved = forward input x (PyTorch's clamp gradient). */
  clampBackward(x: Float, lo: number, hi: number, dy: Float, dx: Float): void;

  // ---- reductions along an axis -------------------------------------------
  /** out[o, i] = Σ_d x[o, d, i]. Float sums accumulate in float64. */
  sum: ReduceKernel;
  /** out[o, i] = mean_d x[o, d, i] (Float). An empty axis gives NaN. */
  mean: ReduceKernel;
  max: ArgReduceKernel;
  min: ArgReduceKernel;

  // ---- softmax family ------------------------------------------------------
  /** Numerically stable softmax (max subtracted) over the axis. */
  softmax: AxisKernel;
  /** Numerically stable log-softmax over the axis. */
  logSoftmax: AxisKernel;
  /** dx = y · (dy − Σ dy·y), y = softmax output. */
  softmaxBackward: AxisBackwardKernel;
  /** dx = dy − exp(y) · Σ dy, y = log-softmax output. */
  logSoftmaxBackward: AxisBackwardKernel;

  // ---- indexing --------------------------------------------------------------
  /**
   * out[o, j, i] = x[o, idx[j], i] for x [outer, dimX, inner], idx of length n,
   * out [outer, n, inner]. Every idx must lie in [0, dimX) (RangeError otherwise).
   */
  indexSelect(x: Num, outer: number, dimX: number, inner: number, idx: Int32Array, out: Num): void;
  /**
   * Backward of indexSelect: dx[o, idx[j], i] += dy[o, j, i]; dx is accumulated into,
   * not cleared. n = idx.length.
   */
  indexAdd(dy: Float, outer: number, dimX: number, inner: number, idx: Int32Array, dx: Float): void;
  /**
   * out[o, j, i] = x[o, idx[o, j, i], i] for x [outer, dimX, inner] and idx/out
   * [outer, n, inner] (torch.gather along the middle axis).
   */
  gather(x: Num, outer: number, dimX: number, inner: number, idx: Int32Array, n: number, out: Num): void;
  /** Backward of gather: dx[o, idx[o, j, i], i] += dy[o, j, i]; accumulates into dx. */
  scatterAdd(dy: Float, outer: number, dimX: number, inner: number, idx: Int32Array, n: number, dx: Float): void;

  // ---- memory ------------------------------------------------------------------
  /** dst[0..src.length) = src. Same element type. */
  copy(src: Num, dst: Num): void;
  /** dst[i] = converted src[i] for any pair of types (float → int32 truncates toward 0). */
  cast(src: Num, dst: Num): void;
  /** dst[i] = value for every element. */
  fill(dst: Num, value: number): void;
  /** out[j, i] = x[i, j] for x [rows, cols]. */
  transpose2d(x: Num, rows: number, cols: number, out: Num): void;
  /**
   * General strided copy: for every index (i0..) of `shape`,
   * dst[dstOffset + Σ i·dstStrides] = src[srcOffset + Σ i·srcStrides].
   * Used for permutes, slices, concatenation and expands. Strides may be 0 in
   * src (broadcast) but the written dst positions must not overlap.
   */
  copyStrided(src: Num, srcOffset: number, srcStrides: Int32Array,
    dst: Num, dstOffset: number, dstStrides: Int32Array, shape: Int32Array): void;

  // ---- fused kernels (one pass over the data; their ops are lib/ops/fused-*.ts) ----
  /**
   * y [rows, out] = act(x [rows, in] · w [out, in]ᵀ + b [out]): one GEMM, then one
   * pass over its output adding the bias (b null: none) and applying `act`
   * (an ACT_* code; `slope` is used by ACT_LEAKY_RELU only). The activation
   * formulas are those of the unary kernels, so the result equals the unfused
   * gemm → add → activation sequence.
   */
  linearForward(x: Float, w: Float, b: Float | null, rows: number, inF: number, outF: number,
    act: number, slope: number, y: Float): void;
  /**
   * Backward of linearForward from its output `y` and upstream `dy` (both
   * [rows, out]). One pass writes dz = dy · act'(y) into `dz` (may be exactly
   * dy or y) and, when `db` is given, db[j] = Σ_r dz[r, j] (float64
   * accumulation); then dx = dz · w and dw = dzᵀ · x. `dx`, `dw`, `db` may each
   * be null (not wanted). Outputs are overwritten, never accumulated into.
   * ACT_LEAKY_RELU needs slope ≥ 0 (RangeError otherwise).
   */
  linearBackward(x: Float, w: Float, y: Float, dy: Float, rows: number, inF: number, outF: number,
    act: number, slope: number, dz: Float, dx: Float | null, dw: Float | null, db: Float | null): void;
  /**
   * Cross-entropy of logits [n, c] against int32 class targets [n] in one pass
   * (log-sum-exp with the max subtracted): ℓ_r = −w[t_r]·log softmax(x_r)[t_r],
   * 0 where t_r == ignoreIndex; weight null means all ones. REDUCTION_NONE writes
   * ℓ into out[0..n); REDUCTION_MEAN writes Σℓ / Σ w[t] over kept targets
   * (PyTorch's weighted mean; NaN when none is kept) into out[0]; REDUCTION_SUM Σℓ.
   * A target outside [0, c) that is not ignoreIndex is a RangeError.
   */
  softmaxCrossEntropy(logits: Float, targets: Int32Array, weight: Float | null, n: number, c: number,
    ignoreIndex: number, reduction: number, out: Float): void;
  /**
   * dlogits = (softmax(x) − onehot(t)) · w[t] · g in one pass per row (0 rows where
   * ignored); g = dout[r] (none), dout[0] / Σ w[t] (mean) or dout[0] (sum).
   */
  softmaxCrossEntropyBackward(logits: Float, targets: Int32Array, weight: Float | null, n: number, c: number,
    ignoreIndex: number, reduction: number, dout: Float, dlogits: Float): void;
  /**
   * Binary cross-entropy with logits over n elements, PyTorch 1.13's stable form:
   * ℓ = (1 − y)·x + lw·softplus(−x), softplus(z) = m + log(e^−m + e^(z−m)),
   * m = max(z, 0), lw = (pw[i mod p] − 1)·y + 1 (1 when posWeight is null; p > 0
   * must divide n when it is given). Reduced as softmaxCrossEntropy (mean divides by n).
   */
  sigmoidBCE(x: Float, y: Float, posWeight: Float | null, n: number, p: number, reduction: number, out: Float): void;
  /** dx = (σ(x) − y)·g, or ((pw·y + 1 − y)·σ(x) − pw·y)·g; g = dout[i], dout[0] / n or dout[0]. */
  sigmoidBCEBackward(x: Float, y: Float, posWeight: Float | null, n: number, p: number, reduction: number,
    dout: Float, dx: Float): void;
  /**
   * Binary cross-entropy of probabilities x against y over n elements, rounded
   * as the op-by-op loss: ℓ = −(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100)),
   * reduced as sigmoidBCE. Returns −1, or the index of the first x outside
   * [0, 1] (NaN included), in which case `out` is left untouched.
   */
  bce(x: Float, y: Float, n: number, reduction: number, out: Float): number;
  /** dx = g·(x − y) / max((1 − x)·x, ε), ε = float(1e-12) (PyTorch's); g = dout[i], dout[0] / n or dout[0]. */
  bceBackward(x: Float, y: Float, n: number, reduction: number, dout: Float, dx: Float): void;
  /**
   * One SGD update in place, PyTorch 1.13's order: g ← −g if maximize; g ← g + λθ
   * (weightDecay ≠ 0); with momentum ≠ 0: b ← g when firstStep else μb + (1−τ)g,
   * g ← g + μb (nesterov) or b; θ ← θ − lr·g. Every intermediate and scalar is
   * rounded to the buffers' type as the op-by-op update rounds it, so both give
   * the same numbers. momentumBuf may be null only when momentum is 0.
   */
  sgdStep(param: Float, grad: Float, momentumBuf: Float | null, lr: number, momentum: number, dampening: number,
    weightDecay: number, nesterov: boolean, maximize: boolean, firstStep: boolean): void;
  /**
   * One Adam (decoupled: AdamW) update in place, PyTorch 1.13's single-tensor
   * order; `step` is the step count t after this update (≥ 1). maxExpAvgSq may
   * be null unless amsgrad. Rounded like sgdStep.
   */
  adamStep(param: Float, grad: Float, expAvg: Float, expAvgSq: Float, maxExpAvgSq: Float | null, step: number,
    lr: number, beta1: number, beta2: number, eps: number, weightDecay: number,
    decoupled: boolean, amsgrad: boolean, maximize: boolean): void;

  // ---- runtime -----------------------------------------------------------------
  /** Threads that split a large GEMM or optimizer step (1 for the js backend). */
  getNumThreads(): number;
  /** Sets that count for the calling thread (n ≥ 1). A no-op for the js backend. */
  setNumThreads(n: number): void;
}
