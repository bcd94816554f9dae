/** Layers: Linear init and forward, Sequential, activations, Flatten, Identity, Dropout. */
import { describe, it, expect } from 'vitest';
import * as torch from '../../lib';
import * as nn from '../../lib/nn';
import { describeBackends, expectClose } from '../helpers';

type T = torch.Tensor;
const F = nn.functional;

function values(t: T): number[] {
  return Array.from(t.data);
}

describe('Linear', () => {
  it('weight [out, in] and bias [out] lie in U(-1/sqrt(in), 1/sqrt(in)) and fill it', () => {
    torch.manualSeed(3);
    for (const dtype of ['float32', 'float64'] as const) {
      const lin = new nn.Linear(50, 200, { dtype });
      expect(lin.weight.shape).toEqual([200, 50]);
      expect((lin.bias as T).shape).toEqual([200]);
      expect(lin.weight.dtype).toBe(dtype);
      const bound = 1 / Math.sqrt(50);
      const w = values(lin.weight);
      const b = values(lin.bias as T);
      expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...w)).toBeGreaterThan(0.98 * bound);
      expect(Math.min(...w)).toBeLessThan(-0.98 * bound);
      // U(-a, a) has variance a²/3.
      const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
      expect(Math.abs(variance - bound ** 2 / 3) / (bound ** 2 / 3)).toBeLessThan(0.05);
    }
  });

  it('the same seed gives the same weights', () => {
    torch.manualSeed(11);
    const a = new nn.Linear(3, 4);
    torch.manualSeed(11);
    const b = new nn.Linear(3, 4);
    expect(a.weight.toArray()).toEqual(b.weight.toArray());
    expect(a.bias?.toArray()).toEqual(b.bias?.toArray());
  });

  it('forward is x·Wᵀ + b on the last dim and backpropagates into weight and bias', () => {
    const lin = new nn.Linear(3, 2);
    const x = torch.randn(4, 5, 3);
    const expected = x.matmul(lin.weight.t()).add(lin.bias as T);
    expectClose(lin.forward(x).toArray(), expected.toArray());
    lin.forward(x).sum().backward();
    expect(lin.weight.grad?.shape).toEqual([2, 3]);
    expectClose((lin.bias?.grad as T).toArray(), [20, 20]);
  });

  it('validates its arguments', () => {
    expect(() => new nn.Linear(-1, 2)).toThrow(/inFeatures/);
    expect(() => new nn.Linear(2, 1.5)).toThrow(/outFeatures/);
    expect(() => new nn.Linear(2, 2, { dtype: 'int32' })).toThrow(/float/);
    expect(() => new nn.Linear(3, 2).forward(torch.randn(2, 4))).toThrow(/linear/);
    expect(new nn.Linear(0, 2).forward(torch.randn(3, 0)).toArray()).toHaveLength(3);
  });
});

