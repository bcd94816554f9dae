/**
 * Replays test/fixtures/nn.json (made by make_nn_fixtures.py with PyTorch 1.13):
 * every loss and option combination, values and gradients, float32 and float64.
 */
import { it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../lib';
import { functional as F } from '../../lib/nn';
import { describeBackends, expectClose } from '../helpers';

interface Encoded { shape: number[]; dtype: 'float32' | 'float64' | 'int32'; data: (number | string)[] }
interface Case {
  name: string; fn: string; dtype: 'float32' | 'float64';
  input: Encoded; target: Encoded; options: Record<string, string | number>; tensors: Record<string, Encoded>;
  output: Encoded; gradOutput?: Encoded; gradInput: Encoded; gradTarget?: Encoded;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/nn.json'), 'utf8')) as { cases: Case[] };

function numbers(e: Encoded): number[] {
  return e.data.map((v) => (typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity));
}

function decode(e: Encoded): torch.Tensor {
  return torch.tensor(numbers(e), { dtype: e.dtype }).reshape(e.shape);
}

type LossFn = (input: torch.Tensor, target: torch.Tensor, options: object) => torch.Tensor;
const FNS: Record<string, LossFn> = {
  mseLoss: F.mseLoss, l1Loss: F.l1Loss, binaryCrossEntropy: F.binaryCrossEntropy,
  binaryCrossEntropyWithLogits: F.binaryCrossEntropyWithLogits, crossEntropy: F.crossEntropy, nllLoss: F.nllLoss,
};

describeBackends('losses match PyTorch 1.13', () => {
  it('covers every loss', () => {
    expect(new Set(fixture.cases.map((c) => c.fn))).toEqual(new Set(Object.keys(FNS)));
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const [rtol, atol] = c.dtype === 'float32' ? [1e-5, 1e-6] : [1e-10, 1e-12];
      const input = decode(c.input).requiresGrad_();
      const target = decode(c.target);
      if (c.gradTarget !== undefined) target.requiresGrad_();
      const options: Record<string, unknown> = { ...c.options };
      for (const [k, v] of Object.entries(c.tensors)) options[k] = decode(v);
      const out = FNS[c.fn](input, target, options);
      expect(out.dtype).toBe(c.dtype);
      expect(out.shape).toEqual(c.output.shape);
      expectClose(out.toArray(), numbers(c.output), rtol, atol);
      out.backward(c.gradOutput === undefined ? undefined : decode(c.gradOutput));
      expectClose((input.grad as torch.Tensor).toArray(), numbers(c.gradInput), rtol, atol);
      if (c.gradTarget !== undefined) expectClose((target.grad as torch.Tensor).toArray(), numbers(c.gradTarget), rtol, atol);
    });
  }
});
