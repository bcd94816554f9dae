/** The input checks losses make: BCE probabilities in [0, 1], class targets in range. */
import { describe, it, expect } from 'vitest';
import * as torch from '../../lib';
import { setFusion } from '../../lib/ops/fused-switch';
import { describeBackends } from '../helpers';

const { nn } = torch;
const F = nn.functional;
const PYTORCH_BCE = 'all elements of input should be between 0 and 1';

describeBackends('BCELoss requires probabilities', () => {
  it.each([
    ['above 1', [0.5, 1.5]],
    ['below 0', [-0.1, 0.5]],
    ['NaN', [NaN, 0.5]],
    ['+Infinity', [0.2, Infinity]],
  ])('throws PyTorch\'s message for an input %s', (_, values) => {
    const input = torch.tensor(values, { requiresGrad: true });
    const target = torch.tensor([1, 0]);
    expect(() => new nn.BCELoss().forward(input, target)).toThrow(RangeError);
    expect(() => new nn.BCELoss().forward(input, target)).toThrow(PYTORCH_BCE);
    expect(() => F.binaryCrossEntropy(input, target, { reduction: 'none' })).toThrow(PYTORCH_BCE);
    expect(() => F.binaryCrossEntropy(input.double(), target.double(), { reduction: 'sum' })).toThrow(PYTORCH_BCE);
  });

  it('names the first offending element', () => {
    expect(() => F.binaryCrossEntropy(torch.tensor([0.5, 0.2, 2]), torch.tensor([1, 0, 1]))).toThrow(/got 2 at flat index 2/);
  });

  it('accepts the closed interval [0, 1] and empty inputs', () => {
    const loss = new nn.BCELoss().forward(torch.tensor([0, 1, 0.5]), torch.tensor([0, 1, 1]));
    expect(Number.isFinite(loss.item())).toBe(true);
    expect(F.binaryCrossEntropy(torch.zeros(0), torch.zeros(0), { reduction: 'sum' }).item()).toBe(0);
  });

  it('BCEWithLogitsLoss takes any real scores (no range check)', () => {
    const loss = new nn.BCEWithLogitsLoss().forward(torch.tensor([-30, 0, 30]), torch.tensor([0, 1, 1]));
    expect(Number.isFinite(loss.item())).toBe(true);
  });
});

describeBackends('class targets must be in range', () => {
  const logits = torch.tensor([[1, 2, 3], [0, 1, 0]]);

  for (const fused of [true, false]) {
    it(`crossEntropy (fusion ${fused ? 'on' : 'off'})`, () => {
      const previous = setFusion(fused);
      try {
        expect(() => F.crossEntropy(logits, torch.tensor([0, 3], { dtype: 'int32' }))).toThrow(RangeError);
        expect(() => F.crossEntropy(logits, torch.tensor([0, 3], { dtype: 'int32' }))).toThrow(/target 3 \(at flat index 1\) is out of bounds for 3 classes/);
        expect(() => F.crossEntropy(logits, torch.tensor([-1, 0], { dtype: 'int32' }))).toThrow(/target -1 .*out of bounds/);
        expect(() => new nn.CrossEntropyLoss().forward(logits, torch.tensor([5, 0], { dtype: 'int32' }))).toThrow(/out of bounds/);
        expect(() => F.crossEntropy(logits, torch.tensor([0, 7], { dtype: 'int32' }), { labelSmoothing: 0.1 })).toThrow(/out of bounds/);
        // ignoreIndex is allowed even though it is out of range
        expect(Number.isFinite(F.crossEntropy(logits, torch.tensor([-100, 1], { dtype: 'int32' })).item())).toBe(true);
        expect(Number.isFinite(F.crossEntropy(logits, torch.tensor([9, 1], { dtype: 'int32' }), { ignoreIndex: 9 }).item())).toBe(true);
      } finally {
        setFusion(previous);
      }
    });
  }

  it('nllLoss', () => {
    const logp = logits.logSoftmax(1);
    expect(() => F.nllLoss(logp, torch.tensor([0, 3], { dtype: 'int32' }))).toThrow(/nllLoss: target 3 \(at flat index 1\) is out of bounds for 3 classes/);
    expect(() => new nn.NLLLoss().forward(logp, torch.tensor([-2, 0], { dtype: 'int32' }))).toThrow(RangeError);
    expect(() => F.nllLoss(logp.unsqueeze(2), torch.tensor([[0], [4]], { dtype: 'int32' }))).toThrow(/out of bounds/);
    expect(Number.isFinite(F.nllLoss(logp, torch.tensor([2, -100], { dtype: 'int32' })).item())).toBe(true);
  });

  it('class-index targets must be int32', () => {
    expect(() => F.crossEntropy(logits, torch.tensor([0, 1]))).toThrow(/class indices must be int32/);
    expect(() => F.nllLoss(logits, torch.tensor([0, 1]))).toThrow(TypeError);
  });
});

describe('MSELoss and L1Loss check shapes only (no value checks)', () => {
  it('accept any finite or non-finite values', () => {
    expect(new nn.MSELoss().forward(torch.tensor([NaN]), torch.tensor([1])).item()).toBeNaN();
    expect(() => new nn.MSELoss().forward(torch.tensor([1, 2]), torch.tensor([[1, 2]]))).toThrow(RangeError);
  });
});
