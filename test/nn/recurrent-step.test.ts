/**
 * recurrentLayer (lib/ops/recurrent.ts), a layer and direction over a whole
 * sequence as one tape node: gradcheck in float64 on both backends, and the
 * same values as the steps composed from linear, narrow and the elementwise
 * ops, forward and backward, both directions, float32 and float64. PyTorch's
 * reference values reach it through the layers (rnn.test.ts,
 * rnn-cell.test.ts, lstm-porting.test.ts).
 */
import { it, expect } from 'vitest';
import * as torch from '../../lib';
import { recurrentLayer, type RecurrentMode } from '../../lib/ops/recurrent';
import { describeBackends, describeGradcheck, expectClose, leaf, type GradCase } from '../helpers';

type T = torch.Tensor;
const SEQ = 3;
const B = 3;
const H = 4;

/** One LSTM step composed of small ops (PyTorch's formulas): [h', c']. */
function lstmComposed(gi: T, [h, c]: T[], w: T, b: T | null): T[] {
  const gates = gi.add(torch.nn.functional.linear(h, w, b));
  const gate = (i: number): T => gates.narrow(1, i * H, H);
  const c2 = gate(1).sigmoid().mul(c).add(gate(0).sigmoid().mul(gate(2).tanh()));
  return [gate(3).sigmoid().mul(c2.tanh()), c2];
}

function gruComposed(gi: T, [h]: T[], w: T, b: T | null): T[] {
  const gh = torch.nn.functional.linear(h, w, b);
  const gate = (t: T, i: number): T => t.narrow(1, i * H, H);
  const r = gate(gi, 0).add(gate(gh, 0)).sigmoid();
  const z = gate(gi, 1).add(gate(gh, 1)).sigmoid();
  const n = gate(gi, 2).add(r.mul(gate(gh, 2))).tanh();
  return [n.add(z.mul(h.sub(n)))];
}

function rnnComposed(act: 'tanh' | 'relu', gi: T, [h]: T[], w: T, b: T | null): T[] {
  const pre = gi.add(torch.nn.functional.linear(h, w, b));
  return [act === 'tanh' ? pre.tanh() : pre.relu()];
}

type Step = (gi: T, state: T[], w: T, b: T | null) => T[];
const MODES: [RecurrentMode, number, Step][] = [
  ['lstm', 4, lstmComposed],
  ['gru', 3, gruComposed],
  ['rnnTanh', 1, (...a) => rnnComposed('tanh', ...a)],
  ['rnnRelu', 1, (...a) => rnnComposed('relu', ...a)],
];
/** The layer's inputs: gi, h0 (and c0 for the LSTM), W_hh and b_hh (or none), made by `make`. */
function layerInputs(mode: RecurrentMode, gates: number, bias: boolean, make: (shape: number[], lo?: number, hi?: number) => T): T[] {
  const states = mode === 'lstm' ? [make([B, H]), make([B, H])] : [make([B, H])];
  return [make([SEQ, B, gates * H]), ...states, make([gates * H, H], -0.5, 0.5), ...(bias ? [make([gates * H])] : [])];
}

/** recurrentLayer over the inputs as layerInputs lays them out. */
function fusedLayer(mode: RecurrentMode, reverse: boolean, xs: T[]): T {
  const [gi, h0, ...rest] = xs;
  const c0 = mode === 'lstm' ? (rest.shift() as T) : null;
  return recurrentLayer(mode, gi, h0, c0, rest[0], rest[1] ?? null, reverse);
}

/** recurrentLayer's output, step by step from the composed ops: every h in time order (LSTM: then the last c). */
function composedLayer(mode: RecurrentMode, step: Step, reverse: boolean, xs: T[]): T {
  const [gi, h0, ...rest] = xs;
  let state = mode === 'lstm' ? [h0, rest.shift() as T] : [h0];
  const [w, b] = [rest[0], rest[1] ?? null];
  const hs: T[] = new Array<T>(SEQ);
  for (let i = 0; i < SEQ; i++) {
    const t = reverse ? SEQ - 1 - i : i;
    state = step(gi.select(0, t), state, w, b);
    hs[t] = state[0];
  }
  return torch.stack(state.length === 2 ? [...hs, state[1]] : hs);
}

