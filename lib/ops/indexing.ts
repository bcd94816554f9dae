/** Indexing: indexSelect (rows and other dims) and gather, with their scatter-add backward. */
import { defineMethods, Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { fmtShape, normDim, splitAt } from '../shape';
import { checkTensor, empty, k, record } from './util';

function toIndex(index: Tensor | readonly number[], op: string): Tensor {
  if (index instanceof Tensor) {
    if (index.dtype !== 'int32') throw new TypeError(`${op}: index must be an int32 tensor, got dtype ${index.dtype}`);
    return index;
  }
  if (!Array.isArray(index)) throw new TypeError(`${op}: index must be an int32 Tensor or an array of integers`);
  for (const i of index) {
    if (!Number.isInteger(i)) throw new TypeError(`${op}: index must contain integers, got ${String(i)}`);
  }
  return new Tensor(Int32Array.from(index), [index.length]);
}

/**
 * Entries of `dim` picked by a 1-D index (negative indices count from the end, as PyTorch).
 *
 * @param input the input tensor
 * @param dim the dim to select along
 * @param index int32 indices (a tensor or an array)
 * @returns a copy with `index.length` entries along `dim`
 */
export function indexSelect(input: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  checkTensor(input, 'indexSelect');
  let idx = toIndex(index, 'indexSelect');
  if (idx.ndim > 1) throw new RangeError(`indexSelect: index must be 1-D, got shape ${fmtShape(idx.shape)}`);
  if (input.ndim === 0) throw new RangeError('indexSelect: cannot index a 0-d tensor');
  const d = normDim(dim, input.ndim, 'indexSelect');
  const [outer, size, inner] = splitAt(input.shape, d);
  idx = wrapNegative(idx, size);
  const shape = input.shape.slice();
  shape[d] = idx.numel();
  const out = empty(shape, input.dtype, 'indexSelect');
  if (out.numel() > 0 || idx.numel() > 0) {
    k().indexSelect(input.data, outer, size, inner, idx.data as Int32Array, out.data);
  }
  return record(out, 'IndexSelectBackward', [input], (g) => {
    const dx = empty(input.shape, g.dtype);
    k().indexAdd(g.data as Float, outer, size, inner, idx.data as Int32Array, dx.data as Float);
    return [dx];
  }, [idx]);
}

/** Turns negative indices into positive ones (a copy only when needed). */
function wrapNegative(idx: Tensor, size: number): Tensor {
  const data = idx.data as Int32Array;
  let negative = false;
  for (let i = 0; i < data.length && !negative; i++) negative = data[i] < 0;
  if (!negative) return idx;
  const out = Int32Array.from(data, (v) => (v < 0 && v >= -size ? v + size : v));
  return new Tensor(out, idx.shape);
}

/**
 * torch.gather along `dim`: out[..., j, ...] = input[..., index[..., j, ...], ...].
 * `index` is int32 with the same rank; its other dims must equal the input's.
 *
 * @param input the input tensor
 * @param dim the dim to gather along
 * @param index int32 indices, the shape of the output
 * @returns a new tensor
 */
export function gather(input: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor(input, 'gather');
  checkTensor(index, 'gather', 'index');
  if (index.dtype !== 'int32') throw new TypeError(`gather: index must be an int32 tensor, got dtype ${index.dtype}`);
  if (index.ndim !== input.ndim) {
    throw new RangeError(`gather: index ${fmtShape(index.shape)} and input ${fmtShape(input.shape)} must have the same number of dims`);
  }
  const d = normDim(dim, input.ndim, 'gather');
  for (let i = 0; i < input.ndim; i++) {
    if (i !== d && index.shape[i] !== input.shape[i]) {
      throw new RangeError(`gather: index ${fmtShape(index.shape)} must match input ${fmtShape(input.shape)} in every dim except ${dim}`);
    }
  }
  const [outer, size, inner] = splitAt(input.shape, d);
  const n = input.ndim === 0 ? 1 : index.shape[d];
  const out = empty(index.shape, input.dtype, 'gather');
  if (out.numel() > 0) k().gather(input.data, outer, size, inner, index.data as Int32Array, n, out.data);
  return record(out, 'GatherBackward', [input], (g) => {
    const dx = empty(input.shape, g.dtype);
    if (g.numel() > 0) k().scatterAdd(g.data as Float, outer, size, inner, index.data as Int32Array, n, dx.data as Float);
    return [dx];
  }, [index]);
}

declare module '../tensor' {
  interface Tensor {
    /**
     * Rows (entries of dim 0) picked by an int32 tensor or an array of indices.
     *
     * @param indices int32 row indices (a tensor or an array)
     * @returns the selected rows, a copy
     */
    index(indices: Tensor | readonly number[]): Tensor;
    /**
     * Entries of `dim` picked by a 1-D int32 index.
     *
     * @param dim the dim to select along
     * @param index int32 indices (a tensor or an array)
     * @returns a copy with `index.length` entries along `dim`
     */
    indexSelect(dim: number, index: Tensor | readonly number[]): Tensor;
    /**
     * torch.gather along `dim` with an int32 index of the same rank.
     *
     * @param dim the dim to gather along
     * @param index int32 indices, the shape of the output
     * @returns a new tensor
     */
    gather(dim: number, index: Tensor): Tensor;
  }
}

defineMethods({
  index(indices) { return indexSelect(this, 0, indices); },
  indexSelect(dim, index) { return indexSelect(this, dim, index); },
  gather(dim, index) { return gather(this, dim, index); },
});
