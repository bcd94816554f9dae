/** Joining tensors: cat and stack. */
import type { Tensor } from '../tensor';
import { promoteTypes } from '../dtype';
import { fmtShape, normDim, stridesOf } from '../shape';
import { checkTensor, empty, k, record } from './util';
import { narrow, unsqueeze } from './shape';

/**
 * Concatenates tensors along `dim`; all other sizes must match. Mixed dtypes promote.
 *
 * @param tensors the tensors to join
 * @param dim the dim to join along (default 0)
 * @returns a new tensor
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!isArray(tensors) || tensors.length === 0) throw new TypeError('cat: expected a non-empty array of tensors');
  tensors.forEach((t, i) => checkTensor(t, 'cat', `tensors[${i}]`));
  const first = tensors[0];
  if (first.ndim === 0) throw new RangeError('cat: zero-dimensional tensors cannot be concatenated; use stack');
  const d = normDim(dim, first.ndim, 'cat');
  let dtype = first.dtype;
  let total = 0;
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((s, i) => i !== d && s !== first.shape[i])) {
      throw new RangeError(`cat: sizes of tensors must match except in dim ${dim}; got ${tensors.map((x) => fmtShape(x.shape)).join(' and ')}`);
    }
    dtype = promoteTypes(dtype, t.dtype);
    total += t.shape[d];
  }
  const parts = tensors.map((t) => t.to(dtype));
  const shape = first.shape.slice();
  shape[d] = total;
  const out = empty(shape, dtype, 'cat');
  const dst = Int32Array.from(stridesOf(shape));
  let offset = 0;
  for (const t of parts) {
    if (t.numel() > 0) {
      k().copyStrided(t.data, 0, Int32Array.from(stridesOf(t.shape)), out.data, offset * dst[d], dst, Int32Array.from(t.shape));
    }
    offset += t.shape[d];
  }
  return record(out, 'CatBackward', parts, (g) => {
    let start = 0;
    return parts.map((t) => {
      const part = narrow(g, d, start, t.shape[d]);
      start += t.shape[d];
      return part;
    });
  });
}

/**
 * Stacks same-shaped tensors along a new dim.
 *
 * @param tensors tensors of one shape
 * @param dim where the new dim goes (default 0)
 * @returns a new tensor
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!isArray(tensors) || tensors.length === 0) throw new TypeError('stack: expected a non-empty array of tensors');
  tensors.forEach((t, i) => checkTensor(t, 'stack', `tensors[${i}]`));
  const first = tensors[0];
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((s, i) => s !== first.shape[i])) {
      throw new RangeError(`stack: expects each tensor to be equal size, but got ${tensors.map((x) => fmtShape(x.shape)).join(' and ')}`);
    }
  }
  const d = normDim(dim, first.ndim + 1, 'stack');
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

/** Array.isArray without widening a readonly array to any[]. */
function isArray(v: readonly Tensor[]): boolean {
  return Array.isArray(v);
}
