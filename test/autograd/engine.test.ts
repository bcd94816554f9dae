import { describe, it, expect } from 'vitest';
import * as torch from '../../lib';
import { describeBackends, expectClose } from '../helpers';

describeBackends('autograd engine', () => {
  it('accumulates gradients into leaves across backward calls', () => {
    const w = torch.tensor([1, 2, 3], { requiresGrad: true });
    w.mul(2).sum().backward();
    expectClose(w.grad!.toArray(), [2, 2, 2]);
    w.mul(w).sum().backward();
    expectClose(w.grad!.toArray(), [4, 6, 8]);
  });

  it('propagates requiresGrad and records gradFn only when needed', () => {
    const a = torch.tensor([1, 2]);
    const b = torch.tensor([3, 4], { requiresGrad: true });
    expect(a.add(1).requiresGrad).toBe(false);
    const c = a.mul(b);
    expect(c.requiresGrad).toBe(true);
    expect(c.gradFn?.name).toBe('MulBackward');
    expect(c.isLeaf).toBe(false);
    expect(b.isLeaf).toBe(true);
  });

  it('noGrad records nothing and returns the callback result; enableGrad re-enables', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const y = torch.noGrad(() => w.mul(3));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    const z = torch.noGrad(() => torch.enableGrad(() => w.mul(3)));
    expect(z.requiresGrad).toBe(true);
    expect(torch.isGradEnabled()).toBe(true);
  });

  it('detach shares storage and cuts the graph', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const d = w.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    const x = w.detach();
    expect(x.data).toBe(w.data);
  });

  it('refuses a second backward through a freed graph unless retainGraph', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const loss = w.mul(w).sum();
    loss.backward();
    expect(() => loss.backward()).toThrow(/second time.*retainGraph/);
    const w2 = torch.tensor([1, 2], { requiresGrad: true });
    const loss2 = w2.mul(w2).sum();
    loss2.backward(undefined, { retainGraph: true });
    loss2.backward();
    expectClose(w2.grad!.toArray(), [4, 8]);
  });

  it('needs an explicit gradient for non-scalar outputs', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const y = w.mul(3);
    expect(() => y.backward()).toThrow(/implicitly created only for scalar outputs.*\[2\]/);
    expect(() => y.backward(torch.ones(3))).toThrow(/gradient has shape \[3\], expected \[2\]/);
    y.backward(torch.tensor([1, 10]));
    expectClose(w.grad!.toArray(), [3, 30]);
  });

  it('walks a 100,000-op deep graph without overflowing the stack', () => {
    const w = torch.tensor([1], { requiresGrad: true });
    let y = w;
    for (let i = 0; i < 100_000; i++) y = y.add(1);
    y.sum().backward();
    expectClose(w.grad!.toArray(), [1]);
  });

  it('sums gradients of a tensor used several times (diamond graph)', () => {
    const x = torch.tensor([2], { requiresGrad: true });
    const a = x.mul(3);
    const b = a.mul(a).add(a); // 9x² + 3x → 18x + 3
    b.sum().backward();
    expectClose(x.grad!.toArray(), [39]);
  });

  it('refuses backward when a saved tensor was modified in place', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const x = torch.tensor([3, 4]);
    const y = w.mul(x).sum();
    x.mul_(2);
    expect(() => y.backward()).toThrow(/MulBackward.*modified by an in-place operation.*version 1, expected version 0/);
  });

  it('allows in-place updates of parameters only under noGrad', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    expect(() => w.sub_(1)).toThrow(/leaf tensor that requires grad.*in-place.*noGrad/);
    w.mul(w).sum().backward();
    torch.noGrad(() => w.sub_(w.grad!, 0.5));
    expectClose(w.toArray(), [0, 0]);
  });

  it('retainGrad keeps the gradient of a non-leaf', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const h = w.mul(2).retainGrad();
    h.mul(h).sum().backward();
    expectClose(h.grad!.toArray(), [4, 8]);
    expectClose(w.grad!.toArray(), [8, 16]);
  });

  it('only leaves accept requiresGrad, and only float ones', () => {
    const w = torch.tensor([1], { requiresGrad: true });
    expect(() => { w.mul(2).requiresGrad = false; }).toThrow(/leaf/);
    expect(() => torch.tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(/only float tensors/);
    const x = torch.ones(2);
    x.requiresGrad = true;
    expect(x.requiresGrad).toBe(true);
  });

  it('backward on a tensor that does not require grad is an error', () => {
    expect(() => torch.ones(1).backward()).toThrow(/does not require grad/);
  });
});

describe('the hand-written gradient descent of the course', () => {
  it('linear regression: cost(w=4) = 222.2 and 100 steps end at w = 1.2105263157894737', () => {
    torch.setBackend('js');
    const X = torch.arange(10, { dtype: 'float64' });
    const Y = torch.tensor([1, 1, 2, 4, 5, 7, 8, 9, 9, 10], { dtype: 'float64' });
    const cost = (w: torch.Tensor) => X.mul(w).sub(Y).pow(2).mean();
    expectClose(cost(torch.tensor(4, { dtype: 'float64' })).item(), 222.2, 1e-12);
    const w = torch.tensor(1.4, { dtype: 'float64', requiresGrad: true });
    for (let i = 0; i < 100; i++) {
      w.grad = null;
      cost(w).backward();
      torch.noGrad(() => w.sub_(w.grad!.mul(0.01)));
    }
    expectClose(w.item(), 1.2105263157894737, 1e-12);
  });
});

describe('first gradients are adopted without a copy only when nothing else can see them', () => {
  it('leaves fed the same upstream gradient get separate buffers', () => {
    const a = torch.tensor([1, 2], { requiresGrad: true });
    const b = torch.tensor([3, 4], { requiresGrad: true });
    const w = torch.tensor([5, 6], { requiresGrad: true });
    a.add(b).add(w.clone()).add(w.reshape(2, 1).reshape(2)).sum().backward();
    expect(a.grad!.data).not.toBe(b.grad!.data);
    a.grad!.add_(100);
    expect(b.grad!.toArray()).toEqual([1, 1]);
    expect(w.grad!.toArray()).toEqual([2, 2]);
  });

  it('a fresh gradient is adopted, and a second one is added into it', () => {
    const a = torch.tensor([1, 2], { requiresGrad: true });
    a.mul(a).sum().backward();
    expect(a.grad!.toArray()).toEqual([2, 4]);
    a.mul(3).sum().backward();
    expect(a.grad!.toArray()).toEqual([5, 7]);
  });

  it('a user-supplied gradient is never adopted', () => {
    const a = torch.tensor([1, 2], { requiresGrad: true });
    const g = torch.tensor([1, 1]);
    a.backward(g);
    a.grad!.add_(1);
    expect(g.toArray()).toEqual([1, 1]);
  });
});
