/**
 * DistributedSampler (torch.utils.data.distributed): each rank draws its own
 * share of a dataset's indices, the shares disjoint and of equal length.
 * With `shuffle`, every rank permutes with the same generator seeded
 * `seed + epoch` (call `setEpoch` at each epoch's start for a new order).
 * Without `dropLast` the indices are padded by repeating the first ones so
 * they divide evenly; with it the tail is dropped. Rank r takes every
 * numReplicas-th index starting at r, as PyTorch.
 *
 *   const sampler = new data.DistributedSampler(dataset, { shuffle: true, seed: 0 });
 *   const loader = new data.DataLoader(dataset, { batchSize: 32, sampler });
 *   for (let epoch = 0; epoch < epochs; epoch++) { sampler.setEpoch(epoch); for (const b of loader) ... }
 */
import { Generator } from '../random';
import type { Dataset } from './dataset';
import type { Sampler } from './dataloader';
import { getRank, getWorldSize, isInitialized } from '../distributed/process-group';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of DistributedSampler (PyTorch's keywords). */
export interface DistributedSamplerOptions {
  /** Number of ranks sharing the dataset (default: the process group's world size). */
  numReplicas?: number;
  /** This rank (default: the process group's rank). */
  rank?: number;
  /** Permute the indices each epoch (default true). */
  shuffle?: boolean;
  /** Seed of the permutation, the same on every rank (default 0). */
  seed?: number;
  /** Drop the tail that does not divide evenly instead of padding (default false). */
  dropLast?: boolean;
}

const OPTIONS = defineOptions<DistributedSamplerOptions>('DistributedSampler', { numReplicas: true, rank: true, shuffle: true, seed: true, dropLast: true });

/** See the module comment. */
export class DistributedSampler implements Sampler {
  /** The number of ranks the data set is split over. */
  readonly numReplicas: number;
  /** The rank whose part this sampler yields. */
  readonly rank: number;
  /** Whether each epoch shuffles the indices (same permutation on every rank). */
  readonly shuffle: boolean;
  /** Seed of the shuffle; the epoch is added to it. */
  readonly seed: number;
  /** Whether the tail is dropped instead of padded by repetition. */
  readonly dropLast: boolean;
  /** Indices this rank draws per epoch. */
  readonly numSamples: number;
  /** Indices all ranks draw together per epoch. */
  readonly totalSize: number;
  private readonly size: number;
  private epoch = 0;

  /**
   * @param dataset the dataset to split
   * @param options `numReplicas`, `rank` (default: the process group's), `shuffle`, `seed`, `dropLast`
   */
  constructor(dataset: Pick<Dataset<unknown>, 'length'>, options: DistributedSamplerOptions = {}) {
    if (dataset === null || typeof dataset !== 'object' || !Number.isInteger(dataset.length) || dataset.length < 0) {
      throw new TypeError('DistributedSampler: dataset must be an object with an integer length');
    }
    rejectUnknownOptions(options, OPTIONS);
    const needGroup = options.numReplicas === undefined || options.rank === undefined;
    if (needGroup && !isInitialized()) {
      throw new Error('DistributedSampler: pass numReplicas and rank, or call torch.distributed.initProcessGroup() first');
    }
    const numReplicas = options.numReplicas ?? getWorldSize();
    const rank = options.rank ?? getRank();
    if (!Number.isInteger(numReplicas) || numReplicas < 1) throw new RangeError(`DistributedSampler: numReplicas must be a positive integer (got ${String(numReplicas)})`);
    if (!Number.isInteger(rank) || rank < 0 || rank >= numReplicas) {
      throw new RangeError(`DistributedSampler: Invalid rank ${String(rank)}, rank should be in the interval [0, ${numReplicas - 1}]`);
    }
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed)) throw new TypeError(`DistributedSampler: seed must be an integer (got ${String(seed)})`);
    this.numReplicas = numReplicas;
    this.rank = rank;
    this.shuffle = options.shuffle ?? true;
    this.seed = seed;
    this.dropLast = options.dropLast ?? false;
    this.size = dataset.length;
    this.numSamples = this.dropLast && this.size % numReplicas !== 0
      ? Math.ceil((this.size - numReplicas) / numReplicas)
      : Math.ceil(this.size / numReplicas);
    this.totalSize = this.numSamples * numReplicas;
  }

  /** Indices per epoch on this rank. */
  get length(): number {
    return this.numSamples;
  }

  /**
   * Sets the epoch, which seeds the next permutation (call it at each epoch's start).
   *
   * @param epoch the epoch number, mixed into the shuffle's seed
   */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`DistributedSampler.setEpoch: epoch must be a non-negative integer (got ${String(epoch)})`);
    this.epoch = epoch;
  }

  /** This rank's indices for the current epoch. */
  *[Symbol.iterator](): Iterator<number> {
    const n = this.size;
    let order: Int32Array;
    if (this.shuffle) {
      order = new Generator(this.seed + this.epoch).permutation(n);
    } else {
      order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
    }
    for (let k = this.rank; k < this.totalSize; k += this.numReplicas) {
      // Past the end (no dropLast): wrap around, PyTorch's padding by repetition.
      yield order[k % n];
    }
  }
}
