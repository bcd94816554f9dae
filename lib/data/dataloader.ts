/** DataLoader: iterate a dataset in (shuffled) batches. */
import { defaultGenerator, Generator } from '../random';
import type { Batch, Dataset } from './dataset';
import { fetchBatch } from './fetch';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of DataLoader (PyTorch's keyword arguments in camelCase). */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Draw a new random order every epoch (default false). */
  shuffle?: boolean;
  /** Drop the last batch if it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** The generator shuffling draws from (default: the one `manualSeed` seeds). */
  generator?: Generator;
  /** Makes a batch from a list of samples (default: stack each field, see defaultCollate). */
  collateFn?: (samples: T[]) => B;
  /** Where the indices of an epoch come from (e.g. a DistributedSampler); excludes `shuffle`. */
  sampler?: Sampler;
}

/** A source of dataset indices, one epoch per iteration (torch.utils.data.Sampler). */
export interface Sampler extends Iterable<number> {
  /** Indices per epoch. */
  readonly length: number;
}

const DATALOADER = defineOptions<DataLoaderOptions<unknown, unknown>>('DataLoader', { batchSize: true, shuffle: true, dropLast: true, generator: true, collateFn: true, sampler: true });

/**
 * Iterates a dataset in batches, PyTorch's `torch.utils.data.DataLoader`
 * (single process). Each `for…of` is one epoch; with `shuffle` every epoch
 * draws a new permutation from the generator, so `manualSeed` makes runs
 * reproducible.
 *
 * Without a collateFn, a dataset with `getBatch` (TensorDataset, Subset of
 * one) is read with one gather per tensor per batch instead of per-sample stacking.
 *
 * @example
 * ```ts
 * const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 64, shuffle: true });
 * for (const [xb, yb] of loader) {
 *   // xb: [64, ...x's other dims], yb: [64] (the last batch may be smaller unless dropLast)
 * }
 * ```
 */
export class DataLoader<T, B = Batch<T>> implements Iterable<B> {
  /** The dataset samples come from. */
  readonly dataset: Dataset<T>;
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether each epoch is shuffled. */
  readonly shuffle: boolean;
  /** Whether a last, incomplete batch is dropped. */
  readonly dropLast: boolean;
  /** The generator used to shuffle. */
  readonly generator: Generator;
  /** The sampler indices come from, or null (then 0..n-1, shuffled or not). */
  readonly sampler: Sampler | null;
  private readonly collateFn: ((samples: T[]) => B) | null;

  /**
   * @param dataset anything with `length` and `get(i)` (e.g. `TensorDataset`, `Subset`)
   * @param options `batchSize` (default 1), `shuffle`, `dropLast`, `generator`, `sampler`, `collateFn`
   */
  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    rejectUnknownOptions(options, DATALOADER);
    if (dataset === null || typeof dataset !== 'object' || typeof dataset.get !== 'function' || !Number.isInteger(dataset.length) || dataset.length < 0) {
      throw new TypeError('DataLoader: dataset must be an object with an integer length and a get(index) method');
    }
    if (options === null || typeof options !== 'object') throw new TypeError('DataLoader: options must be an object');
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(`DataLoader: batch_size should be a positive integer value, but got batchSize=${String(batchSize)}`);
    }
    for (const key of ['shuffle', 'dropLast'] as const) {
      const v = options[key];
      if (v !== undefined && typeof v !== 'boolean') throw new TypeError(`DataLoader: ${key} should be a boolean value, but got ${key}=${String(v)}`);
    }
    if (options.generator !== undefined && !(options.generator instanceof Generator)) throw new TypeError('DataLoader: generator must be a torch Generator');
    if (options.collateFn !== undefined && typeof options.collateFn !== 'function') throw new TypeError('DataLoader: collateFn must be a function');
    const sampler = options.sampler ?? null;
    if (sampler !== null && (typeof sampler[Symbol.iterator] !== 'function' || !Number.isInteger(sampler.length))) {
      throw new TypeError('DataLoader: sampler must be an iterable of indices with an integer length');
    }
    if (sampler !== null && options.shuffle) throw new RangeError('DataLoader: sampler option is mutually exclusive with shuffle');
    this.sampler = sampler;
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.generator = options.generator ?? defaultGenerator;
    this.collateFn = options.collateFn ?? null;
  }

  /** Number of batches in one epoch. */
  get length(): number {
    const n = this.sampler?.length ?? this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One epoch of batches. The order is drawn when iteration starts. */
  *[Symbol.iterator](): Iterator<B> {
    let n = this.dataset.length;
    let order: Int32Array;
    if (this.sampler !== null) {
      order = Int32Array.from(this.sampler);
      n = order.length;
    } else if (this.shuffle) {
      order = this.generator.permutation(n);
    } else {
      order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
    }
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      const indices = order.subarray(b * this.batchSize, Math.min(n, (b + 1) * this.batchSize));
      if (this.collateFn !== null) {
        yield this.collateFn(Array.from(indices, (i) => this.dataset.get(i)));
      } else {
        // Without a collateFn, B is Batch<T> (the constructor's default).
        yield fetchBatch(this.dataset, indices) as B;
      }
    }
  }
}
