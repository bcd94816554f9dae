/**
 * The one door to numbers. The native addon (native/) and the pure-TypeScript
 * backend (lib/backend/js/) implement exactly the kernels of the table in
 * lib/backend/table, with the same names, semantics and argument errors; ops
 * call nothing else that loops over a TypedArray.
 *
 * Conventions shared by every kernel:
 * - Buffers are contiguous, row-major, and owned by JS. A kernel writes only to
 *   the arguments its table entry declares `output` or `inout` (`out`, `dx`,
 *   `c`, `dst`, `indices`, running statistics…); it never keeps a reference.
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

import type { KERNEL_TABLE } from './table';
import type { SignatureOf } from './table/spec';

type KernelTable = typeof KERNEL_TABLE;

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

/**
 * The full kernel set: one member per entry of the kernel table
 * (lib/backend/table), with the signature and TSDoc declared there. Both
 * backends implement every member.
 */
export type Kernels = { readonly name: 'native' | 'js' } & {
  readonly [K in keyof KernelTable]: SignatureOf<KernelTable[K]>;
};
