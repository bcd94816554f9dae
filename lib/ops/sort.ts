/**
 * sort, argsort and topk: one stable sort kernel along a dim. Equal values
 * keep their input order in both directions (PyTorch's `stable=True`), so
 * topk returns, among equal values, the ones that come first in the input.
 * NaN sorts above every number, as in PyTorch.
 */
import { defineMethods, type Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { fmtShape, normDim, splitAt } from '../shape';
import { readable } from '../options';
import { narrow } from './shape';
import { checkTensor, empty, k, record } from './util';

/** Sorted values and source indices along dim d (not recorded). */
function sortRaw(input: Tensor, d: number, descending: boolean, op: string): [Tensor, Tensor] {
  if (typeof descending !== 'boolean') throw new TypeError(`${op}: ${op === 'topk' ? 'largest' : 'descending'} must be a boolean, got ${readable(descending)}`);
  const [outer, size, inner] = splitAt(input.shape, d);
  const values = empty(input.shape, input.dtype, op);
  const indices = empty(input.shape, 'int32', op);
  if (values.numel() > 0) k().sort(input.data, outer, size, inner, descending, values.data, indices.data as Int32Array);
  return [values, indices];
}

/** Records `values` (taken from input at `indices` along d): the gradient is scattered back. */
function recordPicked(values: Tensor, indices: Tensor, input: Tensor, d: number, name: string): Tensor {
  const [outer, size, inner] = splitAt(input.shape, d);
  const n = input.ndim === 0 ? 1 : values.shape[d];
  return record(values, name, [input], (g) => {
    const dx = empty(input.shape, g.dtype);
    if (g.numel() > 0) k().scatterAdd(g.data as Float, outer, size, inner, indices.data as Int32Array, n, dx.data as Float);
    return [dx];
  }, [indices]);
}

/**
 * `[values, indices]` of `input` sorted along `dim` (default the last),
 * ascending unless `descending`. Stable: equal values keep their order.
 * Indices are int32. PyTorch's `torch.sort` (with `stable=True`).
 *
 * @param input the tensor to sort
 * @param dim the dim to sort along, negative from the end (default -1)
 * @param descending largest first (default false)
 * @returns `[values, indices]`, both of input's shape; indices int32
 *
 * @example
 * ```ts
 * const [values, indices] = torch.sort(torch.tensor([3, 1, 2]));   // [1, 2, 3], [1, 2, 0]
 * const [down] = torch.tensor([[3, 1], [0, 5]]).sort(0, true);       // [[3, 5], [0, 1]]
 * ```
 */
export function sort(input: Tensor, dim = -1, descending = false): [Tensor, Tensor] {
  checkTensor(input, 'sort');
  const d = normDim(dim, input.ndim, 'sort');
  const [values, indices] = sortRaw(input, d, descending, 'sort');
  return [recordPicked(values, indices, input, d, 'SortBackward'), indices];
}

/**
 * The int32 indices that sort `input` along `dim` (stable; see sort).
 * PyTorch's `torch.argsort`.
 *
 * @param input the tensor to sort
 * @param dim the dim to sort along, negative from the end (default -1)
 * @param descending largest first (default false)
 * @returns int32 indices of input's shape
 */
export function argsort(input: Tensor, dim = -1, descending = false): Tensor {
  checkTensor(input, 'argsort');
  return sortRaw(input, normDim(dim, input.ndim, 'argsort'), descending, 'argsort')[1];
}

/**
 * `[values, indices]` of the `k` largest (or, with largest false, smallest)
 * entries along `dim` (default the last), in sorted order. Among equal values
 * the earlier ones in the input are taken first (PyTorch leaves that order
 * unspecified); `sorted` is accepted for PyTorch's signature, the result is
 * always sorted. PyTorch's `torch.topk`.
 *
 * @param input the tensor to pick from
 * @param k how many entries to take, 0 ≤ k ≤ the size of `dim`
 * @param dim the dim to pick along, negative from the end (default -1)
 * @param largest take the largest (default true) or the smallest
 * @param sorted accepted for PyTorch's signature; the result is always sorted (default true)
 * @returns `[values, indices]`, input's shape with `dim` of size k; indices int32
 */
export function topk(input: Tensor, k: number, dim = -1, largest = true, sorted = true): [Tensor, Tensor] {
  checkTensor(input, 'topk');
  const d = normDim(dim, input.ndim, 'topk');
  const size = input.ndim === 0 ? 1 : input.shape[d];
  if (typeof k !== 'number' || !Number.isInteger(k)) throw new TypeError(`topk: k must be an integer, got ${readable(k)}`);
  if (k < 0 || k > size) {
    throw new RangeError(`topk: k (${k}) is out of range for dim ${dim} of size ${size} (shape ${fmtShape(input.shape)}); expected 0 <= k <= ${size}`);
  }
  if (typeof sorted !== 'boolean') throw new TypeError(`topk: sorted must be a boolean, got ${readable(sorted)}`);
  const [all, allIndices] = sortRaw(input, d, largest, 'topk');
  const [values, indices] = input.ndim === 0 ? [all, allIndices] : [narrow(all, d, 0, k), narrow(allIndices, d, 0, k)];
  return [recordPicked(values, indices, input, d, 'TopkBackward'), indices];
}

declare module '../tensor' {
  interface Tensor {
    /**
     * `[values, indices]` sorted along `dim` (default -1), stably; indices int32.
     *
     * @param dim the dim to sort along, negative from the end (default -1)
     * @param descending largest first (default false)
     */
    sort(dim?: number, descending?: boolean): [Tensor, Tensor];
    /**
     * int32 indices that sort along `dim` (default -1), stably.
     *
     * @param dim the dim to sort along, negative from the end (default -1)
     * @param descending largest first (default false)
     */
    argsort(dim?: number, descending?: boolean): Tensor;
    /**
     * `[values, indices]` of the k largest (or smallest) along `dim` (default -1), sorted.
     *
     * @param k how many entries to take, 0 ≤ k ≤ the size of `dim`
     * @param dim the dim to pick along, negative from the end (default -1)
     * @param largest take the largest (default true) or the smallest
     * @param sorted accepted for PyTorch's signature; the result is always sorted (default true)
     */
    topk(k: number, dim?: number, largest?: boolean, sorted?: boolean): [Tensor, Tensor];
  }
}

defineMethods({
  sort(dim, descending) { return sort(this, dim, descending); },
  argsort(dim, descending) { return argsort(this, dim, descending); },
  topk(n, dim, largest, sorted) { return topk(this, n, dim, largest, sorted); },
});
