/** Subset: a view of a dataset at chosen indices. */
import type { Batch, Dataset } from './dataset';
import { checkIndex } from './dataset';
import { fetchBatch } from './fetch';

/** The samples of `dataset` at `indices`, in that order (torch.utils.data.Subset). */
export class Subset<T> implements Dataset<T> {
  /** The dataset the samples come from. */
  readonly dataset: Dataset<T>;
  /** Indices into `dataset`. */
  readonly indices: Int32Array;

  /**
   * @param dataset the whole dataset
   * @param indices the samples this subset holds
   */
  constructor(dataset: Dataset<T>, indices: ArrayLike<number>) {
    if (dataset === null || typeof dataset !== 'object' || typeof dataset.get !== 'function') {
      throw new TypeError('Subset: dataset must have length and get(i)');
    }
    const n = dataset.length;
    this.dataset = dataset;
    this.indices = Int32Array.from(Array.from(indices, (i) => checkIndex('Subset', i, n)));
  }

  /** Number of samples in the subset. */
  get length(): number {
    return this.indices.length;
  }

  /**
   * Sample `index` of the subset.
   *
   * @param index the position in this subset
   * @returns the dataset's sample at `indices[index]`
   */
  get(index: number): T {
    return this.dataset.get(this.indices[checkIndex('Subset.get', index, this.length)]);
  }

  /**
   * Samples `indices` of the subset as one batch, through the dataset's own fast path if it has one.
   *
   * @param indices positions in this subset
   * @returns one batch of the underlying samples
   */
  getBatch(indices: Int32Array): Batch<T> {
    const n = this.length;
    return fetchBatch(this.dataset, indices.map((i) => this.indices[checkIndex('Subset.getBatch', i, n)]));
  }
}
