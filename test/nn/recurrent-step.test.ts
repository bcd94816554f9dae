/**
 * The fused recurrent steps (lib/ops/recurrent.ts): gradcheck in float64 on
 * both backends, and the same values as the step composed from linear,
 * narrow and the elementwise ops, forward and backward, in float32 and
 * float64. PyTorch's reference values reach them through the layers
 * (rnn.test.ts, rnn-cell.test.ts, lstm-porting.test.ts).
 */
import { it, expect } from 'vitest';
import * as torch from '../../lib';
import { lstmStep, gruStep, rnnStep } from '../../lib/ops/recurrent';
import { describeBackends, describeGradcheck, expectClose, leaf, type GradCase } from '../helpers';

type T = torch.Tensor;
const B = 3;
const H = 4;

/** The LSTM step from the packed state, composed of small ops (PyTorch's formulas). */
function lstmComposed(gi: T, state: T, w: T, b: T | null): T {
  const [h, c] = [state.select(0, 0), state.select(0, 1)];
  const gates = gi.add(torch.nn.functional.linear(h, w, b));
  const gate = (i: number): T => gates.narrow(1, i * H, H);
  const c2 = gate(1).sigmoid().mul(c).add(gate(0).sigmoid().mul(gate(2).tanh()));
  return torch.stack([gate(3).sigmoid().mul(c2.tanh()), c2]);
}

function gruComposed(gi: T, h: T, w: T, b: T | null): T {
  const gh = torch.nn.functional.linear(h, w, b);
  const gate = (t: T, i: number): T => t.narrow(1, i * H, H);
  const r = gate(gi, 0).add(gate(gh, 0)).sigmoid();
  const z = gate(gi, 1).add(gate(gh, 1)).sigmoid();
  const n = gate(gi, 2).add(r.mul(gate(gh, 2))).tanh();
  return n.add(z.mul(h.sub(n)));
}

function rnnComposed(act: 'tanh' | 'relu', gi: T, h: T, w: T, b: T | null): T {
  const pre = gi.add(torch.nn.functional.linear(h, w, b));
  return act === 'tanh' ? pre.tanh() : pre.relu();
}

type Step = (gi: T, state: T, w: T, b: T | null) => T;
const STEPS: [string, number, number[], Step, Step][] = [
  ['lstmStep', 4, [2, B, H], lstmStep, lstmComposed],
  ['gruStep', 3, [B, H], gruStep, gruComposed],
  ['rnnStep tanh', 1, [B, H], (...a) => rnnStep('tanh', ...a), (...a) => rnnComposed('tanh', ...a)],
  ['rnnStep relu', 1, [B, H], (...a) => rnnStep('relu', ...a), (...a) => rnnComposed('relu', ...a)],
];

const gradcheckCases: GradCase[] = STEPS.flatMap(([name, gates, stateShape, step]): GradCase[] => [
  [`${name}: gi, state, W_hh, b_hh`, () => [(gi, s, w, b) => step(gi, s, w, b), [leaf([B, gates * H]), leaf(stateShape), leaf([gates * H, H], -0.5, 0.5), leaf([gates * H])]]],
  [`${name}: without bias`, () => [(gi, s, w) => step(gi, s, w, null), [leaf([B, gates * H]), leaf(stateShape), leaf([gates * H, H], -0.5, 0.5)]]],
]);
describeGradcheck('gradcheck of the fused recurrent steps (float64)', gradcheckCases, 21);

describeBackends('the fused recurrent steps equal the composed ops', () => {
  for (const [name, gates, stateShape, step, composed] of STEPS) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${name}, ${dtype}: output and every gradient`, () => {
        torch.manualSeed(4);
        const make = (shape: number[]): T => torch.randn(shape, { dtype }).mul(1.5).requiresGrad_();
        const inputs = [make([B, gates * H]), make(stateShape), make([gates * H, H]), make([gates * H])];
        const up = torch.randn(stateShape, { dtype });
        const run = (f: Step): number[][] => {
          for (const t of inputs) t.grad = null;
          const y = f(inputs[0], inputs[1], inputs[2], inputs[3]);
          y.mul(up).sum().backward();
          return [Array.from(y.data), ...inputs.map((t) => Array.from((t.grad as T).data))];
        };
        const [fused, reference] = [run(step), run(composed)];
        const [rtol, atol] = dtype === 'float64' ? [1e-14, 1e-14] : [1e-5, 1e-6];
        fused.forEach((v, i) => expectClose(v, reference[i], rtol, atol));
      });
    }
  }

  it('name the op, the argument and the expected shape on bad input', () => {
    const w = torch.randn([16, 4]);
    expect(() => lstmStep(torch.randn([3, 16]), torch.randn([3, 4]), w, null)).toThrow(/^lstmStep: state must be \[2, batch, hidden\] \(h and c\), got \[3, 4\]/);
    expect(() => lstmStep(torch.randn([3, 12]), torch.randn([2, 3, 4]), w, null)).toThrow(/^lstmStep: gi must be float32 \[3, 16\] .*, got float32 \[3, 12\]/);
    expect(() => gruStep(torch.randn([3, 12]), torch.randn([3, 4]), torch.randn([12, 4]), torch.randn([12], { dtype: 'float64' }))).toThrow(/^gruStep: biasHH must be float32 \[12\] .*, got float64 \[12\]/);
    expect(() => rnnStep('tanh', torch.randn([3, 4]), torch.randn([3, 4]), torch.randn([4, 5]), null)).toThrow(/^rnnStep: weightHH must be float32 \[4, 4\]/);
  });
});
