/**
 * recurrentLayer: one layer and direction of an RNN, LSTM or GRU over a whole
 * sequence as ONE tape node, its time loop one kernel call each way
 * (lstmSequence, gruSequence, rnnSequence and their backward: per step the
 * recurrent projection gh = h·W_hhᵀ + b_hh through stepGemm's code, W_hhᵀ laid
 * out once per sequence, and the step's gates, written straight into the
 * output). The backward keeps every step's dgh ([seq, batch, gates·hidden],
 * which is also gi's gradient for the LSTM and the RNN) and gets dW_hh and
 * db_hh from it with one GEMM and one sum over all steps. No tensor or node is
 * made per step.
 */
import type { Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { fmtShape } from '../shape';
import { checkBlasSizes } from '../storage/limits';
import { empty, emptyForKernel, k, record, releaseWithNode } from './util';
import { release } from '../storage/allocate';

/** The recurrence: a plain RNN with its nonlinearity, an LSTM or a GRU. */
export type RecurrentMode = 'rnnTanh' | 'rnnRelu' | 'lstm' | 'gru';

/** Gates stacked in each weight's rows, per mode (LSTM i, f, g, o; GRU r, z, n). */
export const GATE_COUNT: Readonly<Record<RecurrentMode, number>> = { rnnTanh: 1, rnnRelu: 1, lstm: 4, gru: 3 };

/** Values each step saves for the backward, per hidden unit (see the gate kernels). */
const SAVED_COUNT: Readonly<Record<RecurrentMode, number>> = { rnnTanh: 0, rnnRelu: 0, lstm: 5, gru: 4 };

/** Sizes and parameters of one run. */
interface Run {
  readonly mode: RecurrentMode;
  readonly steps: number;
  readonly batch: number;
  readonly hidden: number;
  /** gates·hidden: the width of gi, gh and W_hh's rows. */
  readonly gates: number;
  readonly reverse: boolean;
  readonly weight: Float;
  readonly bias: Float | null;
}

/** Checks gi [seq, batch, gates·hidden], h0 and c0 [batch, hidden], W_hh [gates·hidden, hidden], b_hh [gates·hidden]: one float dtype. */
function checkArgs(mode: RecurrentMode, gi: Tensor, h0: Tensor, c0: Tensor | null, weightHH: Tensor, biasHH: Tensor | null): void {
  const op = 'recurrentLayer';
  if ((gi.ndim !== 2 && gi.ndim !== 3) || h0.ndim !== 2 || (mode === 'lstm') !== (c0 !== null)) {
    throw new RangeError(`${op}: gi must be [seq, batch, gates·hidden] (or [batch, gates·hidden], one step), h0 [batch, hidden] and c0 ${mode === 'lstm' ? '[batch, hidden]' : 'null'} for ${mode}, got gi ${fmtShape(gi.shape)}, h0 ${fmtShape(h0.shape)} and c0 ${c0 === null ? 'null' : fmtShape(c0.shape)}`);
  }
  const [batch, hidden] = h0.shape;
  const gates = GATE_COUNT[mode] * hidden;
  const want: [string, Tensor | null, readonly number[]][] = [
    ['gi', gi, [...gi.shape.slice(0, -2), batch, gates]], ['c0', c0, h0.shape], ['weightHH', weightHH, [gates, hidden]], ['biasHH', biasHH, [gates]],
  ];
  for (const [name, t, shape] of want) {
    if (t === null) continue;
    if (t.dtype !== h0.dtype || (t.dtype !== 'float32' && t.dtype !== 'float64') || t.ndim !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new RangeError(`${op}: ${name} must be ${h0.dtype} ${fmtShape(shape)} (h0's dtype; ${GATE_COUNT[mode]} gate(s) of ${hidden}), got ${t.dtype} ${fmtShape(t.shape)}`);
    }
  }
  checkBlasSizes(op, { m: gi.numel() / Math.max(gates, 1), n: gates, k: hidden });
}

/** The time index of the i-th step run. */
const timeOf = (r: Run, i: number): number => (r.reverse ? r.steps - 1 - i : i);

/** Rows [t·rows, (t + 1)·rows) of a [seq, rows] buffer. */
const at = (buf: Float, t: number, rows: number): Float => buf.subarray(t * rows, (t + 1) * rows);

/**
 * Runs the recurrence forward: y [seq, batch, hidden] (in time order) gets
 * every step's h; cells [seq, batch, hidden] every step's c (LSTM);
 * saved [seq, batch, SAVED_COUNT·hidden] what the gates' backward reads.
 */
function forward(r: Run, gi: Float, h0: Float, c0: Float | null, y: Float, cells: Float | null, saved: Float): void {
  const { steps, batch, hidden, reverse, weight, bias } = r;
  if (r.mode === 'lstm') k().lstmSequence(gi, h0, c0 as Float, weight, bias, steps, batch, hidden, reverse, y, cells as Float, saved);
  else if (r.mode === 'gru') k().gruSequence(gi, h0, weight, bias, steps, batch, hidden, reverse, y, saved);
  else k().rnnSequence(gi, h0, weight, bias, steps, batch, hidden, reverse, r.mode === 'rnnRelu', y);
}

/**
 * Back through time from dy [seq, batch, hidden] (every output h) and dcN
 * (the LSTM's last c): every step's dgi and dgh into their [seq, batch,
 * gates·hidden] buffers (the same one for the LSTM and the RNN), and the
 * gradient of h0 (and c0) into dh0 (dc0).
 */
function backward(
  r: Run, y: Float, h0: Float, c0: Float | null, cells: Float | null, saved: Float, dy: Float, dcN: Float | null,
  dgi: Float, dgh: Float, dh0: Float, dc0: Float | null,
): void {
  const { steps, batch, hidden, reverse, weight } = r;
  if (r.mode === 'lstm') {
    k().lstmSequenceBackward(saved, cells as Float, c0 as Float, weight, dy, dcN as Float, steps, batch, hidden, reverse, dgh, dh0, dc0 as Float);
  } else if (r.mode === 'gru') {
    k().gruSequenceBackward(saved, y, h0, weight, dy, steps, batch, hidden, reverse, dgi, dgh, dh0);
  } else {
    k().rnnSequenceBackward(y, weight, dy, steps, batch, hidden, reverse, r.mode === 'rnnRelu', dgh, dh0);
  }
}

/**
 * dW_hh = Σ_t dgh_tᵀ·h_{t−1} as two GEMMs: the steps whose previous h is an
 * output (y shifted by one step) and the first step run (from h0).
 */
function weightGrad(r: Run, dgh: Float, y: Float, h0: Float, dw: Float): void {
  const { steps, batch, hidden, gates } = r;
  const rows = (steps - 1) * batch;
  const first = timeOf(r, 0);
  // Forward: steps 1.. read y[0..]; reverse: steps ..T−2 read y[1..].
  const dghRest = r.reverse ? dgh.subarray(0, rows * gates) : dgh.subarray(batch * gates);
  const yPrev = r.reverse ? y.subarray(batch * hidden) : y.subarray(0, rows * hidden);
  if (rows > 0) k().gemm(true, false, gates, hidden, rows, 1, dghRest, yPrev, 0, dw);
  k().gemm(true, false, gates, hidden, batch, 1, at(dgh, first, batch * gates), h0, rows > 0 ? 1 : 0, dw);
}

/**
 * One layer and direction over a sequence: gi = x·W_ihᵀ + b_ih for every step
 * [seq, batch, gates·hidden] and the initial state h0 [batch, hidden] (and c0
 * for the LSTM, null otherwise) → every step's h in time order
 * [seq, batch, hidden]; for the LSTM [seq + 1, batch, hidden], the last row the
 * final c. gi [batch, gates·hidden] is one step (what the cells run): the
 * result is then h' [batch, hidden], or for the LSTM [2, batch, hidden] (h', c').
 * `reverse` runs from the last step to the first. PyTorch's formulas and
 * order of operations per step.
 */
export function recurrentLayer(
  mode: RecurrentMode, gi: Tensor, h0: Tensor, c0: Tensor | null, weightHH: Tensor, biasHH: Tensor | null, reverse: boolean,
): Tensor {
  checkArgs(mode, gi, h0, c0, weightHH, biasHH);
  const steps = gi.ndim === 3 ? gi.shape[0] : 1;
  const [batch, hidden] = h0.shape;
  const r: Run = {
    mode, steps, batch, hidden, gates: GATE_COUNT[mode] * hidden, reverse,
    weight: weightHH.data as Float, bias: biasHH === null ? null : (biasHH.data as Float),
  };
  const bh = batch * hidden;
  const lstm = mode === 'lstm';
  const h0d = h0.data as Float;
  const c0d = c0 === null ? null : (c0.data as Float);
  const rows = lstm ? steps + 1 : steps;
  // With at least one step the kernels write every element of every buffer
  // below (outputs, saved values, gradients): no zeroing of reused memory.
  const alloc = (shape: readonly number[]): Tensor => (steps > 0 && bh > 0 ? emptyForKernel : empty)(shape, gi.dtype, 'recurrentLayer');
  const out = alloc(gi.ndim === 3 || lstm ? [rows, batch, hidden] : [batch, hidden]);
  const o = out.data as Float;
  const y = o.subarray(0, steps * bh);
  const cells = lstm ? (alloc([steps, batch, hidden]).data as Float) : null;
  const saved = SAVED_COUNT[mode] === 0 ? (gi.data as Float).subarray(0, 0) : (alloc([steps, batch, SAVED_COUNT[mode] * hidden]).data as Float);
  if (steps > 0 && bh > 0) forward(r, gi.data as Float, h0d, c0d, y, cells, saved);
  if (lstm && steps > 0) k().copy(at(cells as Float, timeOf(r, steps - 1), bh), o.subarray(steps * bh));
  const inputs = [gi, h0, ...(c0 === null ? [] : [c0]), weightHH, ...(biasHH === null ? [] : [biasHH])];
  const result = record(out, 'RecurrentLayerBackward', inputs, (g) => {
    const dgi = alloc(gi.shape);
    const dh0 = alloc(h0.shape);
    const dc0 = c0 === null ? null : alloc(c0.shape);
    const dw = weightHH.requiresGrad ? alloc(weightHH.shape) : null;
    const db = biasHH !== null && biasHH.requiresGrad ? alloc(biasHH.shape) : null;
    if (steps > 0 && bh > 0) {
      const d = g.data as Float;
      const dgiData = dgi.data as Float;
      const dgh = mode === 'gru' ? (alloc(gi.shape).data as Float) : dgiData;
      backward(r, y, h0d, c0d, cells, saved, d.subarray(0, steps * bh), lstm ? d.subarray(steps * bh) : null,
        dgiData, dgh, dh0.data as Float, dc0 === null ? null : (dc0.data as Float));
      if (dw !== null) weightGrad(r, dgh, y, h0d, dw.data as Float);
      if (db !== null) k().sum(dgh, 1, steps * batch, r.gates, db.data as Float);
      if (dgh !== dgiData) release(dgh);
    }
    const grads = [gi.requiresGrad ? dgi : null, h0.requiresGrad ? dh0 : null];
    if (c0 !== null) grads.push(c0.requiresGrad ? dc0 : null);
    grads.push(dw);
    if (biasHH !== null) grads.push(db);
    return grads;
  }, [h0, ...(c0 === null ? [] : [c0]), weightHH, out]);
  releaseWithNode(result, cells === null ? [saved] : [saved, cells]); // only the backward reads them
  return result;
}
