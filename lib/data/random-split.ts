/** randomSplit: split a dataset into random, non-overlapping subsets. */
import { defaultGenerator, Generator } from '../random';
import type { Dataset } from './dataset';
import { Subset } from './subset';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of randomSplit. */
export interface RandomSplitOptions {
  /** The generator of the permutation (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

const RANDOM_SPLIT = defineOptions<RandomSplitOptions>('randomSplit', { generator: true });

/**
 * Splits `dataset` into random non-overlapping Subsets of the given lengths
 * (torch.utils.data.random_split). `lengths` are counts summing to the
 * dataset's length, or fractions summing to 1: then each split gets
 * ⌊fraction·N⌋ samples and the remainder is handed out one by one, round
 * robin from the first split (PyTorch's rule).
 *
 *   const [train, val] = randomSplit(ds, [0.8, 0.2], { generator: new Generator(42) });
 *
 * @param dataset the dataset to split
 * @param lengths sizes, or fractions summing to 1
 * @param options `generator`
 * @returns one Subset per length
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], options: RandomSplitOptions = {}): Subset<T>[] {
  rejectUnknownOptions(options, RANDOM_SPLIT);
  if (dataset === null || typeof dataset !== 'object' || typeof dataset.get !== 'function') throw new TypeError('randomSplit: dataset must have length and get(i)');
  if (!Array.isArray(lengths) || lengths.length === 0 || lengths.some((l) => typeof l !== 'number' || !Number.isFinite(l))) {
    throw new TypeError('randomSplit: lengths must be a non-empty array of finite numbers');
  }
  const generator = options.generator ?? defaultGenerator;
  if (!(generator instanceof Generator)) throw new TypeError('randomSplit: generator must be a torch Generator');
  const n = dataset.length;
  const total = lengths.reduce((a, b) => a + b, 0);
  let counts = lengths.slice();
  // PyTorch's test: math.isclose(sum, 1) (relative tolerance 1e-9) and sum <= 1.
  if (Math.abs(total - 1) <= 1e-9 * Math.max(1, Math.abs(total)) && total <= 1) {
    counts = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new RangeError(`randomSplit: Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * frac);
    });
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length] += 1;
  } else {
    counts.forEach((c, i) => {
      if (!Number.isInteger(c) || c < 0) throw new RangeError(`randomSplit: length at index ${i} must be a non-negative integer (or all lengths fractions summing to 1), got ${c}`);
    });
  }
  if (counts.reduce((a, b) => a + b, 0) !== n) {
    throw new RangeError(`randomSplit: Sum of input lengths does not equal the length of the input dataset! (lengths ${JSON.stringify(counts)} sum to ${counts.reduce((a, b) => a + b, 0)}, dataset has ${n})`);
  }
  const perm = generator.permutation(n);
  const out: Subset<T>[] = [];
  let offset = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, perm.subarray(offset, offset + c)));
    offset += c;
  }
  return out;
}
