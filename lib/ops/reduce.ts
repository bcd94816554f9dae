/** Reductions: sum, mean, max, min, argmax, argmin — along dims or over everything. */
import { defineMethods, type Tensor } from '../tensor';
import type { ArgReduceKernel, Float } from '../backend/kernels';
import { isFloat } from '../dtype';
import { fmtShape, keywordHint, normDim, splitAt } from '../shape';
import { checkTensor, empty, k, record } from './util';
import { broadcastTo } from './shape';
import { div, mul } from './arith';
import { eq } from './compare';
import { readable } from '../options';

/** Sorted unique non-negative dims, or null for "all dims" (undefined, null or []). */
export function reduceDims(op: string, x: Tensor, dim: number | readonly number[] | undefined | null): number[] | null {
  if (dim === undefined || dim === null) return null;
  const list = typeof dim === 'number' ? [dim] : dim;
  if (!Array.isArray(list)) throw new TypeError(`${op}: dim must be a number or an array of numbers, got ${readable(dim)}${keywordHint(dim)}`);
  if (list.length === 0) return null;
  const dims = list.map((d) => normDim(d, x.ndim, op));
  if (new Set(dims).size !== dims.length) throw new RangeError(`${op}: dim ${JSON.stringify(list)} appears multiple times`);
  return dims.sort((a, b) => a - b);
}

/** Shape of a reduction with keepdim (reduced dims become 1). */
function keptShape(shape: readonly number[], dims: number[] | null): number[] {
  return shape.map((d, i) => (dims === null || dims.includes(i) ? 1 : d));
}

export function finalShape(shape: readonly number[], dims: number[] | null, keepdim: boolean): number[] {
  if (keepdim) return keptShape(shape, dims);
  return dims === null ? [] : shape.filter((_, i) => !dims.includes(i));
}

/** Sums along `dims` with the raw kernel; the result has keepdim shape. Not recorded. */
function sumRaw(x: Tensor, dims: number[] | null): Tensor {
  if (dims === null) {
    const out = empty(keptShape(x.shape, null), x.dtype, 'sum');
    k().sum(x.data, 1, x.numel(), 1, out.data);
    return out;
  }
  let cur = x;
  const shape = x.shape.slice();
  for (let i = dims.length - 1; i >= 0; i--) {
    const [outer, size, inner] = splitAt(shape, dims[i]);
    shape[dims[i]] = 1;
    const next = empty(shape, x.dtype, 'sum');
    if (next.numel() > 0) k().sum(cur.data, outer, size, inner, next.data);
    cur = next;
  }
  return cur;
}

/**
 * Sum of all elements, or along `dim` (number or array of numbers). int32 sums stay int32.
 *
 * @param input the input tensor
 * @param dim the dim or dims to reduce (default: all)
 * @param keepdim keep the reduced dims with size 1 (default false)
 * @returns the sums
 */
export function sum(input: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  checkTensor(input, 'sum');
  const dims = reduceDims('sum', input, dim);
  const out = sumRaw(input, dims).reshape(finalShape(input.shape, dims, keepdim));
  return record(out, 'SumBackward', [input], (g) => [broadcastTo(g.reshape(keptShape(input.shape, dims)), input.shape)]);
}

/**
 * Mean of all elements, or along `dim`. Float tensors only, as PyTorch.
 *
 * @param input the input tensor
 * @param dim the dim or dims to reduce (default: all)
 * @param keepdim keep the reduced dims with size 1 (default false)
 * @returns the means
 */
export function mean(input: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  checkTensor(input, 'mean');
  if (!isFloat(input.dtype)) {
    throw new TypeError(`mean: expected a float tensor, got dtype ${input.dtype}; convert it first with .float()`);
  }
  const dims = reduceDims('mean', input, dim);
  const kept = keptShape(input.shape, dims);
  let count = 1;
  input.shape.forEach((d, i) => { if (dims === null || dims.includes(i)) count *= d; });
  let raw: Tensor;
  if (dims === null || dims.length === 1) {
    const [outer, size, inner] = dims === null ? [1, input.numel(), 1] : splitAt(input.shape, dims[0]);
    raw = empty(kept, input.dtype, 'mean');
    if (raw.numel() > 0) k().mean(input.data, outer, size, inner, raw.data);
  } else {
    raw = div(sumRaw(input, dims), count);
  }
  const out = raw.reshape(finalShape(input.shape, dims, keepdim));
  return record(out, 'MeanBackward', [input], (g) => [broadcastTo(div(g.reshape(kept), count), input.shape)]);
}

