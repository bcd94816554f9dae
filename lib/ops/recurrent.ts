/**
 * One recurrent step as one tape node: the recurrent projection
 * gh = h·W_hhᵀ + b_hh (linearForward), then the step's gates in one kernel
 * (lstmGates, gruGates; the plain RNN adds and applies its nonlinearity with
 * the elementwise kernels). The backward runs the gates' backward kernel, then
 * dh += dgh·W_hh, dW_hh = dghᵀ·h and db_hh = Σ_rows dgh.
 *
 * The LSTM's state is h and c packed as one tensor [2, batch, hidden] (h
 * first): a node has one output, and packing lets one node produce both.
 */
import type { Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { ACT_NONE } from '../backend/kernels';
import { fmtShape } from '../shape';
import { checkBlasSizes } from '../storage/limits';
import { empty, k, record } from './util';

/** What the three steps share: sizes and the recurrent parameters. */
interface StepArgs {
  readonly batch: number;
  readonly hidden: number;
  /** Rows of W_hh: gates·hidden. */
  readonly gates: number;
  readonly weightHH: Tensor;
  readonly biasHH: Tensor | null;
}

/** Checks gi [batch, gates·hidden], the state, W_hh [gates·hidden, hidden] and b_hh [gates·hidden], all of one float dtype. */
function stepArgs(op: string, gateCount: number, gi: Tensor, state: Tensor, stateShape: readonly number[], weightHH: Tensor, biasHH: Tensor | null): StepArgs {
  const [batch, hidden] = stateShape.slice(-2);
  const gates = gateCount * hidden;
  const want: [string, Tensor | null, readonly number[]][] = [
    ['gi', gi, [batch, gates]], ['state', state, stateShape], ['weightHH', weightHH, [gates, hidden]], ['biasHH', biasHH, [gates]],
  ];
  for (const [name, t, shape] of want) {
    if (t === null) continue;
    if (t.dtype !== gi.dtype || (t.dtype !== 'float32' && t.dtype !== 'float64') || t.ndim !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new RangeError(`${op}: ${name} must be ${gi.dtype} ${fmtShape(shape)} (gi, state, weightHH and biasHH of one float dtype, ${gateCount} gates of ${hidden}), got ${t.dtype} ${fmtShape(t.shape)}`);
    }
  }
  checkBlasSizes(op, { m: batch, n: gates, k: hidden });
  return { batch, hidden, gates, weightHH, biasHH };
}

/** gh = h·W_hhᵀ + b_hh [batch, gates·hidden]. */
function recurrentProjection(a: StepArgs, h: Float, dtype: Tensor['dtype']): Float {
  const gh = empty([a.batch, a.gates], dtype).data as Float;
  const b = a.biasHH === null ? null : (a.biasHH.data as Float);
  k().linearForward(h, a.weightHH.data as Float, b, a.batch, a.hidden, a.gates, ACT_NONE, 0, gh);
  return gh;
}

/**
 * The parameters' gradients from dgh, the gradient of gh: dW_hh = dghᵀ·h and
 * db_hh = Σ_rows dgh (null where not wanted); and dh += dgh·W_hh into `dh`
 * (`accumulate` false: dh = dgh·W_hh).
 */
function projectionBackward(a: StepArgs, dgh: Float, h: Float, dh: Float | null, accumulate: boolean): [Tensor | null, Tensor | null] {
  const { batch, hidden, gates, weightHH, biasHH } = a;
  if (dh !== null) k().gemm(false, false, batch, hidden, gates, 1, dgh, weightHH.data as Float, accumulate ? 1 : 0, dh);
  let dw: Tensor | null = null;
  if (weightHH.requiresGrad) {
    dw = empty(weightHH.shape, weightHH.dtype);
    k().gemm(true, false, gates, hidden, batch, 1, dgh, h, 0, dw.data as Float);
  }
  let db: Tensor | null = null;
  if (biasHH !== null && biasHH.requiresGrad) {
    db = empty(biasHH.shape, biasHH.dtype);
    k().sum(dgh, 1, batch, gates, db.data as Float);
  }
  return [dw, db];
}

/** The node's inputs: gi, the state, W_hh and b_hh when there is one. */
function inputsOf(gi: Tensor, state: Tensor, a: StepArgs): Tensor[] {
  return a.biasHH === null ? [gi, state, a.weightHH] : [gi, state, a.weightHH, a.biasHH];
}

/**
 * One LSTM step: gi = x·W_ihᵀ + b_ih [batch, 4·hidden] and the state
 * [2, batch, hidden] (h, c) → the next state (h', c'), PyTorch's gates i, f, g, o.
 */
export function lstmStep(gi: Tensor, state: Tensor, weightHH: Tensor, biasHH: Tensor | null): Tensor {
  if (state.ndim !== 3 || state.shape[0] !== 2) throw new RangeError(`lstmStep: state must be [2, batch, hidden] (h and c), got ${fmtShape(state.shape)}`);
  const a = stepArgs('lstmStep', 4, gi, state, state.shape, weightHH, biasHH);
  const n = a.batch * a.hidden;
  const s = state.data as Float;
  const h = s.subarray(0, n);
  const c = s.subarray(n);
  const out = empty(state.shape, state.dtype, 'lstmStep');
  const o = out.data as Float;
  const saved = empty([a.batch, 5 * a.hidden], state.dtype).data as Float;
  k().lstmGates(gi.data as Float, recurrentProjection(a, h, state.dtype), c, a.batch, a.hidden, o.subarray(0, n), o.subarray(n), saved);
  return record(out, 'LstmStepBackward', inputsOf(gi, state, a), (g) => {
    const dg = g.data as Float;
    const dgates = empty(gi.shape, gi.dtype);
    const dstate = state.requiresGrad ? empty(state.shape, state.dtype) : null;
    const ds = dstate === null ? null : (dstate.data as Float);
    k().lstmGatesBackward(saved, c, dg.subarray(0, n), dg.subarray(n), a.batch, a.hidden, dgates.data as Float, ds === null ? null : ds.subarray(n));
    const [dw, db] = projectionBackward(a, dgates.data as Float, h, ds === null ? null : ds.subarray(0, n), false);
    return [gi.requiresGrad ? dgates : null, dstate, dw, db];
  }, [state, weightHH]);
}

/**
 * One GRU step: gi = x·W_ihᵀ + b_ih [batch, 3·hidden] and h [batch, hidden] →
 * h', PyTorch's gates r, z, n with b_hn inside the reset gate's product.
 */
export function gruStep(gi: Tensor, h: Tensor, weightHH: Tensor, biasHH: Tensor | null): Tensor {
  if (h.ndim !== 2) throw new RangeError(`gruStep: h must be [batch, hidden], got ${fmtShape(h.shape)}`);
  const a = stepArgs('gruStep', 3, gi, h, h.shape, weightHH, biasHH);
  const hd = h.data as Float;
  const out = empty(h.shape, h.dtype, 'gruStep');
  const saved = empty([a.batch, 4 * a.hidden], h.dtype).data as Float;
  k().gruGates(gi.data as Float, recurrentProjection(a, hd, h.dtype), hd, a.batch, a.hidden, out.data as Float, saved);
  return record(out, 'GruStepBackward', inputsOf(gi, h, a), (g) => {
    const dgi = empty(gi.shape, gi.dtype);
    const dgh = empty(gi.shape, gi.dtype).data as Float;
    const dh = empty(h.shape, h.dtype);
    k().gruGatesBackward(saved, hd, g.data as Float, a.batch, a.hidden, dgi.data as Float, dgh, dh.data as Float);
    const [dw, db] = projectionBackward(a, dgh, hd, h.requiresGrad ? (dh.data as Float) : null, true);
    return [gi.requiresGrad ? dgi : null, h.requiresGrad ? dh : null, dw, db];
  }, [h, weightHH]);
}

/**
 * One Elman RNN step: gi = x·W_ihᵀ + b_ih [batch, hidden] and h [batch,
 * hidden] → h' = tanh(gi + gh) (or relu).
 */
export function rnnStep(nonlinearity: 'tanh' | 'relu', gi: Tensor, h: Tensor, weightHH: Tensor, biasHH: Tensor | null): Tensor {
  if (h.ndim !== 2) throw new RangeError(`rnnStep: h must be [batch, hidden], got ${fmtShape(h.shape)}`);
  const a = stepArgs('rnnStep', 1, gi, h, h.shape, weightHH, biasHH);
  const hd = h.data as Float;
  const out = empty(h.shape, h.dtype, 'rnnStep');
  const y = out.data as Float;
  const flat = Int32Array.of(y.length);
  const unit = Int32Array.of(1);
  k().add(gi.data as Float, unit, recurrentProjection(a, hd, h.dtype), unit, y, flat);
  if (nonlinearity === 'tanh') k().tanh(y, y);
  else k().relu(y, y);
  return record(out, 'RnnStepBackward', inputsOf(gi, h, a), (g) => {
    const dpre = empty(gi.shape, gi.dtype);
    const d = dpre.data as Float;
    // relu's gradient reads the sign of its input, which its output shares.
    if (nonlinearity === 'tanh') k().tanhBackward(y, g.data as Float, d);
    else k().reluBackward(y, g.data as Float, d);
    const dh = h.requiresGrad ? empty(h.shape, h.dtype) : null;
    const [dw, db] = projectionBackward(a, d, hd, dh === null ? null : (dh.data as Float), false);
    return [gi.requiresGrad ? dpre : null, dh, dw, db];
  }, [h, weightHH, out]);
}
