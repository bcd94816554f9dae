import { describe, it, expect } from 'vitest';
import * as torch from '../../lib';
import { expectClose } from '../helpers';

describe('creation', () => {
  it('tensor() infers shape from nested arrays and defaults to float32', () => {
    const t = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.ndim).toBe(2);
    expect(t.numel()).toBe(6);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(t.size()).toEqual([2, 3]);
    expect(t.size(-1)).toBe(3);
  });

  it('tensor() takes scalars, dtypes and TypedArrays (copied)', () => {
    const s = torch.tensor(3.5, { dtype: 'float64' });
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(3.5);
    expect(s.toArray()).toBe(3.5);
    const src = new Int32Array([1, 2, 3, 4, 5, 6]);
    const i = torch.tensor(src);
    expect(i.dtype).toBe('int32');
    src[0] = 99;
    expect(i.toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(i.reshape(2, 3).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(torch.tensor(new Float64Array([1.5]), { dtype: 'float32' }).dtype).toBe('float32');
    expect(torch.tensor([]).shape).toEqual([0]);
  });

  it('tensor() rejects ragged arrays and non-numbers, naming where', () => {
    expect(() => torch.tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array at \[1\]/);
    expect(() => torch.tensor([[1, 'a' as unknown as number]])).toThrow(/tensor: expected a number at \[0\]\[1\], got string/);
    expect(() => torch.tensor([1], { dtype: 'int64' as never })).toThrow(/unknown dtype "int64"/);
    expect(() => torch.tensor(new Uint8Array(2) as never)).toThrow(/unsupported TypedArray/);
  });

  it('zeros/ones/full accept separate numbers, arrays and options', () => {
    expect(torch.zeros(2, 3).shape).toEqual([2, 3]);
    expect(torch.ones([2, 3], { dtype: 'float64' }).dtype).toBe('float64');
    expect(torch.ones(2, { dtype: 'int32' }).toArray()).toEqual([1, 1]);
    expect(torch.full([2], 7).toArray()).toEqual([7, 7]);
    expect(torch.zeros().shape).toEqual([]);
    expect(torch.zeros(0, 3).numel()).toBe(0);
    const like = torch.onesLike(torch.zeros(2, 2, { dtype: 'float64' }));
    expect(like.dtype).toBe('float64');
    expect(like.toArray()).toEqual([[1, 1], [1, 1]]);
    expect(torch.zerosLike(like, { dtype: 'int32' }).dtype).toBe('int32');
    expect(torch.fullLike(like, 2).toArray()).toEqual([[2, 2], [2, 2]]);
  });

  it('rejects negative, fractional, NaN and huge sizes before allocating', () => {
    expect(() => torch.zeros(-1)).toThrow(/zeros: invalid shape \[-1\]/);
    expect(() => torch.zeros(2.5)).toThrow(/non-negative integer/);
    expect(() => torch.ones(NaN)).toThrow(/invalid shape/);
    expect(() => torch.zeros(1e6, 1e6)).toThrow(/more than the maximum/);
    expect(() => torch.zeros('3' as never)).toThrow(/expected sizes as numbers/);
  });

  it('arange, linspace, eye', () => {
    expect(torch.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(torch.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(torch.arange(5, 0, -2, { dtype: 'int32' }).toArray()).toEqual([5, 3, 1]);
    expect(() => torch.arange(0, 1, 0)).toThrow(/step must be nonzero/);
    expect(torch.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(torch.linspace(-1, 1, 1).toArray()).toEqual([-1]);
    expect(torch.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(torch.eye(2, { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('requiresGrad option makes a leaf', () => {
    const t = torch.zeros(2, { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
  });

  it('item() needs exactly one element', () => {
    expect(torch.tensor([[5]]).item()).toBe(5);
    expect(() => torch.ones(2).item()).toThrow(/item: a Tensor with 2 elements \(shape \[2\]\)/);
  });

  it('prints like PyTorch', () => {
    expect(torch.tensor([[1, 2], [3, 4]]).toString()).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(torch.tensor([0.5, -1.25], { dtype: 'float64' }).toString()).toBe('tensor([ 0.5000, -1.2500], dtype=float64)');
    expect(torch.tensor([1, 2], { dtype: 'int32' }).toString()).toBe('tensor([1, 2], dtype=int32)');
    expect(torch.tensor(3).toString()).toBe('tensor(3.)');
    expect(torch.tensor([1], { requiresGrad: true }).toString()).toBe('tensor([1.], requiresGrad=true)');
    expect(torch.tensor([1], { requiresGrad: true }).mul(2).toString()).toBe('tensor([2.], gradFn=<MulBackward>)');
    expect(torch.zeros(2000).toString()).toContain('...');
    expectClose([1], [1]);
  });
});

describe('seeded randomness', () => {
  it('manualSeed makes rand/randn/randint/randperm reproducible', () => {
    torch.manualSeed(42);
    const a = [torch.rand(5), torch.randn(5, { dtype: 'float64' }), torch.randint(0, 10, [5]), torch.randperm(6)];
    torch.manualSeed(42);
    const b = [torch.rand(5), torch.randn(5, { dtype: 'float64' }), torch.randint(0, 10, [5]), torch.randperm(6)];
    a.forEach((t, i) => expect(t.toArray()).toEqual(b[i].toArray()));
    torch.manualSeed(43);
    expect(torch.rand(5).toArray()).not.toEqual(a[0].toArray());
  });

  it('gives identical numbers on both backends', () => {
    const draw = () => [torch.rand(4, 3), torch.randn(7), torch.randint(5, [3])].map((t) => t.toArray());
    torch.setBackend('native');
    torch.manualSeed(1);
    const n = draw();
    torch.setBackend('js');
    torch.manualSeed(1);
    const j = draw();
    torch.setBackend('native');
    expect(j).toEqual(n);
  });

  it('draws from the right distributions', () => {
    torch.manualSeed(0);
    const u = torch.rand(100_000);
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    expect(Math.abs(u.mean().item() - 0.5)).toBeLessThan(0.01);
    const z = torch.randn(100_000, { dtype: 'float64' });
    expect(Math.abs(z.mean().item())).toBeLessThan(0.02);
    expect(Math.abs(z.pow(2).mean().item() - 1)).toBeLessThan(0.02);
    const r = torch.randint(-3, 3, [10_000]);
    expect(r.dtype).toBe('int32');
    expect(r.min().item()).toBe(-3);
    expect(r.max().item()).toBe(2);
    const p = Array.from(torch.randperm(50).data).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('a Generator is independent of the default one', () => {
    const g1 = new torch.Generator(5);
    const g2 = new torch.Generator(5);
    torch.manualSeed(9);
    expect(torch.rand(3, { generator: g1 }).toArray()).toEqual(torch.rand(3, { generator: g2 }).toArray());
  });
});