function argReduce(op: 'max' | 'min', x: Tensor, dim: number, keepdim: boolean, where: string = op): [Tensor, Tensor, number, number, number] {
  const d = normDim(dim, x.ndim, where);
  const [outer, size, inner] = splitAt(x.shape, d);
  if (size === 0) throw new RangeError(`${op}: cannot reduce over dim ${dim} of size 0 (shape ${fmtShape(x.shape)})`);
  const shape = x.ndim === 0 ? [] : finalShape(x.shape, [d], keepdim);
  const values = empty(shape, x.dtype, op);
  const indices = empty(shape, 'int32', op);
  if (values.numel() > 0) (k()[op] as ArgReduceKernel)(x.data, outer, size, inner, values.data, indices.data as Int32Array);
  return [values, indices, outer, size, inner];
}

function extreme(op: 'max' | 'min', input: Tensor, dim?: number, keepdim = false): Tensor | [Tensor, Tensor] {
  checkTensor(input, op);
  const name = op === 'max' ? 'MaxBackward' : 'MinBackward';
  if (dim === undefined) {
    if (input.numel() === 0) throw new RangeError(`${op}: cannot reduce an empty tensor (shape ${fmtShape(input.shape)}) without a dim`);
    const [value] = argReduce(op, input.reshape([input.numel()]), 0, false);
    // PyTorch spreads the gradient evenly over all elements equal to the extreme.
    return record(value, name, [input], (g) => {
      const mask = eq(input, value);
      return [mul(mask, div(g, sum(mask)))];
    }, [input]);
  }
  const [values, indices, outer, size, inner] = argReduce(op, input, dim, keepdim);
  record(values, name, [input], (g) => {
    const dx = empty(input.shape, g.dtype);
    if (g.numel() > 0) k().scatterAdd(g.data as Float, outer, size, inner, indices.data as Int32Array, 1, dx.data as Float);
    return [dx];
  }, [indices]);
  return [values, indices];
}

/**
 * Max of all elements (a 0-d tensor), or `[values, indices]` along `dim`.
 *
 * @param input the input tensor
 * @returns the largest element, a 0-d tensor
 */
export function max(input: Tensor): Tensor;
/**
 * Max along `dim`: `[values, indices]` (indices int32; PyTorch's `torch.max(input, dim)`).
 *
 * @param input the input tensor
 * @param dim the dim to reduce
 * @param keepdim keep the reduced dims with size 1 (default false)
 * @returns `[values, indices]`
 */
export function max(input: Tensor, dim: number, keepdim?: boolean): [Tensor, Tensor];
export function max(input: Tensor, dim?: number, keepdim = false): Tensor | [Tensor, Tensor] {
  return extreme('max', input, dim, keepdim);
}

/**
 * Min of all elements (a 0-d tensor), or `[values, indices]` along `dim`.
 *
 * @param input the input tensor
 * @returns the smallest element, a 0-d tensor
 */
export function min(input: Tensor): Tensor;
/**
 * Min along `dim`: `[values, indices]` (indices int32; PyTorch's `torch.min(input, dim)`).
 *
 * @param input the input tensor
 * @param dim the dim to reduce
 * @param keepdim keep the reduced dims with size 1 (default false)
 * @returns `[values, indices]`
 */
export function min(input: Tensor, dim: number, keepdim?: boolean): [Tensor, Tensor];
export function min(input: Tensor, dim?: number, keepdim = false): Tensor | [Tensor, Tensor] {
  return extreme('min', input, dim, keepdim);
}

