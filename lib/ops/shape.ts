/** Shape ops: reshape/view, flatten, squeeze, unsqueeze, transpose, permute, expand, narrow. */
import { defineMethods, Tensor } from '../tensor';
import { fmtShape, inferShape, normDim, stridesOf, broadcastShapes, sameShape, type ShapeArg } from '../shape';
import { checkTensor, empty, emptyForKernel, k, record } from './util';
import { sumTo } from './broadcast';
import { readable } from '../options';

/**
 * Same data in a new shape (one dim may be -1); shares storage with `input`.
 *
 * @param input the input tensor
 * @param shape the new sizes; one may be -1 (inferred)
 * @param op the op name errors report
 * @returns a tensor sharing `input`'s storage
 */
export function reshape(input: Tensor, shape: readonly number[], op = 'reshape'): Tensor {
  checkTensor(input, op);
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array of integers, got ${readable(shape)}`);
  const target = inferShape(shape, input.numel(), input.shape, op);
  if (sameShape(target, input.shape) && !input.requiresGrad) return input;
  const out = new Tensor(input._storage, target);
  return record(out, 'ViewBackward', [input], (g) => [reshape(g, input.shape)]);
}

/**
 * Flattens dims startDim..endDim (inclusive) into one.
 *
 * @param input the input tensor
 * @param startDim the first dim to flatten (default 0)
 * @param endDim the last dim to flatten (default -1)
 * @returns a tensor sharing `input`'s storage
 */
export function flatten(input: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor(input, 'flatten');
  if (input.ndim === 0) return reshape(input, [1], 'flatten');
  const s = normDim(startDim, input.ndim, 'flatten');
  const e = normDim(endDim, input.ndim, 'flatten');
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim} for shape ${fmtShape(input.shape)}`);
  const shape = [...input.shape.slice(0, s), input.shape.slice(s, e + 1).reduce((a, b) => a * b, 1), ...input.shape.slice(e + 1)];
  return reshape(input, shape, 'flatten');
}

/**
 * Removes dims of size 1: all of them, or only `dim` (left alone if its size is not 1).
 *
 * @param input the input tensor
 * @param dim the size-1 dim to remove (default: every size-1 dim)
 * @returns a tensor sharing `input`'s storage
 */
export function squeeze(input: Tensor, dim?: number): Tensor {
  checkTensor(input, 'squeeze');
  if (dim === undefined) return reshape(input, input.shape.filter((d) => d !== 1), 'squeeze');
  const d = normDim(dim, input.ndim, 'squeeze');
  if (input.ndim === 0 || input.shape[d] !== 1) return input;
  return reshape(input, input.shape.filter((_, i) => i !== d), 'squeeze');
}

/**
 * Inserts a dim of size 1 at `dim` (−ndim−1 ≤ dim ≤ ndim).
 *
 * @param input the input tensor
 * @param dim where the new size-1 dim goes
 * @returns a tensor sharing `input`'s storage
 */
export function unsqueeze(input: Tensor, dim: number): Tensor {
  checkTensor(input, 'unsqueeze');
  const d = normDim(dim, input.ndim + 1, 'unsqueeze');
  const shape = input.shape.slice();
  shape.splice(d, 0, 1);
  return reshape(input, shape, 'unsqueeze');
}

/**
 * Reorders dims (a copy): out.shape[i] = input.shape[dims[i]].
 *
 * @param input the input tensor
 * @param dims the new order of the dims
 * @returns a copy
 */
export function permute(input: Tensor, dims: readonly number[]): Tensor {
  checkTensor(input, 'permute');
  if (dims.length !== input.ndim) {
    throw new RangeError(`permute: got ${dims.length} dims ${JSON.stringify(dims)} for a tensor of shape ${fmtShape(input.shape)}`);
  }
  const perm = dims.map((d) => normDim(d, input.ndim, 'permute'));
  if (new Set(perm).size !== perm.length) throw new RangeError(`permute: repeated dim in ${JSON.stringify(dims)}`);
  const shape = perm.map((p) => input.shape[p]);
  // Every element is copied in: no zeroing of reused memory.
  const out = emptyForKernel(shape, input.dtype, 'permute');
  const src = stridesOf(input.shape);
  if (out.numel() > 0) {
    if (input.ndim === 2 && perm[0] === 1) {
      k().transpose2d(input.data, input.shape[0], input.shape[1], out.data);
    } else {
      k().copyStrided(input.data, 0, Int32Array.from(perm.map((p) => src[p])), out.data, 0, Int32Array.from(stridesOf(shape)), Int32Array.from(shape));
    }
  }
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => { inverse[p] = i; });
  return record(out, 'PermuteBackward', [input], (g) => [permute(g, inverse)]);
}

