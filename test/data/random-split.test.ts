/** randomSplit: sizes (counts and fractions with PyTorch's rounding), disjointness, reproducibility. */
import { it, expect } from 'vitest';
import * as torch from '../../lib';
import * as data from '../../lib/data';
import { describeBackends } from '../helpers';

function range(n: number): data.Dataset<number> {
  return { length: n, get: (i) => i };
}

function all(sub: data.Subset<number>): number[] {
  return Array.from({ length: sub.length }, (_, i) => sub.get(i));
}

describeBackends('randomSplit', () => {
  it('splits by counts into disjoint subsets covering the dataset', () => {
    const parts = data.randomSplit(range(10), [3, 7], { generator: new torch.Generator(42) });
    expect(parts.map((p) => p.length)).toEqual([3, 7]);
    const values = parts.flatMap(all);
    expect(values.slice().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const again = data.randomSplit(range(10), [3, 7], { generator: new torch.Generator(42) });
    expect(again.flatMap(all)).toEqual(values);
  });

  it('fractions: floor, then the remainder round robin from the first split (PyTorch\'s rule)', () => {
    // PyTorch 1.13: random_split(range(30), [0.3, 0.3, 0.4]) → 9, 9, 12;
    // range(10) with [0.33, 0.33, 0.34] → floor 3, 3, 3, remainder 1 → 4, 3, 3.
    expect(data.randomSplit(range(30), [0.3, 0.3, 0.4]).map((p) => p.length)).toEqual([9, 9, 12]);
    expect(data.randomSplit(range(10), [0.33, 0.33, 0.34]).map((p) => p.length)).toEqual([4, 3, 3]);
    expect(data.randomSplit(range(7), [0.5, 0.5]).map((p) => p.length)).toEqual([4, 3]);
    expect(data.randomSplit(range(2), [0.1, 0.1, 0.8]).map((p) => p.length)).toEqual([1, 0, 1]);
    const parts = data.randomSplit(range(101), [0.8, 0.1, 0.1]);
    expect(parts.map((p) => p.length)).toEqual([81, 10, 10]);
    expect(new Set(parts.flatMap(all)).size).toBe(101);
  });

  it('uses the default generator, seeded by manualSeed', () => {
    torch.manualSeed(3);
    const a = data.randomSplit(range(12), [6, 6]).flatMap(all);
    torch.manualSeed(3);
    expect(data.randomSplit(range(12), [6, 6]).flatMap(all)).toEqual(a);
  });

  it('errors', () => {
    expect(() => data.randomSplit(range(10), [3, 6])).toThrow(/Sum of input lengths does not equal the length of the input dataset/);
    expect(() => data.randomSplit(range(10), [1.5, -0.5])).toThrow(/Fraction at index 0 is not between 0 and 1/);
    expect(() => data.randomSplit(range(10), [2.5, 7.5])).toThrow(/non-negative integer/);
    expect(() => data.randomSplit(range(10), [])).toThrow(TypeError);
  });
});
