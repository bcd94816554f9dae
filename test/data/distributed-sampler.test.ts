// data.DistributedSampler: PyTorch's partition of indices across ranks (padding,
// dropLast, seed + epoch shuffling), and DataLoader's sampler option.
import { describe, expect, it } from 'vitest';
import * as torch from '../../lib';

const { data } = torch;
const dataset = (n: number) => new data.TensorDataset(torch.arange(n).reshape(n, 1));
const indices = (n: number, o: torch.data.DistributedSamplerOptions) => [...new data.DistributedSampler(dataset(n), o)];

describe('DistributedSampler', () => {
  it('without shuffle: rank r takes every numReplicas-th index from r, padded by repeating the first', () => {
    expect(indices(10, { numReplicas: 3, rank: 0, shuffle: false })).toEqual([0, 3, 6, 9]);
    expect(indices(10, { numReplicas: 3, rank: 1, shuffle: false })).toEqual([1, 4, 7, 0]);
    expect(indices(10, { numReplicas: 3, rank: 2, shuffle: false })).toEqual([2, 5, 8, 1]);
    // More padding than data (PyTorch repeats the whole list).
    expect(indices(2, { numReplicas: 5, rank: 4, shuffle: false })).toEqual([0]);
    expect(new data.DistributedSampler(dataset(10), { numReplicas: 3, rank: 0 }).length).toBe(4);
  });

  it('dropLast drops the uneven tail instead (PyTorch: ceil((n - R) / R) per rank)', () => {
    expect(indices(10, { numReplicas: 3, rank: 0, shuffle: false, dropLast: true })).toEqual([0, 3, 6]);
    expect(indices(10, { numReplicas: 3, rank: 2, shuffle: false, dropLast: true })).toEqual([2, 5, 8]);
    expect(indices(9, { numReplicas: 3, rank: 1, shuffle: false, dropLast: true })).toEqual([1, 4, 7]);
  });

  it('shuffles with seed + epoch: the ranks partition one permutation; setEpoch draws another', () => {
    const samplers = [0, 1].map((rank) => new data.DistributedSampler(dataset(11), { numReplicas: 2, rank, seed: 5 }));
    const epoch0 = samplers.map((s) => [...s]);
    const all = [...epoch0[0], ...epoch0[1]];
    expect(all.length).toBe(12);
    expect(new Set(all).size).toBe(11);
    expect(epoch0[0]).toEqual([...samplers[0]]);
    samplers.forEach((s) => s.setEpoch(1));
    const epoch1 = samplers.map((s) => [...s]);
    expect(epoch1[0]).not.toEqual(epoch0[0]);
    expect(new Set([...epoch1[0], ...epoch1[1]]).size).toBe(11);
    expect([...new data.DistributedSampler(dataset(11), { numReplicas: 2, rank: 0, seed: 6 })]).not.toEqual(epoch0[0]);
  });

  it('feeds a DataLoader (sampler option), which then batches this rank\'s share', () => {
    const ds = dataset(10);
    const sampler = new data.DistributedSampler(ds, { numReplicas: 2, rank: 1, shuffle: false });
    const loader = new data.DataLoader(ds, { batchSize: 2, sampler });
    expect(loader.length).toBe(3);
    expect([...loader].map(([x]) => x.toArray())).toEqual([[[1], [3]], [[5], [7]], [[9]]]);
    expect(() => new data.DataLoader(ds, { sampler, shuffle: true })).toThrow(/DataLoader: sampler option is mutually exclusive with shuffle/);
  });

  it('bad options are clear errors; without numReplicas/rank it needs the process group', () => {
    expect(() => new data.DistributedSampler(dataset(4), { numReplicas: 2, rank: 2 })).toThrow(/Invalid rank 2, rank should be in the interval \[0, 1\]/);
    expect(() => new data.DistributedSampler(dataset(4), { numReplicas: 0, rank: 0 })).toThrow(/numReplicas must be a positive integer/);
    expect(() => new data.DistributedSampler(dataset(4), { numReplicas: 2, rank: 0, drop_last: true } as never)).toThrow(/unknown option 'drop_last'/);
    expect(() => new data.DistributedSampler(dataset(4))).toThrow(/pass numReplicas and rank, or call torch\.distributed\.initProcessGroup\(\) first/);
    expect(() => new data.DistributedSampler(dataset(4), { numReplicas: 2, rank: 0 }).setEpoch(-1)).toThrow(/setEpoch: epoch must be a non-negative integer/);
  });
});
