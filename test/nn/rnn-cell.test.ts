/**
 * RNNCell, LSTMCell, GRUCell: PyTorch 1.13's state dicts, two steps and the
 * gradients of inputs, initial states and every parameter to 1e-9 in float64
 * (test/fixtures/layers.json, cells), gradcheck, init, reprs and bad input.
 */
import { describe, it, expect, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '../../lib';
import * as nn from '../../lib/nn';
import { describeBackends, expectClose, leaf } from '../helpers';

type T = torch.Tensor;
interface Encoded { shape: number[]; dtype: 'float64'; data: number[] }
interface CellCase {
  name: string; repr: string; stateDict: Record<string, Encoded>; inputs: Encoded; h0: Encoded; gradH: Encoded;
  gradInputs: Encoded; gradH0: Encoded; gradParams: Record<string, Encoded>; outputs: Encoded[];
  c0?: Encoded; gradC?: Encoded; gradC0?: Encoded; cells?: Encoded[];
}

const { cells } = JSON.parse(readFileSync(join(__dirname, '../fixtures/layers.json'), 'utf8')) as { cells: CellCase[] };
const decode = (e: Encoded): T => torch.tensor(e.data, { dtype: e.dtype }).reshape(e.shape);
const f64 = { dtype: 'float64' as const };
const unit = (shape: number[]): T => leaf(shape, -1, 1);

type AnyCell = nn.RNNCell | nn.LSTMCell | nn.GRUCell;
const MAKE: Record<string, () => AnyCell> = {
  RNNCell: () => new nn.RNNCell(3, 4, f64),
  'RNNCell relu no bias': () => new nn.RNNCell(3, 4, { ...f64, bias: false, nonlinearity: 'relu' }),
  LSTMCell: () => new nn.LSTMCell(3, 4, f64),
  GRUCell: () => new nn.GRUCell(3, 4, f64),
};

/** Runs `cell` over the steps of xs [steps, batch, input] from `state`; returns every step's [h, c?]. */
function run(cell: AnyCell, xs: T, h0: T, c0: T | null): [T, T | null][] {
  const out: [T, T | null][] = [];
  let h = h0;
  let c = c0;
  for (let t = 0; t < xs.shape[0]; t++) {
    const x = xs.narrow(0, t, 1).squeeze(0);
    if (cell instanceof nn.LSTMCell) [h, c] = cell.forward(x, [h, c as T]);
    else h = cell.forward(x, h);
    out.push([h, c]);
  }
  return out;
}

describeBackends('recurrent cells match PyTorch 1.13 in float64', () => {
  it('covers every cell', () => {
    expect(cells.map((c) => c.name).sort()).toEqual(Object.keys(MAKE).sort());
  });

  for (const c of cells) {
    it(`${c.name}: state dict loads, two steps and every gradient within 1e-9`, () => {
      const cell = MAKE[c.name]();
      expect(cell.toString()).toBe(c.repr);
      const state = Object.fromEntries(Object.entries(c.stateDict).map(([k, v]) => [k, decode(v)]));
      expect(Object.keys(cell.stateDict()).sort()).toEqual(Object.keys(state).sort());
      cell.loadStateDict(state);
      const xs = decode(c.inputs).requiresGrad_();
      const h0 = decode(c.h0).requiresGrad_();
      const c0 = c.c0 ? decode(c.c0).requiresGrad_() : null;
      const steps = run(cell, xs, h0, c0);
      steps.forEach(([h, cs], t) => {
        expectClose(h.data, c.outputs[t].data, 1e-9, 1e-12);
        if (c.cells) expectClose((cs as T).data, c.cells[t].data, 1e-9, 1e-12);
      });
      const [hN, cN] = steps[steps.length - 1];
      let loss = hN.mul(decode(c.gradH)).sum();
      if (cN !== null) loss = loss.add(cN.mul(decode(c.gradC as Encoded)).sum());
      loss.backward();
      expectClose((xs.grad as T).data, c.gradInputs.data, 1e-9, 1e-12);
      expectClose((h0.grad as T).data, c.gradH0.data, 1e-9, 1e-12);
      if (c0 !== null) expectClose((c0.grad as T).data, (c.gradC0 as Encoded).data, 1e-9, 1e-12);
      const params = new Map(cell.namedParameters());
      expect([...params.keys()].sort()).toEqual(Object.keys(c.gradParams).sort());
      for (const [name, g] of Object.entries(c.gradParams)) expectClose(((params.get(name) as T).grad as T).data, g.data, 1e-9, 1e-12);
    });
  }
});


describeBackends('gradcheck of the recurrent cells', () => {
  beforeEach(() => { torch.manualSeed(5); });
  for (const [name, make] of [['RNNCell', () => new nn.RNNCell(3, 2, f64)], ['GRUCell', () => new nn.GRUCell(3, 2, f64)]] as const) {
    it(`${name}: input, state and parameters`, () => {
      const cell = make();
      const x = unit([2, 3]).detach();
      const h = unit([2, 2]).detach();
      expect(torch.autograd.gradcheck((xx, hh) => cell.forward(xx, hh), [unit([2, 3]), unit([2, 2])])).toBe(true);
      expect(torch.autograd.gradcheck(() => cell.forward(x, h), [...cell.parameters()])).toBe(true);
    });
  }
  it('LSTMCell: input, both states and parameters', () => {
    const cell = new nn.LSTMCell(3, 2, f64);
    const [x, h, c] = [unit([2, 3]).detach(), unit([2, 2]).detach(), unit([2, 2]).detach()];
    expect(torch.autograd.gradcheck((xx, hh, cc) => cell.forward(xx, [hh, cc]), [unit([2, 3]), unit([2, 2]), unit([2, 2])])).toBe(true);
    expect(torch.autograd.gradcheck(() => cell.forward(x, [h, c]), [...cell.parameters()])).toBe(true);
  });
});

describe('recurrent cells', () => {
  it('parameters have PyTorch names and shapes (gates stacked) and lie in U(-1/sqrt(hidden), 1/sqrt(hidden))', () => {
    torch.manualSeed(1);
    for (const [cell, gates] of [[new nn.RNNCell(5, 16), 1], [new nn.LSTMCell(5, 16), 4], [new nn.GRUCell(5, 16), 3]] as const) {
      const shapes = [...cell.namedParameters()].map(([n, p]) => [n, p.shape]);
      expect(shapes).toEqual([['weight_ih', [gates * 16, 5]], ['weight_hh', [gates * 16, 16]], ['bias_ih', [gates * 16]], ['bias_hh', [gates * 16]]]);
      const all = [...cell.parameters()].flatMap((p) => Array.from(p.data));
      expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(0.25);
      expect(Math.max(...all)).toBeGreaterThan(0.2);
      expect(Math.min(...all)).toBeLessThan(-0.2);
    }
    expect([...new nn.GRUCell(2, 3, { bias: false }).namedParameters()].map(([n]) => n)).toEqual(['weight_ih', 'weight_hh']);
  });

  it('a missing state is zeros; an unbatched input gives the unbatched result', () => {
    const x = torch.randn([2, 3], f64);
    for (const cell of [new nn.RNNCell(3, 4, f64), new nn.GRUCell(3, 4, f64)]) {
      expect(cell.forward(x).toArray()).toEqual(cell.forward(x, torch.zeros([2, 4], f64)).toArray());
      expect(cell.forward(x.narrow(0, 1, 1).squeeze(0), torch.zeros([4], f64)).toArray()).toEqual(cell.forward(x).narrow(0, 1, 1).squeeze(0).toArray());
    }
    const lstm = new nn.LSTMCell(3, 4, f64);
    const [h, c] = lstm.forward(x);
    const [h2, c2] = lstm.forward(x, [torch.zeros([2, 4], f64), torch.zeros([2, 4], f64)]);
    expect([h.toArray(), c.toArray()]).toEqual([h2.toArray(), c2.toArray()]);
    expect(lstm.forward(x.narrow(0, 0, 1).squeeze(0))[1].shape).toEqual([4]);
  });

  it('reject a wrong feature size, states of the wrong shape and bad options with clear errors', () => {
    const lstm = new nn.LSTMCell(3, 4);
    expect(() => lstm.forward(torch.randn([2, 5]))).toThrow(/^LSTMCell: input must be \[batch, 3\] or \[3\] \(inputSize 3\), got \[2, 5\]/);
    expect(() => lstm.forward(torch.randn([2, 3]), [torch.randn([2, 4]), torch.randn([3, 4])])).toThrow(/^LSTMCell: c must be \[2, 4\] \(batch, hiddenSize\) for input \[2, 3\], got \[3, 4\]/);
    expect(() => lstm.forward(torch.randn([2, 3]), torch.randn([2, 4]) as unknown as [T, T])).toThrow(/^LSTMCell: hx must be a pair \[h, c\]/);
    expect(() => new nn.GRUCell(3, 4).forward(torch.randn([3]), torch.randn([1, 4]))).toThrow(/^GRUCell: hx must be \[4\] \(hiddenSize\) for input \[3\], got \[1, 4\]/);
    expect(() => new nn.RNNCell(3, 4).forward(torch.randn([2, 2, 3]))).toThrow(/^RNNCell: input must be/);
    expect(() => new nn.RNNCell(3, 4, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow(/^RNNCell: nonlinearity must be 'tanh' or 'relu'/);
    expect(() => new nn.GRUCell(3, 1.5)).toThrow(/^GRUCell: hiddenSize must be a non-negative integer/);
  });
});
