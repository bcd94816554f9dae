/** Shape arithmetic shared by the ops: no tensor data is touched here. */
import { describeCap, getMaxElements, HARD_MAX_ELEMENTS } from './storage/limits';
import { readable } from './options';

/** A shape argument as PyTorch takes it: an array or separate numbers. */
export type ShapeArg = number | readonly number[];

/** Number of elements of a shape (no checks: for shapes already validated). */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Hard upper bound on the elements of one tensor and on any one size: the
 * longest TypedArray V8 allocates, and the int32 sizes BLAS and the kernels
 * take. The configurable cap (getMaxElements / setMaxElements) is at most this.
 */
export const MAX_NUMEL = HARD_MAX_ELEMENTS;

/**
 * Number of elements of `shape`, validated exactly: every size a non-negative
 * integer ≤ 2^31 − 1, and the product at most the element cap
 * (getMaxElements()). The product is formed progressively and the check is
 * made before each multiplication (d > cap / n), so no product beyond the cap
 * — and none beyond 2^53, where doubles round — is ever formed; a zero size
 * anywhere makes the count 0 whatever the other sizes are. Throws a
 * RangeError naming `where` (the op) and the shape.
 */
export function numelChecked(shape: readonly number[], where: string): number {
  const cap = getMaxElements();
  let n = 1;
  let zero = false;
  let over = false;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(`${where}: invalid shape [${fmtDims(shape)}]; every size must be a non-negative integer, got ${readable(d)}`);
    }
    if (d > HARD_MAX_ELEMENTS) over = true;
    else if (d === 0) zero = true;
    else if (!over) {
      if (d > cap / n) over = true;
      else n *= d;
    }
  }
  if (!over) return zero ? 0 : n;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] > HARD_MAX_ELEMENTS) {
      throw new RangeError(`${where}: shape [${fmtDims(shape)}] has size ${shape[i]} at dim ${i}, more than the maximum size ${HARD_MAX_ELEMENTS} (2^31 - 1)`);
    }
  }
  if (zero) return 0;
  throw new RangeError(`${where}: shape [${fmtDims(shape)}] has ${exactCount(shape)} elements, more than the maximum ${describeCap(cap)}; nothing was allocated`);
}

/** Validates a concrete shape: finite, non-negative integer dims whose product fits the element cap. Returns a copy. */
export function checkShape(shape: readonly number[], where: string): number[] {
  numelChecked(shape, where);
  return shape.slice();
}

/** The exact element count of a (non-negative integer) shape, for messages: BigInt, so nothing rounds. */
function exactCount(shape: readonly number[]): string {
  let n = 1n;
  for (const d of shape) n *= BigInt(d);
  const text = n.toString();
  return text.length <= 21 ? text : `~${Number(n).toExponential(3)}`;
}

/** Sizes for messages, written exactly (2147483648, not 2.1e9). */
function fmtDims(shape: readonly unknown[]): string {
  return shape.map((d) => (typeof d === 'number' && Number.isInteger(d) && Math.abs(d) < 1e21 ? d.toFixed(0) : typeof d === 'number' ? String(d) : readable(d))).join(', ');
}

/**
 * Reads PyTorch-style shape arguments: `f([2, 3])` or `f(2, 3)`. A trailing
 * non-number (an options object) is left to the caller.
 */
export function shapeFromArgs(args: readonly unknown[], where: string): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return checkShape(args[0] as number[], where);
  for (const a of args) {
    if (typeof a !== 'number') {
      throw new TypeError(`${where}: expected sizes as numbers or one array of numbers, got ${describe(a)}`);
    }
  }
  return checkShape(args as number[], where);
}

/** Resolves a shape with at most one -1 against a known element count (reshape/view). */
export function inferShape(shape: readonly number[], numel: number, from: readonly number[], where: string): number[] {
  let infer = -1;
  // The product of the given sizes, formed only while it stays ≤ 2^31 − 1 (so
  // exactly); `over` past that, when it cannot equal any tensor's size.
  let known = 1;
  let zero = false;
  let over = false;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === -1) {
      if (infer >= 0) throw new RangeError(`${where}: only one dimension can be inferred (-1), got [${shape.join(', ')}]`);
      infer = i;
    } else {
      if (!Number.isInteger(d) || d < 0) throw new RangeError(`${where}: invalid size ${d} in [${shape.join(', ')}]`);
      if (d > MAX_NUMEL) throw new RangeError(`${where}: invalid size ${d} in [${fmtDims(shape)}]: more than the maximum size ${MAX_NUMEL} (2^31 - 1)`);
      if (d === 0) zero = true;
      else if (!over) {
        if (d > MAX_NUMEL / known) over = true;
        else known *= d;
      }
    }
  }
  if (zero) known = 0;
  const out = shape.slice();
  if (over && !zero) {
    throw new RangeError(`${where}: shape [${fmtDims(shape)}] is invalid for input of size ${numel} (shape [${from.join(', ')}])`);
  }
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw new RangeError(`${where}: shape [${shape.join(', ')}] is invalid for input of size ${numel} (shape [${from.join(', ')}])`);
    }
    out[infer] = numel / known;
  } else if (known !== numel) {
    throw new RangeError(`${where}: shape [${shape.join(', ')}] is invalid for input of size ${numel} (shape [${from.join(', ')}])`);
  }
  return out;
}

