import { it, expect } from 'vitest';
import * as torch from '../../lib';
import { describeBackends, expectClose } from '../helpers';

describeBackends('tensor ops', () => {
  it('broadcast arithmetic with size-1 dims, scalars and empty tensors', () => {
    const a = torch.tensor([[1], [2]]);
    const b = torch.tensor([10, 20, 30]);
    expect(a.add(b).toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
    expect(a.sub(b).shape).toEqual([2, 3]);
    expect(torch.tensor(2).mul(b).toArray()).toEqual([20, 40, 60]);
    expect(b.div(10).toArray()).toEqual([1, 2, 3]);
    expect(torch.sub(1, b).toArray()).toEqual([-9, -19, -29]);
    expect(torch.zeros(0, 3).add(b).shape).toEqual([0, 3]);
    expect(b.add(b, 2).toArray()).toEqual([30, 60, 90]);
    expect(b.pow(2).toArray()).toEqual([100, 400, 900]);
    expect(b.neg().toArray()).toEqual([-10, -20, -30]);
  });

  it('promotes dtypes as PyTorch does', () => {
    const i = torch.tensor([1, 2], { dtype: 'int32' });
    const f = torch.tensor([0.5, 0.5]);
    const d = torch.tensor([0.5, 0.5], { dtype: 'float64' });
    expect(i.add(i).dtype).toBe('int32');
    expect(i.add(f).dtype).toBe('float32');
    expect(f.add(d).dtype).toBe('float64');
    expect(i.add(1).dtype).toBe('int32');
    expect(i.add(0.5).dtype).toBe('float32');
    expect(i.div(i).dtype).toBe('float32');
    expect(i.div(2).toArray()).toEqual([0.5, 1]);
    expect(f.mul(2).dtype).toBe('float32');
    expect(i.exp().dtype).toBe('float32');
  });

  it('int32 arithmetic wraps like C', () => {
    const big = torch.tensor([2147483647], { dtype: 'int32' });
    expect(big.add(1).item()).toBe(-2147483648);
  });

  it('unary math and activations', () => {
    const x = torch.tensor([-1, 0, 2], { dtype: 'float64' });
    expectClose(x.exp().toArray(), [Math.exp(-1), 1, Math.exp(2)], 1e-12);
    expectClose(x.abs().toArray(), [1, 0, 2]);
    expectClose(x.sign().toArray(), [-1, 0, 1]);
    expectClose(x.relu().toArray(), [0, 0, 2]);
    expectClose(x.leakyRelu().toArray(), [-0.01, 0, 2], 1e-12);
    expectClose(x.sigmoid().toArray(), [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))], 1e-12);
    expectClose(x.tanh().toArray(), [Math.tanh(-1), 0, Math.tanh(2)], 1e-12);
    expectClose(x.clamp(0, 1).toArray(), [0, 0, 1]);
    expectClose(x.clamp(null, 0).toArray(), [-1, 0, 0]);
    expectClose(x.sin().toArray(), [Math.sin(-1), 0, Math.sin(2)], 1e-12);
    expectClose(x.cos().toArray(), [Math.cos(-1), 1, Math.cos(2)], 1e-12);
    expectClose(torch.tensor([4, 9]).sqrt().toArray(), [2, 3]);
    expectClose(torch.tensor([1, Math.E]).log().toArray(), [0, 1]);
    expect(() => x.clamp()).toThrow(/clamp: at least one of min and max/);
  });

  it('softmax and logSoftmax are stable and normalised', () => {
    const x = torch.tensor([[1000, 1001, 1002], [-5, 0, 5]], { dtype: 'float64' });
    const s = x.softmax(1);
    expectClose(s.sum(1).toArray(), [1, 1], 1e-12);
    expectClose((s.toArray() as number[][])[0], [0.09003057317038046, 0.24472847105479764, 0.6652409557748219], 1e-12);
    expectClose(x.logSoftmax(1).exp().toArray(), s.toArray(), 1e-12);
    expectClose(x.softmax(0).sum(0).toArray(), [1, 1, 1], 1e-12);
  });

  it('reductions along dims with keepdim', () => {
    const x = torch.tensor([[1, 5, 3], [4, 2, 6]]);
    expect(x.sum().item()).toBe(21);
    expect(x.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(x.sum(1, true).toArray()).toEqual([[9], [12]]);
    expect(x.sum([0, 1]).item()).toBe(21);
    expect(x.mean(1).toArray()).toEqual([3, 4]);
    expect(x.mean(-1, true).shape).toEqual([2, 1]);
    const [v, i] = x.max(1);
    expect(v.toArray()).toEqual([5, 6]);
    expect(i.toArray()).toEqual([1, 2]);
    expect(i.dtype).toBe('int32');
    const [mv, mi] = x.min(0, true);
    expect(mv.toArray()).toEqual([[1, 2, 3]]);
    expect(mi.toArray()).toEqual([[0, 1, 0]]);
    expect(x.max().item()).toBe(6);
    expect(x.min().item()).toBe(1);
    expect(x.argmax().item()).toBe(5);
    expect(x.argmax(1).toArray()).toEqual([1, 2]);
    expect(x.argmin(0).toArray()).toEqual([0, 1, 0]);
    expect(torch.tensor([1, NaN, 3]).max().item()).toBeNaN();
    expect(torch.zeros(0).sum().item()).toBe(0);
    expect(torch.zeros(0).mean().item()).toBeNaN();
    expect(() => torch.zeros(0).max()).toThrow(/max: cannot reduce an empty tensor/);
    expect(() => torch.tensor([1], { dtype: 'int32' }).mean()).toThrow(/mean: expected a float tensor, got dtype int32/);
    expect(() => x.sum(2)).toThrow(/sum: dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/);
  });

  it('comparisons give 1/0 in the promoted dtype', () => {
    const a = torch.tensor([1, 2, 3]);
    expect(a.eq(2).toArray()).toEqual([0, 1, 0]);
    expect(a.gt(1).toArray()).toEqual([0, 1, 1]);
    expect(a.lt(torch.tensor([2]).to('float64')).dtype).toBe('float64');
    expect(a.ge(2).toArray()).toEqual([0, 1, 1]);
    expect(a.le(2).toArray()).toEqual([1, 1, 0]);
    expect(torch.maximum(a, torch.tensor([2])).toArray()).toEqual([2, 2, 3]);
    expect(torch.minimum(a, 2).toArray()).toEqual([1, 2, 2]);
  });

  it('matmul follows PyTorch shape rules', () => {
    const A = torch.tensor([[1, 2], [3, 4], [5, 6]]);
    const B = torch.tensor([[1, 0, 2], [0, 1, 3]]);
    expect(A.matmul(B).toArray()).toEqual([[1, 2, 8], [3, 4, 18], [5, 6, 28]]);
    expect(torch.tensor([1, 2]).matmul(torch.tensor([3, 4])).toArray()).toBe(11);
    expect(A.matmul(torch.tensor([1, 1])).toArray()).toEqual([3, 7, 11]);
    expect(torch.tensor([1, 1, 1]).matmul(A).toArray()).toEqual([9, 12]);
    const batch = torch.stack([A, A.mul(2)]);
    expect(batch.matmul(B).shape).toEqual([2, 3, 3]);
    expect((batch.matmul(B).toArray() as number[][][])[1]).toEqual([[2, 4, 16], [6, 8, 36], [10, 12, 56]]);
    expect(torch.ones(2, 1, 3, 4).matmul(torch.ones(5, 4, 2)).shape).toEqual([2, 5, 3, 2]);
    expect(torch.zeros(0, 3).matmul(torch.zeros(3, 2)).shape).toEqual([0, 2]);
    expect(torch.zeros(2, 0).matmul(torch.zeros(0, 2)).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(() => A.matmul(A)).toThrow(/matmul: shapes \[3, 2\] and \[3, 2\] cannot be multiplied \(2 != 3\)/);
    expect(() => A.matmul(A.to('float64'))).toThrow(/matmul: expected both inputs to have the same dtype, but got float32 and float64/);
    expect(() => A.matmul(2 as never)).toThrow(/matmul: expected other to be a Tensor, got number 2/);
  });

  it('shape ops', () => {
    const x = torch.arange(6);
    expect(x.reshape(2, 3).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(x.view(-1, 2).shape).toEqual([3, 2]);
    expect(x.reshape([3, -1]).shape).toEqual([3, 2]);
    expect(() => x.view(4, -1)).toThrow(/view: shape \[4, -1\] is invalid for input of size 6/);
    expect(() => x.reshape(-1, -1)).toThrow(/only one dimension can be inferred/);
    const m = x.reshape(2, 3);
    expect(m.t().toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(m.transpose(0, 1).toArray()).toEqual(m.t().toArray());
    expect(torch.arange(24).reshape(2, 3, 4).permute(2, 0, 1).shape).toEqual([4, 2, 3]);
    expect((torch.arange(24).reshape(2, 3, 4).permute(2, 0, 1).toArray() as number[][][])[1][1]).toEqual([13, 17, 21]);
    expect(m.unsqueeze(1).shape).toEqual([2, 1, 3]);
    expect(m.unsqueeze(-1).shape).toEqual([2, 3, 1]);
    expect(torch.zeros(1, 2, 1).squeeze().shape).toEqual([2]);
    expect(torch.zeros(1, 2, 1).squeeze(0).shape).toEqual([2, 1]);
    expect(torch.zeros(1, 2, 1).squeeze(1).shape).toEqual([1, 2, 1]);
    expect(torch.zeros(2, 3, 4).flatten().shape).toEqual([24]);
    expect(torch.zeros(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
    expect(torch.tensor([[1], [2]]).expand(2, 3).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(torch.tensor([1, 2]).expand(2, -1).toArray()).toEqual([[1, 2], [1, 2]]);
    expect(() => torch.tensor([1, 2]).expand(3)).toThrow(/expand: cannot expand shape \[2\] to \[3\]/);
    expect(m.narrow(1, 1, 2).toArray()).toEqual([[1, 2], [4, 5]]);
    expect(() => torch.zeros(2, 3, 4).t()).toThrow(/t: expects a tensor with <= 2 dimensions/);
    expect(x.reshape(2, 3).data).toBe(x.data);
  });

  it('cat, stack and indexing', () => {
    const a = torch.tensor([[1, 2], [3, 4]]);
    const b = torch.tensor([[5, 6]]);
    expect(torch.cat([a, b]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(torch.cat([a, a], 1).toArray()).toEqual([[1, 2, 1, 2], [3, 4, 3, 4]]);
    expect(() => torch.cat([a, b], 1)).toThrow(/cat: sizes of tensors must match except in dim 1; got \[2, 2\] and \[1, 2\]/);
    expect(torch.stack([a, a], 2).shape).toEqual([2, 2, 2]);
    expect(torch.stack([torch.tensor(1), torch.tensor(2)]).toArray()).toEqual([1, 2]);
    expect(() => torch.stack([a, b])).toThrow(/stack: expects each tensor to be equal size/);
    const x = torch.tensor([[1, 2], [3, 4], [5, 6]]);
    expect(x.index([2, 0]).toArray()).toEqual([[5, 6], [1, 2]]);
    expect(x.index([-1]).toArray()).toEqual([[5, 6]]);
    expect(x.index(torch.tensor([1], { dtype: 'int32' })).toArray()).toEqual([[3, 4]]);
    expect(x.indexSelect(1, [1]).toArray()).toEqual([[2], [4], [6]]);
    expect(() => x.index([3])).toThrow(/indexSelect/);
    expect(() => x.index(torch.tensor([0]))).toThrow(/indexSelect: index must be an int32 tensor, got dtype float32/);
    const idx = torch.tensor([[1], [0], [1]], { dtype: 'int32' });
    expect(x.gather(1, idx).toArray()).toEqual([[2], [3], [6]]);
    expect(() => x.gather(1, torch.tensor([[5], [0], [0]], { dtype: 'int32' }))).toThrow(/gather/);
  });

  it('conversion, clone and in-place ops', () => {
    const x = torch.tensor([1.7, -1.7]);
    expect(x.int().toArray()).toEqual([1, -1]);
    expect(x.double().dtype).toBe('float64');
    expect(x.to('float32')).toBe(x);
    const c = x.clone();
    expect(c.data).not.toBe(x.data);
    const y = torch.zeros(2, 2);
    y.add_(torch.tensor([1, 2])).mul_(3).sub_(1, 2).div_(2);
    expect(y.toArray()).toEqual([[0.5, 2], [0.5, 2]]);
    y.fill_(7);
    expect(y.toArray()).toEqual([[7, 7], [7, 7]]);
    y.zero_();
    expect(y.sum().item()).toBe(0);
    y.copy_(torch.tensor([1, 2], { dtype: 'int32' }));
    expect(y.toArray()).toEqual([[1, 2], [1, 2]]);
    y.clamp_(1.5, null);
    expect(y.toArray()).toEqual([[1.5, 2], [1.5, 2]]);
    expect(() => y.add_(torch.ones(3, 2, 2))).toThrow(/add_: output with shape \[2, 2\] doesn't match the broadcast shape \[3, 2, 2\]/);
    expect(() => torch.zeros(2, { dtype: 'int32' }).add_(0.5)).toThrow(/can't be cast to the desired output type int32/);
    const g = torch.tensor([1, 2], { requiresGrad: true });
    const h = g.mul(2);
    expect(() => h.mul_(2)).toThrow(/in-place ops on tensors that are part of the autograd graph/);
  });

  it('names the op, the shapes and what was expected in errors', () => {
    expect(() => torch.ones(2, 3).add(torch.ones(4))).toThrow(/add: shapes \[2, 3\] and \[4\] cannot be broadcast together/);
    expect(() => torch.add('x' as never, torch.ones(1))).toThrow(/add: expected input to be a Tensor, got string x/);
    expect(() => torch.mul(2, 3 as never)).toThrow(/mul: at least one argument must be a Tensor/);
    expect(() => torch.ones(2).softmax(undefined as never)).toThrow(/softmax: dim is required/);
    expect(() => torch.ones(2, 2).permute(0)).toThrow(/permute: got 1 dims/);
    expect(() => torch.ones(3).narrow(0, 2, 2)).toThrow(/narrow: start 2 and length 2 exceed dim 0 of size 3/);
  });
});

it('gradient of a dtype conversion comes back in the input dtype', () => {
  const x = torch.tensor([0.5, 0.25], { dtype: 'float64', requiresGrad: true });
  x.to('float32').mul(2).sum().backward();
  expect(x.grad!.dtype).toBe('float64');
  expect(x.grad!.toArray()).toEqual([2, 2]);
});
