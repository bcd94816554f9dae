/**
 * One recurrent step from the input's projection: the math RNNCell, LSTMCell
 * and GRUCell run per call and RNN, LSTM and GRU run per time step (whose
 * input projections come from one matmul over the whole sequence). Composed
 * from linear, narrow and the elementwise ops, so autograd needs nothing new;
 * this function is where a fused native step kernel plugs in.
 */
import type { Tensor } from '../tensor';
import { linear } from '../ops/matmul';
import { narrow } from '../ops/shape';
import { relu, sigmoid, tanh } from '../ops/activation';
import { add, mul, sub } from '../ops/arith';

/** The recurrence: a plain RNN with its nonlinearity, an LSTM or a GRU. */
export type RecurrentMode = 'rnnTanh' | 'rnnRelu' | 'lstm' | 'gru';

/** Gates stacked in each weight's rows, per mode (LSTM i, f, g, o; GRU r, z, n). */
export const GATE_COUNT: Readonly<Record<RecurrentMode, number>> = { rnnTanh: 1, rnnRelu: 1, lstm: 4, gru: 3 };

/** The recurrent weights of one layer and direction. */
export interface RecurrentWeights {
  /** [gates·hidden, hidden]. */
  readonly weightHH: Tensor;
  /** [gates·hidden], or null without bias. */
  readonly biasHH: Tensor | null;
}

/** Gate `i` (of width `hidden`) of a stacked [batch, gates·hidden] tensor. */
function gate(t: Tensor, i: number, hidden: number): Tensor {
  return narrow(t, 1, i * hidden, hidden);
}

/**
 * One step: `gi` = x·W_ihᵀ + b_ih [batch, gates·hidden], the state h (and c
 * for the LSTM) [batch, hidden] → [h', c' or null], PyTorch's formulas and
 * order of operations.
 */
export function recurrentStep(mode: RecurrentMode, gi: Tensor, h: Tensor, c: Tensor | null, w: RecurrentWeights): [Tensor, Tensor | null] {
  const hidden = h.shape[1];
  const gh = linear(h, w.weightHH, w.biasHH);
  if (mode === 'rnnTanh' || mode === 'rnnRelu') {
    const pre = add(gi, gh);
    return [mode === 'rnnTanh' ? tanh(pre) : relu(pre), null];
  }
  if (mode === 'lstm') {
    const gates = add(gi, gh);
    const i = sigmoid(gate(gates, 0, hidden));
    const f = sigmoid(gate(gates, 1, hidden));
    const g = tanh(gate(gates, 2, hidden));
    const o = sigmoid(gate(gates, 3, hidden));
    const c2 = add(mul(f, c as Tensor), mul(i, g));
    return [mul(o, tanh(c2)), c2];
  }
  const r = sigmoid(add(gate(gi, 0, hidden), gate(gh, 0, hidden)));
  const z = sigmoid(add(gate(gi, 1, hidden), gate(gh, 1, hidden)));
  const n = tanh(add(gate(gi, 2, hidden), mul(r, gate(gh, 2, hidden))));
  // (1 − z)·n + z·h written as n + z·(h − n), PyTorch's order of operations.
  return [add(n, mul(z, sub(h, n))), null];
}
