/**
 * One recurrent step from the input's projection: the math RNNCell, LSTMCell
 * and GRUCell run per call and RNN, LSTM and GRU run per time step (whose
 * input projections come from one matmul over the whole sequence). Each step
 * is one tape node (lib/ops/recurrent.ts: the recurrent projection and the
 * fused gate kernels). The state a step carries is h, or for the LSTM h and c
 * packed as [2, batch, hidden].
 */
import type { Tensor } from '../tensor';
import { lstmStep, gruStep, rnnStep } from '../ops/recurrent';
import { select } from '../ops/slice';
import { stack } from '../ops/join';

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

/** The state a step of `mode` carries, from h [batch, hidden] (and c for the LSTM). */
export function packState(mode: RecurrentMode, h: Tensor, c: Tensor | null): Tensor {
  return mode === 'lstm' ? stack([h, c as Tensor], 0) : h;
}

/** h [batch, hidden] of a state (any leading dims before the LSTM's pair dim are kept). */
export function hiddenOf(mode: RecurrentMode, state: Tensor): Tensor {
  return mode === 'lstm' ? select(state, -3, 0) : state;
}

/** c [batch, hidden] of an LSTM state. */
export function cellOf(state: Tensor): Tensor {
  return select(state, -3, 1);
}

/**
 * One step: `gi` = x·W_ihᵀ + b_ih [batch, gates·hidden] and the state →
 * the next state, PyTorch's formulas and order of operations.
 */
export function recurrentStep(mode: RecurrentMode, gi: Tensor, state: Tensor, w: RecurrentWeights): Tensor {
  if (mode === 'lstm') return lstmStep(gi, state, w.weightHH, w.biasHH);
  if (mode === 'gru') return gruStep(gi, state, w.weightHH, w.biasHH);
  return rnnStep(mode === 'rnnTanh' ? 'tanh' : 'relu', gi, state, w.weightHH, w.biasHH);
}
