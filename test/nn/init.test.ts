/** nn.init: PyTorch's formulas, checked through sample statistics. */
import { describe, it, expect } from 'vitest';
import * as torch from '../../lib';
import { init } from '../../lib/nn';

type T = torch.Tensor;

function stats(t: T): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.data);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

describe('nn.init', () => {
  it('calculateGain matches PyTorch', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish' as init.Nonlinearity)).toThrow(/unsupported/);
  });

  it('fan in / fan out include the receptive field', () => {
    expect(init.calculateFanInAndFanOut(torch.zeros(3, 5))).toEqual([5, 3]);
    expect(init.calculateFanInAndFanOut(torch.zeros(4, 2, 3, 3))).toEqual([18, 36]);
    expect(() => init.calculateFanInAndFanOut(torch.zeros(5))).toThrow(/fewer than 2 dimensions/);
  });

  it('uniform_ and normal_ fill in place with the asked distribution', () => {
    const t = torch.zeros(100, 100);
    expect(init.uniform_(t, -2, 3)).toBe(t);
    const u = stats(t);
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(3);
    expect(u.mean).toBeCloseTo(0.5, 1);
    expect(u.std).toBeCloseTo(5 / Math.sqrt(12), 1);
    init.normal_(t, 1, 0.5);
    const n = stats(t);
    expect(n.mean).toBeCloseTo(1, 1);
    expect(n.std).toBeCloseTo(0.5, 1);
  });

  it('constant_, zeros_, ones_', () => {
    const t = torch.randn(2, 3);
    expect(Array.from(init.constant_(t, 0.25).data)).toEqual(new Array(6).fill(0.25));
    expect(Array.from(init.zeros_(t).data)).toEqual(new Array(6).fill(0));
    expect(Array.from(init.ones_(t).data)).toEqual(new Array(6).fill(1));
  });

  it('xavier: bound gain·sqrt(6/(fanIn+fanOut)), std gain·sqrt(2/(fanIn+fanOut))', () => {
    const t = torch.zeros(300, 200, { dtype: 'float64' });
    init.xavierUniform_(t, 2);
    const a = 2 * Math.sqrt(6 / 500);
    const u = stats(t);
    expect(u.max).toBeLessThanOrEqual(a);
    expect(u.max).toBeGreaterThan(0.99 * a);
    expect(u.min).toBeGreaterThanOrEqual(-a);
    init.xavierNormal_(t);
    expect(stats(t).std / Math.sqrt(2 / 500)).toBeCloseTo(1, 1);
  });

  it('kaiming: std gain/sqrt(fan) with the fan mode and nonlinearity', () => {
    const t = torch.zeros(400, 100);
    init.kaimingNormal_(t, { mode: 'fan_out', nonlinearity: 'relu' });
    expect(stats(t).std / (Math.SQRT2 / Math.sqrt(400))).toBeCloseTo(1, 1);
    init.kaimingNormal_(t);
    expect(stats(t).std / (Math.SQRT2 / Math.sqrt(100))).toBeCloseTo(1, 1);
    init.kaimingUniform_(t, { a: Math.sqrt(5) });
    const bound = 1 / Math.sqrt(100);
    const u = stats(t);
    expect(u.max).toBeLessThanOrEqual(bound * (1 + 1e-6));
    expect(u.max).toBeGreaterThan(0.99 * bound);
    expect(() => init.kaimingUniform_(t, { mode: 'fan_avg' as init.FanMode })).toThrow(/fan_in, fan_out/);
    expect(init.kaimingUniform_(torch.zeros(0, 3))).toBeInstanceOf(torch.Tensor);
  });

  it('works on parameters that require grad (under noGrad) and bumps their version', () => {
    const p = torch.zeros(3, 4, { requiresGrad: true });
    const v = p._version;
    init.kaimingUniform_(p);
    expect(p._version).toBeGreaterThan(v);
    expect(p.isLeaf).toBe(true);
    expect(p.requiresGrad).toBe(true);
  });

  it('draws from the given generator', () => {
    const a = init.normal_(torch.zeros(5), 0, 1, { generator: new torch.Generator(4) });
    const b = init.normal_(torch.zeros(5), 0, 1, { generator: new torch.Generator(4) });
    expect(a.toArray()).toEqual(b.toArray());
    const c = init.xavierUniform_(torch.zeros(2, 2), 1, { generator: new torch.Generator(4) });
    const d = init.xavierUniform_(torch.zeros(2, 2), 1, { generator: new torch.Generator(4) });
    expect(c.toArray()).toEqual(d.toArray());
  });

  it('rejects int tensors for random fills and bad bounds', () => {
    expect(() => init.uniform_(torch.zeros(2, { dtype: 'int32' }))).toThrow(/float/);
    expect(() => init.uniform_(torch.zeros(2), 1, 0)).toThrow(/a <= b/);
    expect(() => init.normal_(torch.zeros(2), 0, -1)).toThrow(/std/);
  });
});