/** Wraps a possibly negative dim into [0, ndim) (PyTorch's dim wrapping). */
export function normDim(dim: number, ndim: number, where: string): number {
  const n = Math.max(ndim, 1);
  if (typeof dim !== 'number') throw new TypeError(`${where}: dim must be an integer, got ${readable(dim)}${keywordHint(dim)}`);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new RangeError(`${where}: dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** For an options object where a positional argument belongs: PyTorch's keywords are positional arguments here. */
export function keywordHint(v: unknown): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return '';
  return `; PyTorch's keyword arguments such as ${Object.keys(v).map((k) => `${k}=`).join(', ') || 'dim='} are passed positionally in torchlet (e.g. argmax(t, 1), t.sum(1, true))`;
}

/** C-order strides of a contiguous shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** NumPy broadcasting of two shapes, or null when they are incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else return null;
  }
  return out;
}

/** Element strides of `shape` when read as if broadcast to `outShape` (0 on broadcast dims). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const st = stridesOf(shape);
  const off = outShape.length - shape.length;
  const out = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[i + off] = shape[i] === 1 ? 0 : st[i];
  return out;
}

/** Most dims a kernel accepts (native/args.h and lib/backend/table/spec.ts agree). */
export const MAX_DIMS = 64;

/**
 * Scratch Int32Arrays for the shape and strides handed to broadcast kernels,
 * one view per length so a call allocates nothing. Views sit on one buffer of
 * more than 64 bytes, which V8 keeps outside its heap: a fresh small
 * Int32Array would be copied out of the heap on every native call.
 */
const SCRATCH = new Int32Array(3 * MAX_DIMS);
const VIEWS: [Int32Array, Int32Array, Int32Array][] = Array.from({ length: MAX_DIMS + 1 }, (_, n) => [
  SCRATCH.subarray(0, n), SCRATCH.subarray(MAX_DIMS, MAX_DIMS + n), SCRATCH.subarray(2 * MAX_DIMS, 2 * MAX_DIMS + n),
]);

/**
 * Merges adjacent output dims that both inputs traverse contiguously, and drops
 * size-1 dims, so kernels see as few dims as possible (same shapes become 1-D).
 * Returns [dims, aStrides, bStrides] as scratch views: valid until the next call.
 */
export function collapse(shape: readonly number[], sa: readonly number[], sb: readonly number[]): [Int32Array, Int32Array, Int32Array] {
  let n = 0;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const k = n - 1;
    if (k >= 0 && SCRATCH[MAX_DIMS + k] === sa[i] * d && SCRATCH[2 * MAX_DIMS + k] === sb[i] * d) {
      SCRATCH[k] *= d;
      SCRATCH[MAX_DIMS + k] = sa[i];
      SCRATCH[2 * MAX_DIMS + k] = sb[i];
    } else {
      if (n === MAX_DIMS) throw new RangeError(`shape [${shape.join(', ')}] has more than ${MAX_DIMS} dims`);
      SCRATCH[n] = d;
      SCRATCH[MAX_DIMS + n] = sa[i];
      SCRATCH[2 * MAX_DIMS + n] = sb[i];
      n++;
    }
  }
  return VIEWS[n];
}

/** Scratch views describing one contiguous run of `n` elements for both inputs. */
export function contiguousRun(n: number): [Int32Array, Int32Array, Int32Array] {
  SCRATCH[0] = n;
  SCRATCH[MAX_DIMS] = 1;
  SCRATCH[2 * MAX_DIMS] = 1;
  return VIEWS[1];
}

/** Splits a shape at `dim` into [outer, dim size, inner] for axis kernels. */
export function splitAt(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape.length === 0 ? 1 : shape[dim], inner];
}

/** Same shapes? */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `[2, 3]` for messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A short description of any value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return Object.getPrototypeOf(v) === Object.prototype ? readable(v) : (v as object).constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}
