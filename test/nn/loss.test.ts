/** Losses: values against hand computations, the module wrappers, and bad-input errors. */
import { describe, it, expect } from 'vitest';
import * as torch from '../../lib';
import * as nn from '../../lib/nn';
import { describeBackends, expectClose } from '../helpers';

type T = torch.Tensor;
const F = nn.functional;
const f64 = { dtype: 'float64' as const };
const int = { dtype: 'int32' as const };

describeBackends('loss values', () => {
  it('MSELoss and L1Loss with each reduction', () => {
    const x = torch.tensor([[1, 2], [3, 4]]);
    const y = torch.tensor([[0, 2], [5, 1]]);
    expect(F.mseLoss(x, y).item()).toBeCloseTo((1 + 0 + 4 + 9) / 4, 6);
    expect(new nn.MSELoss({ reduction: 'sum' }).forward(x, y).item()).toBe(14);
    expect(F.mseLoss(x, y, { reduction: 'none' }).toArray()).toEqual([[1, 0], [4, 9]]);
    expect(new nn.L1Loss().forward(x, y).item()).toBeCloseTo(6 / 4, 6);
    expect(F.l1Loss(x, y, { reduction: 'sum' }).item()).toBe(6);
    expect(F.l1Loss(x, y, { reduction: 'none' }).toArray()).toEqual([[1, 0], [2, 3]]);
  });

  it('the course: cost(W = 4) of linear regression on X = 0..9 is 222.2', () => {
    const X = torch.arange(10, f64);
    const Y = torch.tensor([1, 1, 2, 4, 5, 7, 8, 9, 9, 10], f64);
    expect(F.mseLoss(X.mul(4), Y).item()).toBeCloseTo(222.2, 10);
  });

  it('BCELoss: -(y log x + (1-y) log(1-x)), logs clamped at -100, optional weight', () => {
    const x = torch.tensor([0.9, 0.2, 0, 1], f64);
    const y = torch.tensor([1, 0, 1, 0], f64);
    const expected = [-Math.log(0.9), -Math.log(0.8), 100, 100];
    expectClose(F.binaryCrossEntropy(x, y, { reduction: 'none' }).toArray(), expected, 1e-12);
    expect(new nn.BCELoss().forward(x, y).item()).toBeCloseTo(expected.reduce((a, b) => a + b) / 4, 12);
    const w = torch.tensor([1, 2, 0, 0], f64);
    expect(new nn.BCELoss({ weight: w, reduction: 'sum' }).forward(x, y).item()).toBeCloseTo(-Math.log(0.9) - 2 * Math.log(0.8), 12);
    // Exact 0/1 inputs keep finite gradients, as in PyTorch.
    const xg = torch.tensor([0, 1], { ...f64, requiresGrad: true });
    F.binaryCrossEntropy(xg, torch.tensor([1, 0], f64), { reduction: 'sum' }).backward();
    expectClose((xg.grad as T).toArray(), [-1 / Math.fround(1e-12), 1 / Math.fround(1e-12)], 1e-12);
  });

  it('BCEWithLogitsLoss: max(x,0) - xy + log(1 + e^-|x|), stable for large |x|, with posWeight', () => {
    const x = torch.tensor([0, 2, -3, 40, -40], f64);
    const y = torch.tensor([1, 0, 1, 0, 1], f64);
    const ref = (v: number, t: number, pw = 1): number => (1 - t) * v + (1 + (pw - 1) * t) * (Math.max(-v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
    const xs = [0, 2, -3, 40, -40];
    const ys = [1, 0, 1, 0, 1];
    expectClose(F.binaryCrossEntropyWithLogits(x, y, { reduction: 'none' }).toArray(), xs.map((v, i) => ref(v, ys[i])), 1e-12);
    const pw = torch.tensor([3], f64);
    expectClose(new nn.BCEWithLogitsLoss({ posWeight: pw, reduction: 'none' }).forward(x, y).toArray(), xs.map((v, i) => ref(v, ys[i], 3)), 1e-12);
    // Agrees with sigmoid + BCE where that is accurate.
    const z = torch.tensor([[0.3, -1.2], [2.0, 0.1]], f64);
    const t = torch.tensor([[1, 0], [0.5, 1]], f64);
    expect(F.binaryCrossEntropyWithLogits(z, t).item()).toBeCloseTo(F.binaryCrossEntropy(z.sigmoid(), t).item(), 12);
    // The gradient at logit 0 is sigmoid(0) - y.
    const z0 = torch.tensor([0], { ...f64, requiresGrad: true });
    F.binaryCrossEntropyWithLogits(z0, torch.tensor([1], f64)).backward();
    expect((z0.grad as T).item()).toBeCloseTo(-0.5, 15);
  });

  it('CrossEntropyLoss with class indices: -log softmax, weighted mean Σ w_y ℓ / Σ w_y, ignoreIndex', () => {
    const logits = torch.tensor([[1, 2, 3], [1, 1, 1], [0, 5, 0]], f64);
    const target = torch.tensor([2, 0, -100], int);
    const lse = (r: number[]): number => Math.log(r.reduce((a, b) => a + Math.exp(b), 0));
    const l0 = lse([1, 2, 3]) - 3;
    const l1 = lse([1, 1, 1]) - 1;
    expectClose(F.crossEntropy(logits, target, { reduction: 'none' }).toArray(), [l0, l1, 0], 1e-12, 1e-15);
    expect(new nn.CrossEntropyLoss().forward(logits, target).item()).toBeCloseTo((l0 + l1) / 2, 12);
    expect(F.crossEntropy(logits, target, { reduction: 'sum' }).item()).toBeCloseTo(l0 + l1, 12);
    const w = torch.tensor([0.5, 1, 2], f64);
    expect(new nn.CrossEntropyLoss({ weight: w }).forward(logits, target).item()).toBeCloseTo((2 * l0 + 0.5 * l1) / 2.5, 12);
    expect(F.crossEntropy(logits, torch.tensor([2, 0, 1], int), { ignoreIndex: 0 }).item()).toBeCloseTo((l0 + lse([0, 5, 0]) - 5) / 2, 12);
    // Equals logSoftmax + nllLoss.
    expect(F.nllLoss(logits.logSoftmax(1), target, { weight: w }).item()).toBeCloseTo((2 * l0 + 0.5 * l1) / 2.5, 12);
  });

  it('label smoothing mixes in the uniform target', () => {
    const logits = torch.tensor([[1, 2, 3]], f64);
    const eps = 0.3;
    const logp = [1, 2, 3].map((v) => v - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)));
    const expected = -((1 - eps) * logp[2] + (eps / 3) * (logp[0] + logp[1] + logp[2]));
    expect(F.crossEntropy(logits, torch.tensor([2], int), { labelSmoothing: eps }).item()).toBeCloseTo(expected, 12);
    const probs = torch.tensor([[0, 0, 1]], f64);
    expect(new nn.CrossEntropyLoss({ labelSmoothing: eps }).forward(logits, probs).item()).toBeCloseTo(expected, 12);
  });

  it('probability targets: mean over samples N, not weights', () => {
    const logits = torch.tensor([[1, 2], [0, 0]], f64);
    const probs = torch.tensor([[0.25, 0.75], [1, 0]], f64);
    const w = torch.tensor([2, 1], f64);
    const lp = (r: number[]): number[] => r.map((v) => v - Math.log(r.reduce((a, b) => a + Math.exp(b), 0)));
    const a = lp([1, 2]);
    const b = lp([0, 0]);
    const rows = [-(2 * 0.25 * a[0] + 0.75 * a[1]), -(2 * b[0])];
    expectClose(F.crossEntropy(logits, probs, { weight: w, reduction: 'none' }).toArray(), rows, 1e-12);
    expect(F.crossEntropy(logits, probs, { weight: w }).item()).toBeCloseTo((rows[0] + rows[1]) / 2, 12);
  });

  it('K-dim and unbatched inputs', () => {
    const x = torch.randn(2, 3, 4, f64);
    const t = torch.randint(0, 3, [2, 4]);
    const perPixel = F.crossEntropy(x, t, { reduction: 'none' });
    expect(perPixel.shape).toEqual([2, 4]);
    const flat = F.crossEntropy(x.permute(0, 2, 1).reshape(8, 3), t.reshape(8), { reduction: 'none' });
    expectClose(perPixel.toArray(), flat.reshape(2, 4).toArray(), 1e-12);
    const u = F.crossEntropy(torch.tensor([1, 2, 3], f64), torch.tensor(2, int), { reduction: 'none' });
    expect(u.shape).toEqual([]);
    expect(u.item()).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, 12);
  });

  it('all targets ignored gives NaN for the mean, as PyTorch', () => {
    expect(F.crossEntropy(torch.randn(2, 3), torch.tensor([-100, -100], int)).item()).toBeNaN();
  });
});

