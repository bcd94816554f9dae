/**
 * RNN, LSTM, GRU: PyTorch 1.13's state dicts, outputs, final states and the
 * gradients of the input, initial states and every parameter to 1e-9 in
 * float64 (test/fixtures/rnn.json), gradcheck, dropout between layers in
 * training mode only, init, and bad input.
 */
import { describe, it, expect, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../lib';
import * as nn from '../../lib/nn';
import { describeBackends, expectClose, leaf } from '../helpers';

type T = torch.Tensor;
interface Encoded { shape: number[]; dtype: 'float64'; data: number[] }
interface Case {
  name: string; kind: 'RNN' | 'LSTM' | 'GRU'; options: nn.RNNOptions; repr: string; stateDict: Record<string, Encoded>;
  input: Encoded; output: Encoded; hN: Encoded; gradOutput: Encoded; gradHN: Encoded; gradInput: Encoded;
  gradParams: Record<string, Encoded>; h0?: Encoded; gradH0?: Encoded; cN?: Encoded; gradCN?: Encoded; c0?: Encoded; gradC0?: Encoded;
}

const { cases } = JSON.parse(readFileSync(join(__dirname, '../fixtures/rnn.json'), 'utf8')) as { cases: Case[] };
const decode = (e: Encoded): T => torch.tensor(e.data, { dtype: e.dtype }).reshape(e.shape);
const f64 = { dtype: 'float64' as const };
const unit = (shape: number[]): T => leaf(shape, -1, 1);
const close = (a: T, e: Encoded): void => {
  expect(a.shape).toEqual(e.shape);
  expectClose(a.data, e.data, 1e-9, 1e-12);
};

function make(kind: Case['kind'], inputSize: number, hiddenSize: number, options: nn.RNNOptions): nn.RNN | nn.LSTM | nn.GRU {
  if (kind === 'RNN') return new nn.RNN(inputSize, hiddenSize, options);
  const { nonlinearity: _, ...rest } = options;
  return kind === 'LSTM' ? new nn.LSTM(inputSize, hiddenSize, rest) : new nn.GRU(inputSize, hiddenSize, rest);
}

describeBackends('RNN, LSTM and GRU match PyTorch 1.13 in float64', () => {
  for (const c of cases) {
    it(`${c.name}: state dict loads; output, final states and every gradient within 1e-9`, () => {
      const m = make(c.kind, 3, 4, { ...c.options, ...f64 });
      expect(m.toString()).toBe(c.repr);
      expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.stateDict));
      m.loadStateDict(Object.fromEntries(Object.entries(c.stateDict).map(([k, v]) => [k, decode(v)])));
      const x = decode(c.input).requiresGrad_();
      const h0 = c.h0 ? decode(c.h0).requiresGrad_() : null;
      const c0 = c.c0 ? decode(c.c0).requiresGrad_() : null;
      let output: T;
      let hN: T;
      let cN: T | null = null;
      if (m instanceof nn.LSTM) [output, [hN, cN]] = m.forward(x, h0 && c0 ? [h0, c0] : null);
      else [output, hN] = m.forward(x, h0);
      close(output, c.output);
      close(hN, c.hN);
      if (c.cN) close(cN as T, c.cN);
      let loss = output.mul(decode(c.gradOutput)).sum().add(hN.mul(decode(c.gradHN)).sum());
      if (cN !== null) loss = loss.add(cN.mul(decode(c.gradCN as Encoded)).sum());
      loss.backward();
      close(x.grad as T, c.gradInput);
      if (h0) close(h0.grad as T, c.gradH0 as Encoded);
      if (c0) close(c0.grad as T, c.gradC0 as Encoded);
      const params = new Map(m.namedParameters());
      expect([...params.keys()]).toEqual(Object.keys(c.gradParams));
      for (const [name, g] of Object.entries(c.gradParams)) close((params.get(name) as T).grad as T, g);
    });
  }
});


describeBackends('gradcheck of RNN, LSTM and GRU', () => {
  beforeEach(() => { torch.manualSeed(15); });
  const opts = { numLayers: 2, bidirectional: true, ...f64 };
  for (const kind of ['RNN', 'GRU'] as const) {
    it(`${kind}: input, h0 and parameters (2 layers, bidirectional)`, () => {
      const m = make(kind, 2, 2, opts) as nn.RNN | nn.GRU;
      const [x, h] = [unit([3, 1, 2]).detach(), unit([4, 1, 2]).detach()];
      const both = (xx: T, hh: T): T => { const [o, hN] = m.forward(xx, hh); return o.sum().add(hN.mul(hN).sum()); };
      expect(torch.autograd.gradcheck(both, [unit([3, 1, 2]), unit([4, 1, 2])])).toBe(true);
      expect(torch.autograd.gradcheck(() => both(x, h), [...m.parameters()])).toBe(true);
    });
  }
  it('LSTM: input, h0, c0 and parameters (2 layers, bidirectional)', () => {
    const m = new nn.LSTM(2, 2, opts);
    const [x, h, c] = [unit([3, 1, 2]).detach(), unit([4, 1, 2]).detach(), unit([4, 1, 2]).detach()];
    const all = (xx: T, hh: T, cc: T): T => { const [o, [hN, cN]] = m.forward(xx, [hh, cc]); return o.sum().add(hN.mul(cN).sum()); };
    expect(torch.autograd.gradcheck(all, [unit([3, 1, 2]), unit([4, 1, 2]), unit([4, 1, 2])])).toBe(true);
    expect(torch.autograd.gradcheck(() => all(x, h, c), [...m.parameters()])).toBe(true);
  });
});