/**
 * Swaps two dims (a copy).
 *
 * @param input the input tensor
 * @param dim0 one dim
 * @param dim1 the other dim
 * @returns a copy with the two dims swapped
 */
export function transpose(input: Tensor, dim0: number, dim1: number): Tensor {
  checkTensor(input, 'transpose');
  if (input.ndim === 0) return input;
  const perm = input.shape.map((_, i) => i);
  const a = normDim(dim0, input.ndim, 'transpose');
  const b = normDim(dim1, input.ndim, 'transpose');
  [perm[a], perm[b]] = [perm[b], perm[a]];
  return permute(input, perm);
}

/**
 * Transpose of a tensor with at most 2 dims (PyTorch's `t()`).
 *
 * @param input a tensor with at most 2 dims
 * @returns a copy, transposed
 */
export function t(input: Tensor): Tensor {
  checkTensor(input, 't');
  if (input.ndim > 2) throw new RangeError(`t: expects a tensor with <= 2 dimensions, but got shape ${fmtShape(input.shape)}; use transpose(dim0, dim1)`);
  return input.ndim < 2 ? input : transpose(input, 0, 1);
}

/** Broadcasts to `shape` (a copy); -1 keeps the existing size. Gradients are summed back. */
export function expand(input: Tensor, shape: readonly number[]): Tensor {
  checkTensor(input, 'expand');
  if (shape.length < input.ndim) {
    throw new RangeError(`expand: the number of sizes provided (${shape.length}) must be >= the number of dims of the tensor (shape ${fmtShape(input.shape)})`);
  }
  const off = shape.length - input.ndim;
  const target = shape.map((d, i) => (d === -1 && i >= off ? input.shape[i - off] : d));
  const b = broadcastShapes(input.shape, target);
  if (b === null || !sameShape(b, target) || target.some((d) => d < 0)) {
    throw new RangeError(`expand: cannot expand shape ${fmtShape(input.shape)} to ${fmtShape(shape)}`);
  }
  if (sameShape(target, input.shape)) return input;
  const out = empty(target, input.dtype, 'expand');
  const st = stridesOf(input.shape);
  const src = target.map((_, i) => (i < off || input.shape[i - off] === 1 ? 0 : st[i - off]));
  if (out.numel() > 0) {
    k().copyStrided(input.data, 0, Int32Array.from(src), out.data, 0, Int32Array.from(stridesOf(target)), Int32Array.from(target));
  }
  return record(out, 'ExpandBackward', [input], (g) => [sumTo(g, input.shape)]);
}

/** `expand` to a full shape; used by backward rules to undo a reduction. */
export function broadcastTo(input: Tensor, shape: readonly number[]): Tensor {
  return expand(input, shape);
}

/**
 * The `length` entries of `dim` starting at `start` (a copy).
 *
 * @param input the input tensor
 * @param dim the dim to slice
 * @param start the first index kept
 * @param length how many indices are kept
 * @returns a copy of the slice
 */
export function narrow(input: Tensor, dim: number, start: number, length: number): Tensor {
  checkTensor(input, 'narrow');
  const d = normDim(dim, input.ndim, 'narrow');
  const size = input.shape[d];
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    if (typeof start !== 'number' || typeof length !== 'number') throw new TypeError(`narrow: start and length must be integers, got ${readable(start)} and ${readable(length)}`);
    throw new RangeError(`narrow: start ${start} and length ${length} exceed dim ${dim} of size ${size} (shape ${fmtShape(input.shape)})`);
  }
  const shape = input.shape.slice();
  shape[d] = length;
  const out = emptyForKernel(shape, input.dtype, 'narrow'); // every element copied in
  const strides = Int32Array.from(stridesOf(input.shape));
  const offset = s * strides[d];
  if (out.numel() > 0) {
    k().copyStrided(input.data, offset, strides, out.data, 0, Int32Array.from(stridesOf(shape)), Int32Array.from(shape));
  }
  return record(out, 'NarrowBackward', [input], (g) => {
    const dx = empty(input.shape, g.dtype);
    if (g.numel() > 0) k().copyStrided(g.data, 0, Int32Array.from(stridesOf(shape)), dx.data, offset, strides, Int32Array.from(shape));
    return [dx];
  });
}

