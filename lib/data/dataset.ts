/** The Dataset interface and TensorDataset. */
import { Tensor } from '../tensor';
import { tensor } from '../ops/creation';
import { indexSelect } from '../ops/indexing';
import { fmtShape } from '../shape';

/** What one sample may be for the default collation: a tensor, a number, or an array of them. */
export type Sample = Tensor | number | readonly (Tensor | number)[];

/** The batch the default collation makes from samples of type T: each field stacked into one tensor. */
export type Batch<T> = T extends Tensor | number ? Tensor
  : T extends readonly unknown[] ? { -readonly [K in keyof T]: Tensor }
    : never;

/**
 * A map-style dataset (PyTorch's torch.utils.data.Dataset): a length and
 * random access by index. Any object with these members works with DataLoader.
 */
export interface Dataset<T> {
  /** Number of samples. */
  readonly length: number;
  /**
   * The sample at `index` (0 ≤ index < length).
   *
   * @param index 0 ≤ index < length
   * @returns the sample
   */
  get(index: number): T;
  /**
   * Optional fast path: the samples at `indices` already collated into one
   * batch, equal to the default collation of `get(i)` for each index. DataLoader
   * uses it when present (and no collateFn is given).
   *
   * @param indices the samples
   * @returns the batch, as `defaultCollate` of those samples would give it
   */
  getBatch?(indices: Int32Array): Batch<T>;
}

/** Checks a sample index as Python's indexing does (negative counts from the end); returns it non-negative. */
export function checkIndex(where: string, index: number, length: number): number {
  if (!Number.isInteger(index)) throw new TypeError(`${where}: index must be an integer, got ${String(index)}`);
  if (index < -length || index >= length) throw new RangeError(`${where}: index ${index} is out of range for a dataset of length ${length}`);
  return index < 0 ? index + length : index;
}

/**
 * A dataset of rows of tensors that share their first dimension, PyTorch's
 * `torch.utils.data.TensorDataset`: sample i is `[t0[i], t1[i], ...]`.
 *
 * @example
 * ```ts
 * const ds = new data.TensorDataset(x, y);   // x [N, 4], y [N]
 * const [xi, yi] = ds.get(0);                // xi [4], yi []
 * ds.length;                                 // N
 * ```
 */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The wrapped tensors. */
  readonly tensors: readonly Tensor[];

  /**
   * @param tensors tensors with the same first dimension (the number of samples)
   */
  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new TypeError('TensorDataset: expected at least one tensor');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${i} is not a Tensor`);
      if (t.ndim === 0) throw new RangeError(`TensorDataset: argument ${i} is 0-d; every tensor needs a first dimension to index`);
    });
    const n = tensors[0].shape[0];
    const bad = tensors.findIndex((t) => t.shape[0] !== n);
    if (bad >= 0) {
      throw new RangeError(`TensorDataset: Size mismatch between tensors: first dimensions differ (${tensors.map((t) => fmtShape(t.shape)).join(', ')})`);
    }
    this.tensors = Object.freeze(tensors.slice());
  }

  /** Number of rows. */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /**
   * Row `index` of every tensor (negative indices count from the end).
   *
   * @param index the sample (negative counts from the end)
   * @returns `[t0[index], t1[index], ...]`
   */
  get(index: number): Tensor[] {
    const i = checkIndex('TensorDataset.get', index, this.length);
    return this.tensors.map((t) => t.index([i]).reshape(t.shape.slice(1)));
  }

  /**
   * Rows `indices` of every tensor, gathered with one index op per tensor.
   *
   * @param indices the samples
   * @returns one batch: each tensor's rows at `indices`
   */
  getBatch(indices: Int32Array): Tensor[] {
    const n = this.length;
    for (const i of indices) checkIndex('TensorDataset.getBatch', i, n);
    const idx = tensor(indices, { dtype: 'int32' });
    return this.tensors.map((t) => indexSelect(t, 0, idx));
  }
}
