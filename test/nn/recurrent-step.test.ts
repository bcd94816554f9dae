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
const stateShape = (mode: RecurrentMode): number[] => (mode === 'lstm' ? [2, B, H] : [B, H]);

/** recurrentLayer's output, step by step from the composed ops: every h in time order (LSTM: then the last c). */
function composedLayer(step: Step, gi: T, state0: T, w: T, b: T | null, reverse: boolean): T {
  let state = state0.ndim === 3 ? [state0.select(0, 0), state0.select(0, 1)] : [state0];
  const hs: T[] = new Array<T>(SEQ);
  for (let i = 0; i < SEQ; i++) {
    const t = reverse ? SEQ - 1 - i : i;
    state = step(gi.select(0, t), state, w, b);
    hs[t] = state[0];
  }
  return torch.stack(state.length === 2 ? [...hs, state[1]] : hs);
}

const gradcheckCases: GradCase[] = MODES.flatMap(([mode, gates]): GradCase[] => [false, true].flatMap((reverse): GradCase[] => [
  [`${mode}${reverse ? ' reverse' : ''}: gi, state, W_hh, b_hh`, () => [(gi, s, w, b) => recurrentLayer(mode, gi, s, w, b, reverse),
    [leaf([SEQ, B, gates * H]), leaf(stateShape(mode)), leaf([gates * H, H], -0.5, 0.5), leaf([gates * H])]]],
  [`${mode}${reverse ? ' reverse' : ''}: without bias`, () => [(gi, s, w) => recurrentLayer(mode, gi, s, w, null, reverse),
    [leaf([SEQ, B, gates * H]), leaf(stateShape(mode)), leaf([gates * H, H], -0.5, 0.5)]]],
]));
describeGradcheck('gradcheck of recurrentLayer (float64)', gradcheckCases, 21);

describeBackends('recurrentLayer equals the composed steps', () => {
  for (const [mode, gates, step] of MODES) {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const reverse of [false, true]) {
        it(`${mode}${reverse ? ' reverse' : ''}, ${dtype}: output and every gradient`, () => {
          torch.manualSeed(4);
          const make = (shape: number[]): T => torch.randn(shape, { dtype }).mul(1.5).requiresGrad_();
          const inputs = [make([SEQ, B, gates * H]), make(stateShape(mode)), make([gates * H, H]), make([gates * H])];
          const up = torch.randn([mode === 'lstm' ? SEQ + 1 : SEQ, B, H], { dtype });
          const run = (f: (gi: T, s: T, w: T, b: T) => T): number[][] => {
            for (const t of inputs) t.grad = null;
            const y = f(inputs[0], inputs[1], inputs[2], inputs[3]);
            y.mul(up).sum().backward();
            return [Array.from(y.data), ...inputs.map((t) => Array.from((t.grad as T).data))];
          };
          const fused = run((gi, s, w, b) => recurrentLayer(mode, gi, s, w, b, reverse));
          const reference = run((gi, s, w, b) => composedLayer(step, gi, s, w, b, reverse));
          const [rtol, atol] = dtype === 'float64' ? [1e-13, 1e-13] : [1e-5, 1e-5];
          fused.forEach((v, i) => expectClose(v, reference[i], rtol, atol));
        });
      }
    }
  }

  it('name the op, the argument and the expected shape on bad input', () => {
    const w = torch.randn([16, 4]);
    expect(() => recurrentLayer('lstm', torch.randn([2, 3, 16]), torch.randn([3, 4]), w, null, false)).toThrow(/^recurrentLayer: gi must be \[seq, batch, gates·hidden\] \(or \[batch, gates·hidden\], one step\) and the state \[2, batch, hidden\] \(h and c\), got gi \[2, 3, 16\] and state \[3, 4\]/);
    expect(() => recurrentLayer('lstm', torch.randn([2, 3, 12]), torch.randn([2, 3, 4]), w, null, false)).toThrow(/^recurrentLayer: gi must be float32 \[2, 3, 16\] .*, got float32 \[2, 3, 12\]/);
    expect(() => recurrentLayer('gru', torch.randn([2, 3, 12]), torch.randn([3, 4]), torch.randn([12, 4]), torch.randn([12], { dtype: 'float64' }), false)).toThrow(/^recurrentLayer: biasHH must be float32 \[12\] .*, got float64 \[12\]/);
    expect(() => recurrentLayer('rnnTanh', torch.randn([2, 3, 4]), torch.randn([3, 4]), torch.randn([4, 5]), null, true)).toThrow(/^recurrentLayer: weightHH must be float32 \[4, 4\]/);
  });
});
