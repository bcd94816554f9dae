/** Every differentiable op passes gradcheck in float64, on both backends. */
import { it, expect } from 'vitest';
import * as torch from '../../lib';
import { linear } from '../../lib/ops/matmul';
import { expand } from '../../lib/ops/shape';
import { describeBackends, describeGradcheck, leaf, type GradCase } from '../helpers';

type T = torch.Tensor;
const f64 = { dtype: 'float64' as const };

/** Values in ±(0.2..2): no zeros, so abs/relu/div are smooth there. */
function awayFromZero(shape: number[]): T {
  const mag = torch.rand(shape, f64).mul(1.8).add(0.2);
  const sign = torch.rand(shape, f64).gt(0.5).mul(2).sub(1);
  return mag.mul(sign).detach().requiresGrad_();
}

const cases: GradCase[] = [
  ['add (broadcast, alpha)', () => [(a, b) => a.add(b, 0.5), [leaf([2, 3]), leaf([3])]]],
  ['add scalar', () => [(a) => torch.add(2, a), [leaf([2, 2])]]],
  ['sub (broadcast both ways)', () => [(a, b) => a.sub(b), [leaf([2, 1]), leaf([1, 3])]]],
  ['mul (broadcast)', () => [(a, b) => a.mul(b), [leaf([2, 3, 4]), leaf([3, 1])]]],
  ['div', () => [(a, b) => a.div(b), [leaf([3, 2]), awayFromZero([2])]]],
  ['pow scalar exponent', () => [(a) => a.pow(3), [leaf([4])]]],
  ['pow tensor exponent', () => [(a, b) => a.pow(b), [leaf([3], 0.5, 2), leaf([3])]]],
  ['neg', () => [(a) => a.neg(), [leaf([3])]]],
  ['maximum', () => [(a, b) => a.maximum(b), [leaf([4]), leaf([4])]]],
  ['minimum', () => [(a, b) => torch.minimum(a, b), [leaf([2, 2]), leaf([2])]]],
  ['exp', () => [(a) => a.exp(), [leaf([5])]]],
  ['log', () => [(a) => a.log(), [leaf([5], 0.1, 3)]]],
  ['sqrt', () => [(a) => a.sqrt(), [leaf([5], 0.1, 3)]]],
  ['abs', () => [(a) => a.abs(), [awayFromZero([5])]]],
  ['sin', () => [(a) => a.sin(), [leaf([5])]]],
  ['cos', () => [(a) => a.cos(), [leaf([5])]]],
  ['clamp', () => [(a) => a.clamp(-0.5, 0.7), [torch.tensor([-1.5, -0.2, 0.3, 1.1, 0.69], { ...f64, requiresGrad: true })]]],
  ['relu', () => [(a) => a.relu(), [awayFromZero([6])]]],
  ['leakyRelu', () => [(a) => a.leakyRelu(0.2), [awayFromZero([6])]]],
  ['sigmoid', () => [(a) => a.sigmoid(), [leaf([6])]]],
  ['softplus', () => [(a) => a.mul(12).softplus(), [leaf([6])]]],
  ['tanh', () => [(a) => a.tanh(), [leaf([6])]]],
  ['softmax dim 1', () => [(a) => a.softmax(1), [leaf([2, 4])]]],
  ['softmax dim 0 of 3-D', () => [(a) => a.softmax(0), [leaf([3, 2, 2])]]],
  ['logSoftmax dim -1', () => [(a) => a.logSoftmax(-1), [leaf([3, 4])]]],
  ['sum all', () => [(a) => a.sum(), [leaf([2, 3])]]],
  ['sum dims keepdim', () => [(a) => a.sum([0, 2], true), [leaf([2, 3, 2])]]],
  ['mean all', () => [(a) => a.mean(), [leaf([2, 3])]]],
  ['mean dim', () => [(a) => a.mean(1), [leaf([2, 3])]]],
  ['mean two dims', () => [(a) => a.mean([0, 1]), [leaf([2, 3, 2])]]],
  ['max all', () => [(a) => a.max(), [leaf([2, 3])]]],
  ['max dim', () => [(a) => a.max(1)[0], [leaf([3, 4])]]],
  ['min dim keepdim', () => [(a) => a.min(0, true)[0], [leaf([3, 4])]]],
  ['matmul 2-D', () => [(a, b) => a.matmul(b), [leaf([3, 4]), leaf([4, 2])]]],
  ['matmul vector·vector', () => [(a, b) => a.matmul(b), [leaf([4]), leaf([4])]]],
  ['matmul matrix·vector', () => [(a, b) => a.matmul(b), [leaf([3, 4]), leaf([4])]]],
  ['matmul vector·matrix', () => [(a, b) => a.matmul(b), [leaf([4]), leaf([4, 2])]]],
  ['matmul batched · 2-D', () => [(a, b) => a.matmul(b), [leaf([2, 3, 4]), leaf([4, 2])]]],
  ['matmul 2-D · batched', () => [(a, b) => a.matmul(b), [leaf([3, 4]), leaf([2, 4, 2])]]],
  ['matmul broadcast batches', () => [(a, b) => a.matmul(b), [leaf([2, 1, 2, 3]), leaf([3, 3, 2])]]],
  ['linear with bias', () => [(x, w, b) => linear(x, w, b), [leaf([4, 3]), leaf([2, 3]), leaf([2])]]],
  ['linear 3-D input', () => [(x, w) => linear(x, w), [leaf([2, 2, 3]), leaf([2, 3])]]],
  ['reshape/view', () => [(a) => a.reshape(3, -1).view([2, 3]).mul(a.view(2, 3)), [leaf([6])]]],
  ['flatten', () => [(a) => a.flatten(1).mul(2), [leaf([2, 2, 2])]]],
  ['squeeze/unsqueeze', () => [(a) => a.unsqueeze(0).squeeze().mul(3), [leaf([3, 1])]]],
  ['transpose', () => [(a) => a.transpose(0, 2), [leaf([2, 3, 4])]]],
  ['t', () => [(a) => a.t(), [leaf([2, 3])]]],
  ['permute', () => [(a) => a.permute(2, 0, 1), [leaf([2, 3, 2])]]],
  ['expand', () => [(a) => expand(a, [2, 3, 4]), [leaf([3, 1])]]],
  ['narrow', () => [(a) => a.narrow(1, 1, 2), [leaf([2, 4])]]],
  ['index rows', () => [(a) => a.index([2, 0, 2]), [leaf([3, 2])]]],
  ['indexSelect dim 1', () => [(a) => a.indexSelect(1, torch.tensor([1, 1, 0], { dtype: 'int32' })), [leaf([2, 3])]]],
  ['gather', () => [(a) => a.gather(1, torch.tensor([[0, 2], [1, 1]], { dtype: 'int32' })), [leaf([2, 3])]]],
  ['cat', () => [(a, b) => torch.cat([a, b], 1), [leaf([2, 2]), leaf([2, 3])]]],
  ['stack', () => [(a, b) => torch.stack([a, b], 1), [leaf([2, 3]), leaf([2, 3])]]],
  ['clone', () => [(a) => a.clone(), [leaf([3])]]],
  ['composite: MLP loss', () => [(x, w1, w2) => x.matmul(w1).tanh().matmul(w2).sigmoid().log().mean(), [leaf([4, 3]), leaf([3, 5]), leaf([5, 1])]]],
];

describeGradcheck('gradcheck', cases, 7);

describeBackends('gradcheck checks itself', () => {
  it('detects a wrong backward rule', () => {
    const x = leaf([3]);
    const wrong = (a: T) => torch.noGrad(() => a.mul(a)).add(a.mul(0)); // drops the 2a term
    expect(() => torch.autograd.gradcheck(wrong, [x])).toThrow(/Jacobian mismatch/);
  });
});