describe('loss modules', () => {
  it('keep their options, register weights as buffers, convert with to()', () => {
    const w = torch.tensor([1, 2, 3]);
    const ce = new nn.CrossEntropyLoss({ weight: w, ignoreIndex: 1, labelSmoothing: 0.1, reduction: 'sum' });
    expect([ce.ignoreIndex, ce.labelSmoothing, ce.reduction]).toEqual([1, 0.1, 'sum']);
    expect(Object.keys(ce.stateDict())).toEqual(['weight']);
    expect(ce.parameters()).toEqual([]);
    ce.double();
    expect(ce.weight?.dtype).toBe('float64');
    const bce = new nn.BCEWithLogitsLoss({ weight: w, posWeight: w });
    expect(Object.keys(bce.stateDict())).toEqual(['weight', 'pos_weight']);
    expect(bce.posWeight).toBe(w);
    expect(new nn.NLLLoss().weight).toBeNull();
    expect(String(new nn.BCELoss())).toBe('BCELoss()');
    expect(() => new nn.MSELoss({ reduction: 'avg' as nn.Reduction })).toThrow(/not a valid value for reduction/);
  });
});

describe('loss errors', () => {
  const x = torch.rand(4, 1);

  it('a target that would broadcast is an error naming the loss and both shapes', () => {
    for (const [name, fn] of [['mseLoss', F.mseLoss], ['l1Loss', F.l1Loss], ['binaryCrossEntropy', F.binaryCrossEntropy],
      ['binaryCrossEntropyWithLogits', F.binaryCrossEntropyWithLogits]] as const) {
      expect(() => fn(x, torch.rand(4))).toThrow(new RegExp(`^${name}: target shape \\[4\\] differs from input shape \\[4, 1\\]`));
    }
    expect(() => new nn.MSELoss().forward(x, torch.rand(4))).toThrow(/target.view\(4, 1\)/);
  });

  it('wrong dtypes are errors naming the loss', () => {
    expect(() => F.mseLoss(x, torch.zeros(4, 1, int))).toThrow(/^mseLoss: target must be a float tensor.*int32/);
    expect(() => F.l1Loss(torch.zeros(4, 1, int), x)).toThrow(/^l1Loss: input must be a float tensor/);
    expect(() => F.crossEntropy(torch.randn(4, 3), torch.tensor([0, 1, 2, 1]))).toThrow(/^crossEntropy: class indices must be int32/);
    expect(() => F.nllLoss(torch.randn(4, 3), torch.tensor([0, 1, 2, 1]))).toThrow(/^nllLoss: class-index targets must be an int32 tensor, got float32/);
    expect(() => F.crossEntropy(torch.randn(4, 3), torch.rand(4, 2))).toThrow(/^crossEntropy: float \(probability\) targets must have the input's shape \[4, 3\], got \[4, 2\]/);
    expect(() => F.mseLoss(x, [1, 2] as unknown as T)).toThrow(/^mseLoss: expected target to be a Tensor/);
  });

  it('class indices out of range are errors naming the loss', () => {
    expect(() => F.crossEntropy(torch.randn(3, 3), torch.tensor([0, 3, 1], int))).toThrow(/^crossEntropy: target 3 \(at flat index 1\) is out of bounds for 3 classes/);
    expect(() => F.nllLoss(torch.randn(3, 3), torch.tensor([0, -1, 1], int))).toThrow(/^nllLoss: target -1 .* out of bounds/);
    expect(() => F.nllLoss(torch.randn(3, 3), torch.tensor([0, -100, 1], int), { ignoreIndex: 1 })).toThrow(/out of bounds/);
    expect(() => F.crossEntropy(torch.randn(3, 3), torch.tensor([0, 1], int))).toThrow(/^crossEntropy: expected target of shape \[3\] for input of shape \[3, 3\], got \[2\]/);
  });

  it('BCE inputs outside [0, 1] (or NaN) are an error', () => {
    expect(() => F.binaryCrossEntropy(torch.tensor([0.5, 1.2]), torch.tensor([0, 1]))).toThrow(/^binaryCrossEntropy: all elements of input should be between 0 and 1, got 1.2/);
    expect(() => new nn.BCELoss().forward(torch.tensor([NaN]), torch.tensor([0]))).toThrow(/between 0 and 1/);
    expect(() => F.binaryCrossEntropy(torch.tensor([-0.1]), torch.tensor([0]))).toThrow(/sigmoid/);
  });

  it('bad options', () => {
    expect(() => F.crossEntropy(torch.randn(2, 3), torch.tensor([0, 1], int), { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be between 0.0 and 1.0/);
    expect(() => F.crossEntropy(torch.randn(2, 3), torch.tensor([0, 1], int), { weight: torch.ones(2) })).toThrow(/one entry per class \(3\)/);
    expect(() => F.binaryCrossEntropy(torch.rand(2, 3), torch.rand(2, 3), { weight: torch.ones(2) })).toThrow(/weight of shape \[2\] cannot be broadcast/);
    expect(() => F.binaryCrossEntropyWithLogits(torch.rand(2, 3), torch.rand(2, 3), { posWeight: torch.ones(4) })).toThrow(/posWeight/);
    expect(() => F.l1Loss(x, x, { reduction: 'max' as nn.Reduction })).toThrow(/^l1Loss: "max" is not a valid value for reduction/);
    expect(() => F.crossEntropy(torch.tensor(1), torch.tensor(0, int))).toThrow(/class dim/);
  });
});