function argIndex(op: 'max' | 'min', name: string, input: Tensor, dim?: number | null, keepdim = false): Tensor {
  checkTensor(input, name);
  if (dim === undefined || dim === null) {
    if (input.numel() === 0) throw new RangeError(`${name}: cannot reduce an empty tensor without a dim`);
    const idx = argReduce(op, input.reshape([input.numel()]), 0, false)[1];
    return keepdim ? idx.reshape(input.shape.map(() => 1)) : idx;
  }
  return argReduce(op, input, dim, keepdim, name)[1];
}

/**
 * Index of the max as int32: of the flattened tensor, or along `dim`.
 *
 * @param input the input tensor
 * @param dim the dim to search (default: the flattened tensor)
 * @param keepdim keep the reduced dims with size 1 (default false)
 * @returns int32 indices
 */
export function argmax(input: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argIndex('max', 'argmax', input, dim, keepdim);
}

/**
 * Index of the min as int32: of the flattened tensor, or along `dim`.
 *
 * @param input the input tensor
 * @param dim the dim to search (default: the flattened tensor)
 * @param keepdim keep the reduced dims with size 1 (default false)
 * @returns int32 indices
 */
export function argmin(input: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argIndex('min', 'argmin', input, dim, keepdim);
}

declare module '../tensor' {
  interface Tensor {
    /**
     * Sum of all elements, or along `dim` (a number or an array of dims);
     * PyTorch's `Tensor.sum`. int32 sums stay int32.
     *
     * @param dim the dim or dims to reduce (default: all)
     * @param keepdim keep the reduced dims with size 1 (default false)
     * @returns the sums
     *
     * @example
     * ```ts
     * const t = torch.tensor([[1, 2], [3, 4]]);
     * t.sum();            // 10 (a 0-d tensor)
     * t.sum(1);           // [3, 7]
     * t.sum(0, true);     // [[4, 6]]
     * ```
     */
    sum(dim?: number | readonly number[], keepdim?: boolean): Tensor;
    /**
     * Mean of all elements, or along `dim`. Float tensors only, as in PyTorch.
     *
     * @param dim the dim or dims to reduce (default: all)
     * @param keepdim keep the reduced dims with size 1 (default false)
     * @returns the means
     */
    mean(dim?: number | readonly number[], keepdim?: boolean): Tensor;
    /** Max of all elements, or `[values, indices]` along `dim`. */
    max(): Tensor;
    /**
     * Max along `dim`: `[values, indices]` (indices int32), as PyTorch's `max(dim)`.
     *
     * @param dim the dim to reduce
     * @param keepdim keep it with size 1 (default false)
     * @returns `[values, indices]`
     */
    max(dim: number, keepdim?: boolean): [Tensor, Tensor];
    /** Min of all elements, or `[values, indices]` along `dim`. */
    min(): Tensor;
    /**
     * Min along `dim`: `[values, indices]` (indices int32), as PyTorch's `min(dim)`.
     *
     * @param dim the dim to reduce
     * @param keepdim keep it with size 1 (default false)
     * @returns `[values, indices]`
     */
    min(dim: number, keepdim?: boolean): [Tensor, Tensor];
    /**
     * Index of the max (flattened, or along `dim`) as int32.
     *
     * @param dim the dim to search (default: the flattened tensor)
     * @param keepdim keep it with size 1 (default false)
     * @returns int32 indices
     */
    argmax(dim?: number, keepdim?: boolean): Tensor;
    /**
     * Index of the min (flattened, or along `dim`) as int32.
     *
     * @param dim the dim to search (default: the flattened tensor)
     * @param keepdim keep it with size 1 (default false)
     * @returns int32 indices
     */
    argmin(dim?: number, keepdim?: boolean): Tensor;
  }
}

defineMethods({
  sum(dim, keepdim) { return sum(this, dim, keepdim); },
  mean(dim, keepdim) { return mean(this, dim, keepdim); },
  max: function (this: Tensor, dim?: number, keepdim?: boolean) {
    return dim === undefined ? max(this) : max(this, dim, keepdim);
  } as Tensor['max'],
  min: function (this: Tensor, dim?: number, keepdim?: boolean) {
    return dim === undefined ? min(this) : min(this, dim, keepdim);
  } as Tensor['min'],
  argmax(dim, keepdim) { return argmax(this, dim, keepdim); },
  argmin(dim, keepdim) { return argmin(this, dim, keepdim); },
});
