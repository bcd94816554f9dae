/**
 * embedding(indices, weight, paddingIdx): rows of a lookup table, one per
 * index, on the indexSelect kernel; the backward scatter-adds the upstream
 * rows into a zero table with indexAdd (repeated indices accumulate) and
 * leaves the paddingIdx row zero.
 */
import type { Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { isFloat } from '../dtype';
import { fmtShape } from '../shape';
import { readable } from '../options';
import { checkTensor, empty, k, record } from './util';

/**
 * The rows of `weight` [numEmbeddings, dim] at `indices` (int32, any shape):
 * the result is indices.shape + [dim]. `paddingIdx` (negative counts from the
 * end, null for none) names a row that gets no gradient.
 */
export function embedding(indices: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  checkTensor(indices, 'embedding', 'indices');
  checkTensor(weight, 'embedding', 'weight');
  if (indices.dtype !== 'int32') {
    throw new TypeError(`embedding: indices must be an int32 tensor, got dtype ${indices.dtype} (shape ${fmtShape(indices.shape)}); convert with .to('int32')`);
  }
  if (weight.ndim !== 2 || !isFloat(weight.dtype)) {
    throw new TypeError(`embedding: weight must be a 2-D float tensor [numEmbeddings, embeddingDim], got ${weight.dtype} ${fmtShape(weight.shape)}`);
  }
  const [n, dim] = weight.shape;
  const pad = paddingRow(paddingIdx, n, 'embedding');
  const idx = indices.data as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    if (v < 0 || v >= n) {
      throw new RangeError(`embedding: index ${v} (at flat position ${i} of indices ${fmtShape(indices.shape)}) is out of range for a table of ${n} embeddings (weight ${fmtShape(weight.shape)}); indices must lie in [0, ${n})`);
    }
  }
  const out = empty([...indices.shape, dim], weight.dtype, 'embedding');
  if (out.numel() > 0) k().indexSelect(weight.data, 1, n, dim, idx, out.data);
  return record(out, 'EmbeddingBackward', [weight], (g) => {
    const dw = empty(weight.shape, g.dtype);
    if (g.numel() > 0) k().indexAdd(g.data as Float, 1, n, dim, idx, dw.data as Float);
    if (pad !== null) dw.data.fill(0, pad * dim, (pad + 1) * dim);
    return [dw];
  }, [indices]);
}

/** paddingIdx as a row number in [0, n), or null; negative counts from the end, as PyTorch. */
export function paddingRow(paddingIdx: number | null | undefined, n: number, op: string): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (!Number.isInteger(paddingIdx) || paddingIdx >= n || paddingIdx < -n) {
    throw new RangeError(`${op}: paddingIdx must be an integer in [-${n}, ${n}) for ${n} embeddings, got ${readable(paddingIdx)}`);
  }
  return paddingIdx < 0 ? paddingIdx + n : paddingIdx;
}
