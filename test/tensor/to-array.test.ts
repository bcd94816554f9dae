// Tensor.toArray(rank): PyTorch's tolist(), typed by the rank it is told and checked against ndim.
import { describe, expect, it } from 'vitest';
import * as torch from '../../lib';

describe('toArray', () => {
  it('returns nested arrays typed by the rank given', () => {
    const m: number[][] = torch.tensor([[1, 2], [3, 4]]).toArray(2);
    expect(m).toEqual([[1, 2], [3, 4]]);
    const v: number[] = torch.arange(3).toArray(1);
    expect(v).toEqual([0, 1, 2]);
    const s: number = torch.tensor(5).toArray(0);
    expect(s).toBe(5);
    const c: number[][][] = torch.zeros(2, 0, 3).toArray(3);
    expect(c).toEqual([[], []]);
    expect(torch.ones(1, 1, 1, 1, 1, 1, 1).toArray(7)).toEqual([[[[[[[1]]]]]]]);
  });

  it('without a rank gives the same values', () => {
    expect(torch.eye(2).toArray()).toEqual(torch.eye(2).toArray(2));
    expect(torch.tensor(2.5).toArray()).toBe(2.5);
  });

  it('refuses a rank that is not ndim, naming the shape', () => {
    expect(() => torch.zeros(2, 3).toArray(1)).toThrow('toArray: expected a 1-d tensor, got shape [2, 3] (2-d)');
    expect(() => torch.tensor(1).toArray(1)).toThrow(/got shape \[\] \(0-d\)/);
  });
});
