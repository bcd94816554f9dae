/** TensorDataset, DataLoader (batching, shuffle, dropLast, reproducibility), collation, Subset. */
import { it, expect, vi } from 'vitest';
import * as torch from '../../lib';
import * as data from '../../lib/data';
import * as idxOps from '../../lib/ops/indexing';
import * as joinOps from '../../lib/ops/join';
import { describeBackends } from '../helpers';

function dataset(n = 10): data.TensorDataset {
  const x = torch.arange(n * 2).reshape(n, 2);
  const y = torch.arange(n, { dtype: 'int32' });
  return new data.TensorDataset(x, y);
}

describeBackends('data loading', () => {
  it('TensorDataset: length, rows, negative indices and errors', () => {
    const ds = dataset(5);
    expect(ds.length).toBe(5);
    const [x, y] = ds.get(2);
    expect(x.toArray()).toEqual([4, 5]);
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(2);
    expect(y.dtype).toBe('int32');
    expect(ds.get(-1)[1].item()).toBe(4);
    expect(() => ds.get(5)).toThrow(/index 5 is out of range for a dataset of length 5/);
    expect(() => ds.get(1.5)).toThrow(TypeError);
    expect(() => new data.TensorDataset(torch.zeros(3, 2), torch.zeros(4))).toThrow(/Size mismatch between tensors.*\[3, 2\], \[4\]/);
    expect(() => new data.TensorDataset()).toThrow(TypeError);
    expect(() => new data.TensorDataset(torch.tensor(1))).toThrow(/0-d/);
  });

  it('DataLoader: batches in order, length, last partial batch, dropLast', () => {
    const ds = dataset(10);
    const loader = new data.DataLoader(ds, { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.length).toBe(3);
    expect(batches.map(([, y]) => y.toArray())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(batches[0][0].shape).toEqual([4, 2]);
    expect(batches[2][0].toArray()).toEqual([[16, 17], [18, 19]]);
    expect(batches[0][1].dtype).toBe('int32');
    const dropped = new data.DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(dropped.length).toBe(2);
    expect([...dropped].map(([, y]) => y.shape[0])).toEqual([4, 4]);
    expect(new data.DataLoader(ds).length).toBe(10);
    expect([...new data.DataLoader(ds, { batchSize: 20, dropLast: true })]).toEqual([]);
    // for…of with destructuring, as in the course
    let seen = 0;
    for (const [x, y] of new data.DataLoader(ds, { batchSize: 3 })) seen += x.shape[0] + 0 * y.shape[0];
    expect(seen).toBe(10);
  });

  it('gathers each TensorDataset batch with one index op per tensor', () => {
    const spy = vi.spyOn(idxOps, 'indexSelect');
    const stackSpy = vi.spyOn(joinOps, 'stack');
    try {
      const ds = dataset(10);
      const batches = [...new data.DataLoader(ds, { batchSize: 5, shuffle: true })];
      expect(batches.length).toBe(2);
      expect(spy).toHaveBeenCalledTimes(4); // 2 batches × 2 tensors
      expect(stackSpy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      stackSpy.mockRestore();
    }
  });

  it('shuffle: a permutation per epoch, new each epoch, reproducible with manualSeed or a generator', () => {
    const ds = dataset(20);
    const epoch = (loader: data.DataLoader<torch.Tensor[]>): number[] => [...loader].flatMap(([, y]) => y.toArray() as number[]);
    torch.manualSeed(7);
    const loader = new data.DataLoader(ds, { batchSize: 6, shuffle: true });
    const e1 = epoch(loader);
    const e2 = epoch(loader);
    expect([...e1].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(e1).not.toEqual(e2);
    torch.manualSeed(7);
    expect(epoch(loader)).toEqual(e1);
    expect(epoch(loader)).toEqual(e2);
    // x rows stay paired with their y
    for (const [x, y] of loader) expect(x.toArray()).toEqual((y.toArray() as number[]).map((i) => [2 * i, 2 * i + 1]));
    const g1 = new torch.Generator(123);
    const g2 = new torch.Generator(123);
    expect(epoch(new data.DataLoader(ds, { batchSize: 4, shuffle: true, generator: g1 })))
      .toEqual(epoch(new data.DataLoader(ds, { batchSize: 4, shuffle: true, generator: g2 })));
  });

  it('collates generic datasets field by field; numbers become float32; collateFn overrides', () => {
    const ds: data.Dataset<[torch.Tensor, number]> = {
      length: 5,
      get: (i) => [torch.tensor([i, 10 * i]), i / 2],
    };
    const batches = [...new data.DataLoader(ds, { batchSize: 2 })];
    expect(batches.length).toBe(3);
    expect(batches[0][0].toArray()).toEqual([[0, 0], [1, 10]]);
    expect(batches[0][1].toArray()).toEqual([0, 0.5]);
    expect(batches[0][1].dtype).toBe('float32');
    const scalars: data.Dataset<torch.Tensor> = { length: 3, get: (i) => torch.tensor(i, { dtype: 'int32' }) };
    const [b] = [...new data.DataLoader(scalars, { batchSize: 3 })];
    expect(b.toArray()).toEqual([0, 1, 2]);
    expect(b.dtype).toBe('int32');
    const sums = [...new data.DataLoader(ds, { batchSize: 2, collateFn: (s) => s.reduce((a, [, v]) => a + v, 0) })];
    expect(sums).toEqual([0.5, 2.5, 2]);
    const bad: data.Dataset<torch.Tensor> = { length: 2, get: (i) => torch.zeros(i + 1) };
    expect(() => [...new data.DataLoader(bad, { batchSize: 2 })]).toThrow(/shape \[2\], the first one \[1\]/);
    expect(() => data.defaultCollate([{ a: 1 }])).toThrow(/collateFn/);
  });

  it('DataLoader rejects bad options', () => {
    const ds = dataset(4);
    expect(() => new data.DataLoader(ds, { batchSize: 0 })).toThrow(/batch_size should be a positive integer value/);
    expect(() => new data.DataLoader(ds, { batchSize: 1.5 })).toThrow(/batch_size/);
    expect(() => new data.DataLoader(ds, { shuffle: 1 as unknown as boolean })).toThrow(/shuffle should be a boolean/);
    expect(() => new data.DataLoader({} as data.Dataset<number>)).toThrow(/dataset must be/);
    expect(() => new data.DataLoader(ds, { generator: {} as torch.Generator })).toThrow(/Generator/);
  });

  it('Subset maps indices and keeps the one-gather fast path', () => {
    const ds = dataset(10);
    const sub = new data.Subset(ds, [9, 3, 5]);
    expect(sub.length).toBe(3);
    expect(sub.get(0)[1].item()).toBe(9);
    const [[x, y]] = [...new data.DataLoader(sub, { batchSize: 3 })];
    expect(y.toArray()).toEqual([9, 3, 5]);
    expect(x.toArray()).toEqual([[18, 19], [6, 7], [10, 11]]);
    expect(() => new data.Subset(ds, [10])).toThrow(/out of range/);
    expect(() => sub.get(3)).toThrow(/out of range/);
  });
});