describe('Sequential', () => {
  it('chains modules, with index access, length and iteration', () => {
    const a = new nn.Linear(2, 3);
    const r = new nn.ReLU();
    const b = new nn.Linear(3, 1);
    const seq = new nn.Sequential(a, r, b);
    expect(seq.length).toBe(3);
    expect(seq.get(0)).toBe(a);
    expect(seq.get(-1)).toBe(b);
    expect([...seq]).toEqual([a, r, b]);
    expect(() => seq.get(3)).toThrow(RangeError);
    const x = torch.randn(5, 2);
    expect(seq.forward(x).toArray()).toEqual(b.forward(r.forward(a.forward(x))).toArray());
    seq.append(new nn.Sigmoid());
    expect(seq.length).toBe(4);
    expect(seq.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2', '3']);
    const empty = new nn.Sequential();
    expect(empty.forward(x)).toBe(x);
    expect(() => new nn.Sequential({} as nn.Layer)).toThrow(TypeError);
  });
});

describeBackends('activation modules', () => {
  it('match the functional ops', () => {
    const x = torch.randn(3, 4);
    const pairs: [nn.Layer, T][] = [
      [new nn.ReLU(), F.relu(x)], [new nn.LeakyReLU(0.2), F.leakyRelu(x, 0.2)], [new nn.LeakyReLU(), x.leakyRelu(0.01)],
      [new nn.Sigmoid(), F.sigmoid(x)], [new nn.Tanh(), F.tanh(x)], [new nn.Softmax(1), F.softmax(x, 1)],
      [new nn.LogSoftmax(0), F.logSoftmax(x, 0)], [new nn.Identity(), x],
    ];
    for (const [m, expected] of pairs) expect(m.forward(x).toArray()).toEqual(expected.toArray());
    expect(new nn.Identity().forward(x)).toBe(x);
    expect(new nn.LeakyReLU().negativeSlope).toBe(0.01);
  });

  it('Softmax/LogSoftmax require an integer dim', () => {
    expect(() => new nn.Softmax(undefined as unknown as number)).toThrow(/dim/);
    expect(() => new nn.LogSoftmax(0.5)).toThrow(/dim/);
    expect(() => new nn.LogSoftmax(0.5)).toThrow(/^LogSoftmax: dim must be an integer/);
    expect(() => new nn.Softmax(NaN)).toThrow(/^Softmax: dim must be an integer/);
  });

  it('Flatten flattens startDim..endDim (default 1..-1)', () => {
    const x = torch.randn(2, 3, 4, 5);
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 60]);
    expect(new nn.Flatten(0, 1).forward(x).shape).toEqual([6, 4, 5]);
    expect(new nn.Flatten(1, 2).forward(x).shape).toEqual([2, 12, 5]);
  });
});

describeBackends('Dropout', () => {
  it('is the identity in eval mode and for p = 0', () => {
    const x = torch.randn(10, 10);
    const d = new nn.Dropout(0.3);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(new nn.Dropout(0).forward(x)).toBe(x);
    expect(F.dropout(x, 0.5, false)).toBe(x);
  });

  it('zeroes about p of the elements and scales the rest by 1/(1-p)', () => {
    const x = torch.ones(200, 100);
    const p = 0.3;
    const y = new nn.Dropout(p, { generator: new torch.Generator(5) }).forward(x);
    const v = values(y);
    const zeros = v.filter((e) => e === 0).length;
    expect(Math.abs(zeros / v.length - p)).toBeLessThan(0.02);
    for (const e of v) if (e !== 0) expect(e).toBeCloseTo(1 / (1 - p), 6);
    expect(new nn.Dropout(1).forward(x).sum().item()).toBe(0);
  });

  it('is reproducible with a generator and uses the default generator otherwise', () => {
    const x = torch.randn(4, 5);
    const a = F.dropout(x, 0.5, true, { generator: new torch.Generator(1) });
    const b = F.dropout(x, 0.5, true, { generator: new torch.Generator(1) });
    expect(a.toArray()).toEqual(b.toArray());
    torch.manualSeed(9);
    const c = F.dropout(x, 0.5);
    torch.manualSeed(9);
    expect(F.dropout(x, 0.5).toArray()).toEqual(c.toArray());
  });

  it('backpropagates through the same mask', () => {
    const x = torch.randn(6, 7, { dtype: 'float64', requiresGrad: true });
    const y = F.dropout(x, 0.4, true, { generator: new torch.Generator(2) });
    y.sum().backward();
    const g = values(x.grad as T);
    values(y).forEach((v, i) => expect(g[i]).toBeCloseTo(v === 0 ? 0 : 1 / 0.6, 12));
  });

  it('validates p', () => {
    expect(() => new nn.Dropout(1.5)).toThrow(/between 0 and 1, but got 1.5/);
    expect(() => new nn.Dropout(-0.1)).toThrow(RangeError);
    expect(() => F.dropout(torch.ones(2), NaN)).toThrow(RangeError);
  });
});