describe('RNN, LSTM and GRU', () => {
  it('dropout acts between layers in training mode only', () => {
    torch.manualSeed(3);
    const x = torch.randn([5, 2, 3], f64);
    for (const kind of ['RNN', 'LSTM', 'GRU'] as const) {
      const m = make(kind, 3, 4, { numLayers: 2, dropout: 0.5, ...f64 });
      const out = (): T => m.forward(x)[0];
      const [a, b] = [out(), out()];
      expect(a.toArray()).not.toEqual(b.toArray());
      m.eval();
      expect(out().toArray()).toEqual(out().toArray());
      // One layer has nothing between layers: training mode is deterministic.
      const single = make(kind, 3, 4, { dropout: 0.5, ...f64 });
      expect(single.forward(x)[0].toArray()).toEqual(single.forward(x)[0].toArray());
    }
  });

  it('parameters are registered in PyTorch order and lie in U(-1/sqrt(hidden), 1/sqrt(hidden))', () => {
    torch.manualSeed(1);
    const m = new nn.GRU(5, 16, { numLayers: 2, bidirectional: true });
    const shapes = [...m.namedParameters()].map(([n, p]) => [n, p.shape]);
    const layer = (sfx: string, input: number): [string, number[]][] => [
      [`weight_ih${sfx}`, [48, input]], [`weight_hh${sfx}`, [48, 16]], [`bias_ih${sfx}`, [48]], [`bias_hh${sfx}`, [48]]];
    expect(shapes).toEqual([...layer('_l0', 5), ...layer('_l0_reverse', 5), ...layer('_l1', 32), ...layer('_l1_reverse', 32)]);
    const all = [...m.parameters()].flatMap((p) => Array.from(p.data));
    expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...all)).toBeGreaterThan(0.24);
    expect(Math.min(...all)).toBeLessThan(-0.24);
  });

  it('float32 runs; absent states are zeros', () => {
    const x = torch.randn([4, 2, 3]);
    const m = new nn.LSTM(3, 4, { numLayers: 2 });
    const [out, [h, c]] = m.forward(x);
    expect([out.dtype, out.shape, h.shape, c.shape]).toEqual(['float32', [4, 2, 4], [2, 2, 4], [2, 2, 4]]);
    const z = torch.zeros([2, 2, 4]);
    expect(m.forward(x, [z, z])[0].toArray()).toEqual(out.toArray());
  });

  it('reject a wrong feature size, states of the wrong shape, batchFirst mismatches, non-float input and bad options', () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm.forward(torch.randn([5, 2, 6]))).toThrow(/^LSTM: input must be \[seq, batch, inputSize\] or unbatched \[seq, inputSize\] with inputSize 3, got \[5, 2, 6\]/);
    expect(() => lstm.forward(torch.randn([5, 2, 3]), [torch.randn([2, 2, 4]), torch.randn([1, 2, 4])])).toThrow(/^LSTM: c0 must be \[2, 2, 4\] \(numLayers·directions, batch, hiddenSize\) for input \[5, 2, 3\] \(batchFirst false: the batch is input dim 1\), got \[1, 2, 4\]/);
    expect(() => lstm.forward(torch.randn([5, 2, 3]), torch.randn([2, 2, 4]) as unknown as [T, T])).toThrow(/^LSTM: hx must be a pair \[h0, c0\]/);
    const gru = new nn.GRU(3, 4);
    // Batch-first data given to a seq-first layer: h0 matches dim 0, not the batch dim.
    expect(() => gru.forward(torch.randn([7, 5, 3]), torch.randn([1, 7, 4]))).toThrow(/^GRU: h0 must be \[1, 5, 4\] .* \(batchFirst false: the batch is input dim 1\); is batchFirst set as the data is laid out\?, got \[1, 7, 4\]/);
    expect(() => new nn.GRU(3, 4, { batchFirst: true }).forward(torch.randn([7, 5, 3]), torch.randn([1, 5, 4]))).toThrow(/^GRU: h0 must be \[1, 7, 4\] .*batchFirst true: the batch is input dim 0\); is batchFirst set/);
    expect(() => gru.forward(torch.randn([5, 3]), torch.randn([1, 2, 4]))).toThrow(/^GRU: h0 must be \[1, 4\] \(numLayers·directions, hiddenSize\) for input \[5, 3\], got \[1, 2, 4\]/);
    expect(() => new nn.RNN(3, 4).forward(torch.ones([5, 2, 3], { dtype: 'int32' }))).toThrow(/^RNN: input must be float32 or float64, got int32/);
    expect(() => new nn.RNN(3, 4).forward(torch.randn([5, 2, 3], f64))).toThrow(/^RNN: input is float64 but the parameters are float32/);
    expect(() => new nn.RNN(3, 4).forward(torch.randn([3]))).toThrow(/^RNN: input must be/);
    expect(() => new nn.RNN(3, 4, { batchFirst: true }).forward(torch.randn([2, 0, 3]))).toThrow(/^RNN: expected a sequence length larger than 0, got input \[2, 0, 3\]/);
    expect(() => new nn.GRU(3, 4, { dropout: 1.5 })).toThrow(/^GRU: dropout probability has to be between 0 and 1, but got 1.5/);
    expect(() => new nn.LSTM(3, 4, { numLayers: 0 })).toThrow(/^LSTM: numLayers must be an integer >= 1, got 0/);
    expect(() => new nn.RNN(3, 4, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow(/^RNN: nonlinearity must be 'tanh' or 'relu'/);
    expect(() => new nn.LSTM(3, 4, { nonlinearity: 'relu' } as nn.RNNBaseOptions)).toThrow(/LSTM.*nonlinearity/);
  });
});
