/**
 * One layer and direction of a recurrence over a sequence, from its input
 * projection: what RNN, LSTM and GRU run per layer and direction (the
 * projection of all time steps is one matmul). The whole sequence is one tape
 * node (lib/ops/recurrent.ts: the recurrent projection and the fused gate
 * kernels per step).
 */
import type { Tensor } from '../tensor';
import { recurrentLayer, type RecurrentMode } from '../ops/recurrent';
import { narrow } from '../ops/shape';
import { select } from '../ops/slice';
import { releaseWithNode } from '../ops/util';

/** The recurrent weights of one layer and direction. */
export interface RecurrentWeights {
  /** [gates·hidden, hidden]. */
  readonly weightHH: Tensor;
  /** [gates·hidden], or null without bias. */
  readonly biasHH: Tensor | null;
}

/**
 * Runs `mode` over gi = x·W_ihᵀ + b_ih [seq, batch, gates·hidden] from h0 (and
 * c0 for the LSTM) [batch, hidden], from the last step to the first when
 * `reverse` → [output [seq, batch, hidden] in time order, hN, cN or null, the
 * layer's own result]; output, hN and cN are read from the last, so every use
 * of them goes through its node.
 */
export function runRecurrence(
  mode: RecurrentMode, gi: Tensor, h0: Tensor, c0: Tensor | null, w: RecurrentWeights, reverse: boolean,
): [Tensor, Tensor, Tensor | null, Tensor] {
  const lstm = mode === 'lstm';
  const steps = gi.shape[0];
  const y = recurrentLayer(mode, gi, h0, c0, w.weightHH, w.biasHH, reverse);
  const hN = select(y, 0, reverse ? 0 : steps - 1);
  if (!lstm) return [y, hN, null, y];
  const out: [Tensor, Tensor, Tensor | null, Tensor] = [narrow(y, 0, 0, steps), hN, select(y, 0, steps), y];
  // The LSTM's outputs are copies of y's rows: only the layer's backward reads y now.
  releaseWithNode(y, [y.data]);
  return out;
}
