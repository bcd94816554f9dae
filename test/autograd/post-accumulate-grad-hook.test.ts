// Tensor.registerPostAccumulateGradHook (what DistributedDataParallel builds on):
// once per backward pass per leaf, after its last gradient of the pass.
import { describe, expect, it } from 'vitest';
import * as torch from '../../lib';
import { record } from '../../lib/ops/util';

describe('registerPostAccumulateGradHook', () => {
  it('runs once per pass, after the last of several gradients into the leaf, with .grad complete', () => {
    const w = torch.tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const seen: number[][] = [];
    w.registerPostAccumulateGradHook((t) => seen.push(Array.from((t.grad as torch.Tensor).data)));
    // w is used three times: d/dw (w·w + 2w).sum() = 2w + 2
    w.mul(w).add(w.mul(2)).sum().backward();
    expect(seen).toEqual([[4, 6, 8]]);
    w.mul(w).add(w.mul(2)).sum().backward();
    expect(seen).toEqual([[4, 6, 8], [8, 12, 16]]);
  });

  it('runs for a leaf that is the root of backward, in the order gradients complete', () => {
    const a = torch.tensor([2], { requiresGrad: true });
    const b = torch.tensor([3], { requiresGrad: true });
    const order: string[] = [];
    a.registerPostAccumulateGradHook(() => order.push('a'));
    b.registerPostAccumulateGradHook(() => order.push('b'));
    a.sum().backward();
    expect(order).toEqual(['a']);
    // b's gradient completes before a's: a reaches the loss only through b's product.
    b.mul(a.exp()).sum().backward();
    expect(order.slice(1).sort()).toEqual(['a', 'b']);
  });

  it('runs at the end of the pass for a leaf one of whose edges got no gradient (a rule returned null)', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    let grad: number[] = [];
    w.registerPostAccumulateGradHook((t) => (grad = Array.from((t.grad as torch.Tensor).data)));
    // An op on (w, w) whose backward gives w a gradient through its first input only.
    const out = record(torch.noGrad(() => w.mul(3)), 'firstOnly', [w, w], (g) => [g.mul(3), null]);
    out.sum().backward();
    expect(grad).toEqual([3, 3]);
  });

  it('remove() unregisters; non-leaves and tensors without grad are refused', () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    let calls = 0;
    const h = w.registerPostAccumulateGradHook(() => calls++);
    w.sum().backward();
    h.remove();
    h.remove();
    w.sum().backward();
    expect(calls).toBe(1);
    expect(() => w.mul(2).registerPostAccumulateGradHook(() => undefined)).toThrow(/post accumulate grad hooks cannot be registered on non-leaf tensors/);
    expect(() => torch.ones(2).registerPostAccumulateGradHook(() => undefined)).toThrow(/doesn't require gradient/);
  });
});
