/** Fetching one batch from any dataset. */
import type { Batch, Dataset } from './dataset';
import { defaultCollate } from './collate';

/** The default-collated batch of samples `indices`: the dataset's getBatch if it has one, else get() per sample. */
export function fetchBatch<T>(dataset: Dataset<T>, indices: Int32Array): Batch<T> {
  if (typeof dataset.getBatch === 'function') return dataset.getBatch(indices);
  return defaultCollate(Array.from(indices, (i) => dataset.get(i)));
}