/** Reads `(2, 3)` / `([2, 3])` shape arguments of methods. */
function shapeArgs(args: readonly ShapeArg[], where: string): number[] {
  const flat = args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly unknown[]) : (args as readonly unknown[]);
  for (const d of flat) {
    if (typeof d !== 'number' || !Number.isInteger(d)) {
      throw new TypeError(`${where}: expected integers or one array of integers, got (${args.map((a) => readable(a)).join(', ')})`);
    }
  }
  return flat.slice() as number[];
}

declare module '../tensor' {
  interface Tensor {
    /** Transpose of a ≤2-D tensor. */
    t(): Tensor;
    /**
     * Same data in a new shape; one dim may be -1. Shares storage.
     *
     * @param shape the new sizes, as numbers or one array; one may be -1 (inferred)
     * @returns a tensor sharing this storage
     */
    reshape(...shape: ShapeArg[]): Tensor;
    /**
     * Alias of reshape (storage is always contiguous).
     *
     * @param shape the new sizes, as numbers or one array; one may be -1 (inferred)
     * @returns a tensor sharing this storage
     */
    view(...shape: ShapeArg[]): Tensor;
    /**
     * Flattens dims startDim..endDim into one.
     *
     * @param startDim the first dim to flatten (default 0)
     * @param endDim the last dim to flatten (default -1)
     * @returns a tensor sharing this storage
     */
    flatten(startDim?: number, endDim?: number): Tensor;
    /**
     * Removes size-1 dims (all, or just `dim`).
     *
     * @param dim the size-1 dim to remove (default: every size-1 dim)
     * @returns a tensor sharing this storage
     */
    squeeze(dim?: number): Tensor;
    /**
     * Inserts a size-1 dim at `dim`.
     *
     * @param dim where the new size-1 dim goes (negative counts from the end)
     * @returns a tensor sharing this storage
     */
    unsqueeze(dim: number): Tensor;
    /**
     * Swaps two dims (copies the data).
     *
     * @param dim0 one dim
     * @param dim1 the other dim
     * @returns a copy with the two dims swapped
     */
    transpose(dim0: number, dim1: number): Tensor;
    /**
     * Reorders dims (copies the data).
     *
     * @param dims the new order of the dims, as numbers or one array
     * @returns a copy
     */
    permute(...dims: ShapeArg[]): Tensor;
    /**
     * Broadcasts to a larger shape (-1 keeps a dim); copies the data.
     *
     * @param shape the new sizes (-1 keeps a dim); size-1 dims repeat
     * @returns a copy
     */
    expand(...shape: ShapeArg[]): Tensor;
    /**
     * `length` entries of `dim` from `start`.
     *
     * @param dim the dim to slice
     * @param start the first index kept
     * @param length how many indices are kept
     * @returns a copy of the slice
     */
    narrow(dim: number, start: number, length: number): Tensor;
  }
}

defineMethods({
  t() { return t(this); },
  reshape(...shape) { return reshape(this, shapeArgs(shape, 'reshape')); },
  view(...shape) { return reshape(this, shapeArgs(shape, 'view'), 'view'); },
  flatten(startDim, endDim) { return flatten(this, startDim, endDim); },
  squeeze(dim) { return squeeze(this, dim); },
  unsqueeze(dim) { return unsqueeze(this, dim); },
  transpose(dim0, dim1) { return transpose(this, dim0, dim1); },
  permute(...dims) { return permute(this, shapeArgs(dims, 'permute')); },
  expand(...shape) { return expand(this, shapeArgs(shape, 'expand')); },
  narrow(dim, start, length) { return narrow(this, dim, start, length); },
});