const gradcheckCases: GradCase[] = MODES.flatMap(([mode, gates]): GradCase[] => [false, true].flatMap((reverse): GradCase[] => [true, false].map((bias): GradCase => [
  `${mode}${reverse ? ' reverse' : ''}: gi, h0${mode === 'lstm' ? ', c0' : ''}, W_hh${bias ? ', b_hh' : ' (no bias)'}`,
  () => [(...xs) => fusedLayer(mode, reverse, xs), layerInputs(mode, gates, bias, (shape, lo, hi) => leaf(shape, lo, hi))],
])));
describeGradcheck('gradcheck of recurrentLayer (float64)', gradcheckCases, 21);

describeBackends('recurrentLayer equals the composed steps', () => {
  for (const [mode, gates, step] of MODES) {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const reverse of [false, true]) {
        it(`${mode}${reverse ? ' reverse' : ''}, ${dtype}: output and every gradient`, () => {
          torch.manualSeed(4);
          const make = (shape: number[]): T => torch.randn(shape, { dtype }).mul(1.5).requiresGrad_();
          const inputs = layerInputs(mode, gates, true, make);
          const up = torch.randn([mode === 'lstm' ? SEQ + 1 : SEQ, B, H], { dtype });
          const run = (f: (xs: T[]) => T): number[][] => {
            for (const t of inputs) t.grad = null;
            const y = f(inputs);
            y.mul(up).sum().backward();
            return [Array.from(y.data), ...inputs.map((t) => Array.from((t.grad as T).data))];
          };
          const fused = run((xs) => fusedLayer(mode, reverse, xs));
          const reference = run((xs) => composedLayer(mode, step, reverse, xs));
          const [rtol, atol] = dtype === 'float64' ? [1e-13, 1e-13] : [1e-5, 1e-5];
          fused.forEach((v, i) => expectClose(v, reference[i], rtol, atol));
        });
      }
    }
  }

  it('name the op, the argument and the expected shape on bad input', () => {
    const w = torch.randn([16, 4]);
    expect(() => recurrentLayer('lstm', torch.randn([2, 3, 16]), torch.randn([3, 4]), null, w, null, false)).toThrow(/^recurrentLayer: gi must be \[seq, batch, gates·hidden\] \(or \[batch, gates·hidden\], one step\), h0 \[batch, hidden\] and c0 \[batch, hidden\] for lstm, got gi \[2, 3, 16\], h0 \[3, 4\] and c0 null/);
    expect(() => recurrentLayer('lstm', torch.randn([2, 3, 12]), torch.randn([3, 4]), torch.randn([3, 4]), w, null, false)).toThrow(/^recurrentLayer: gi must be float32 \[2, 3, 16\] .*, got float32 \[2, 3, 12\]/);
    expect(() => recurrentLayer('lstm', torch.randn([2, 3, 16]), torch.randn([3, 4]), torch.randn([2, 4]), w, null, false)).toThrow(/^recurrentLayer: c0 must be float32 \[3, 4\] .*, got float32 \[2, 4\]/);
    expect(() => recurrentLayer('gru', torch.randn([2, 3, 12]), torch.randn([3, 4]), null, torch.randn([12, 4]), torch.randn([12], { dtype: 'float64' }), false)).toThrow(/^recurrentLayer: biasHH must be float32 \[12\] .*, got float64 \[12\]/);
    expect(() => recurrentLayer('rnnTanh', torch.randn([2, 3, 4]), torch.randn([3, 4]), null, torch.randn([4, 5]), null, true)).toThrow(/^recurrentLayer: weightHH must be float32 \[4, 4\]/);
  });
});
