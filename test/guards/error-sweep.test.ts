/**
 * Errors name what was called and print the argument readably. The sweep
 * passes an options object (PyTorch's keyword habit, `{ dim: 1 }`) and a
 * string (`'1'`) where each public op expects a number, and checks the error
 * names the op the user called and shows the value as written: never
 * `[object Object]`, never another op's name, never a bare "1" for a string.
 */
import { describe, it, expect } from 'vitest';
import * as torch from '../../lib';

const { nn } = torch;
const F = nn.functional;
const t = torch.ones(2, 3);
const idx = torch.tensor([0, 1], { dtype: 'int32' });

/** [the name errors must start with, a call with `v` where a number belongs]. */
const OPS: [string, (v: never) => unknown][] = [
  ['sum', (v) => torch.sum(t, v)], ['mean', (v) => torch.mean(t, v)],
  ['max', (v) => torch.max(t, v)], ['min', (v) => torch.min(t, v)],
  ['argmax', (v) => torch.argmax(t, v)], ['argmin', (v) => torch.argmin(t, v)],
  ['softmax', (v) => torch.softmax(t, v)], ['logSoftmax', (v) => torch.logSoftmax(t, v)],
  ['squeeze', (v) => torch.squeeze(t, v)], ['unsqueeze', (v) => torch.unsqueeze(t, v)],
  ['transpose', (v) => torch.transpose(t, v, 0)], ['flatten', (v) => torch.flatten(t, v)],
  ['narrow', (v) => torch.narrow(t, v, 0, 1)], ['narrow', (v) => torch.narrow(t, 0, v, 1)],
  ['reshape', (v) => torch.reshape(t, v)], ['permute', (v) => torch.permute(t, [v, 0])],
  ['cat', (v) => torch.cat([t, t], v)], ['stack', (v) => torch.stack([t, t], v)],
  ['indexSelect', (v) => torch.indexSelect(t, v, idx)], ['gather', (v) => torch.gather(t, v, idx.reshape(2, 1))],
  ['clamp', (v) => torch.clamp(t, v)], ['leakyRelu', (v) => torch.leakyRelu(t, v)],
  ['pow', (v) => torch.pow(t, v)], ['add', (v) => torch.add(t, v)], ['add', (v) => torch.add(t, t, v)],
  ['sub', (v) => torch.sub(t, v)], ['mul', (v) => torch.mul(t, v)], ['div', (v) => torch.div(t, v)],
  ['maximum', (v) => torch.maximum(t, v)], ['minimum', (v) => torch.minimum(t, v)],
  ['eq', (v) => torch.eq(t, v)], ['gt', (v) => torch.gt(t, v)], ['lt', (v) => torch.lt(t, v)],
  ['ge', (v) => torch.ge(t, v)], ['le', (v) => torch.le(t, v)],
  ['full', (v) => torch.full([2], v)], ['arange', (v) => torch.arange(v)], ['linspace', (v) => torch.linspace(0, 1, v)],
  ['eye', (v) => torch.eye(v)], ['randint', (v) => torch.randint(v, [2])], ['randperm', (v) => torch.randperm(v)],
  ['zeros', (v) => torch.zeros(v, 2)], ['ones', (v) => torch.ones(2, v)], ['rand', (v) => torch.rand(v)], ['randn', (v) => torch.randn(v)],
  ['size', (v) => t.size(v)], ['view', (v) => t.view(v, 3)], ['fill_', (v) => t.clone().fill_(v)],
  ['add_', (v) => t.clone().add_(v)], ['mul_', (v) => t.clone().mul_(v)],
  ['Linear', (v) => new nn.Linear(v, 2)], ['Dropout', (v) => new nn.Dropout(v)], ['Softmax', (v) => new nn.Softmax(v)],
  ['Flatten', (v) => new nn.Flatten(v)], ['LeakyReLU', (v) => new nn.LeakyReLU(v)], ['dropout', (v) => F.dropout(t, v)],
  ['manualSeed', (v) => torch.manualSeed(v)],
];

describe.each([
  ['an options object', { dim: 1 }, /\{ dim: 1 \}|unknown option 'dim'/],
  ['a string', '1', /'1'|string 1/],
])('%s where a number is expected', (_what, value, shown) => {
  it.each(OPS.map(([name, call], i) => [`${name} #${i}`, name, call] as const))('%s', (_label, name, call) => {
    let error: unknown = null;
    try {
      call(value as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message.startsWith(`${name}: `), message).toBe(true);
    expect(message).toMatch(shown);
    expect(message).not.toContain('[object Object]');
  });
});
