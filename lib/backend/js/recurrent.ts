/**
 * The gates of one LSTM or GRU step and their backward rules, row by row (see
 * the lstmGates/gruGates table entries), a step's GEMM (stepGemm), and a
 * recurrent layer's time loop composed of them (lstmSequence, gruSequence,
 * rnnSequence and their backward).
 * σ and tanh are the unary kernels' formulas, so a fused step equals the
 * composed ops.
 */
import type { Float } from '../kernels';
import { accRow } from './gemm';
import { transpose2d } from './memory';
import { relu as reluK, reluBackward, tanh as tanhK, tanhBackward } from './unary';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** (i, f, g, o) = (σ, σ, tanh, σ)(gi + gh); cOut = f·c + i·g; h = o·tanh(cOut); saved = i, f, g, o, tanh(cOut). */
export function lstmGates(gi: Float, gh: Float, c: Float, batch: number, hidden: number, h: Float, cOut: Float, saved: Float): void {
  const H = hidden;
  for (let b = 0; b < batch; b++) {
    const g4 = b * 4 * H;
    const s = b * 5 * H;
    const r = b * H;
    // Each pre-activation goes through the buffer, so float32 rounds where the composed ops do.
    for (let j = 0; j < 4 * H; j++) saved[s + j] = gi[g4 + j] + gh[g4 + j];
    for (let j = 0; j < 4 * H; j++) saved[s + j] = j >= 2 * H && j < 3 * H ? Math.tanh(saved[s + j]) : sigmoid(saved[s + j]);
    for (let j = 0; j < H; j++) {
      cOut[r + j] = saved[s + H + j] * c[r + j] + saved[s + j] * saved[s + 2 * H + j];
      saved[s + 4 * H + j] = Math.tanh(cOut[r + j]);
      h[r + j] = saved[s + 3 * H + j] * saved[s + 4 * H + j];
    }
  }
}

/** dgates and dcPrev from the saved i, f, g, o, tanh(c'), the previous c and dh, dc. */
export function lstmGatesBackward(
  saved: Float, c: Float, dh: Float, dc: Float, batch: number, hidden: number, dgates: Float, dcPrev: Float | null,
): void {
  const H = hidden;
  for (let b = 0; b < batch; b++) {
    const s = b * 5 * H;
    const g4 = b * 4 * H;
    const r = b * H;
    for (let j = 0; j < H; j++) {
      const i = saved[s + j];
      const f = saved[s + H + j];
      const g = saved[s + 2 * H + j];
      const o = saved[s + 3 * H + j];
      const tc = saved[s + 4 * H + j];
      const d = dh[r + j];
      const dc2 = dc[r + j] + d * o * (1 - tc * tc);
      dgates[g4 + j] = dc2 * g * i * (1 - i);
      dgates[g4 + H + j] = dc2 * c[r + j] * f * (1 - f);
      dgates[g4 + 2 * H + j] = dc2 * i * (1 - g * g);
      dgates[g4 + 3 * H + j] = d * tc * o * (1 - o);
      if (dcPrev !== null) dcPrev[r + j] = dc2 * f;
    }
  }
}

/** r, z = σ(gi + gh); n = tanh(gi_n + r·gh_n); hOut = n + z·(h − n); saved = r, z, n, gh_n. */
export function gruGates(gi: Float, gh: Float, h: Float, batch: number, hidden: number, hOut: Float, saved: Float): void {
  const H = hidden;
  for (let b = 0; b < batch; b++) {
    const g3 = b * 3 * H;
    const s = b * 4 * H;
    const row = b * H;
    // Each pre-activation goes through the buffer, so float32 rounds where the composed ops do.
    for (let j = 0; j < 2 * H; j++) saved[s + j] = gi[g3 + j] + gh[g3 + j];
    for (let j = 0; j < 2 * H; j++) saved[s + j] = sigmoid(saved[s + j]);
    for (let j = 0; j < H; j++) {
      saved[s + 3 * H + j] = gh[g3 + 2 * H + j];
      saved[s + 2 * H + j] = gi[g3 + 2 * H + j] + saved[s + j] * gh[g3 + 2 * H + j];
      saved[s + 2 * H + j] = Math.tanh(saved[s + 2 * H + j]);
      const n = saved[s + 2 * H + j];
      hOut[row + j] = n + saved[s + H + j] * (h[row + j] - n);
    }
  }
}

/** dgi, dgh and the direct part of dh's flow to h from the saved r, z, n, gh_n. */
export function gruGatesBackward(
  saved: Float, h: Float, dh: Float, batch: number, hidden: number, dgi: Float, dgh: Float, dhPrev: Float,
): void {
  const H = hidden;
  for (let b = 0; b < batch; b++) {
    const s = b * 4 * H;
    const g3 = b * 3 * H;
    const row = b * H;
    for (let j = 0; j < H; j++) {
      const r = saved[s + j];
      const z = saved[s + H + j];
      const n = saved[s + 2 * H + j];
      const ghn = saved[s + 3 * H + j];
      const d = dh[row + j];
      const dn = d * (1 - z) * (1 - n * n);
      const dr = dn * ghn * r * (1 - r);
      const dz = d * (h[row + j] - n) * z * (1 - z);
      dgi[g3 + j] = dr;
      dgi[g3 + H + j] = dz;
      dgi[g3 + 2 * H + j] = dn;
      dgh[g3 + j] = dr;
      dgh[g3 + H + j] = dz;
      dgh[g3 + 2 * H + j] = dn * r;
      dhPrev[row + j] = d * z;
    }
  }
}

/** c = a·b + bias + beta·c, a [m, k], b [k, n], row-major (c not read when beta is 0). */
export function stepGemm(a: Float, b: Float, bias: Float | null, m: number, k: number, n: number, beta: number, c: Float): void {
  const acc = accRow(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0, 0, n);
    for (let p = 0; p < k; p++) {
      const v = a[i * k + p];
      const row = p * n;
      for (let j = 0; j < n; j++) acc[j] += v * b[row + j];
    }
    for (let j = 0; j < n; j++) {
      let s = bias === null ? acc[j] : acc[j] + bias[j];
      if (beta !== 0) s += beta * c[i * n + j];
      c[i * n + j] = s;
    }
  }
}

/** A zeroed buffer of n elements of x's type (scratch that rounds as the kernels' buffers do). */
const scratchLike = (x: Float, n: number): Float => (x instanceof Float32Array ? new Float32Array(n) : new Float64Array(n));

/** Rows [t·rows, (t + 1)·rows) of a [steps, rows] buffer. */
const stepOf = (buf: Float, t: number, rows: number): Float => buf.subarray(t * rows, (t + 1) * rows);

/** The step run i-th of `steps` (from the last to the first when `reverse`). */
const timeOf = (steps: number, reverse: boolean, i: number): number => (reverse ? steps - 1 - i : i);

/** A layer's forward time loop: per step gh = h·W_hhᵀ + b_hh, then gates(t, gh, h) writes step t's h into y. */
function runForward(
  h0: Float, weight: Float, bias: Float | null, steps: number, batch: number, H: number, gates: number, reverse: boolean,
  y: Float, step: (t: number, gh: Float, h: Float) => void,
): void {
  const G = gates * H;
  const weightT = scratchLike(h0, H * G);
  transpose2d(weight, G, H, weightT);
  const gh = scratchLike(h0, batch * G);
  let h = h0;
  for (let i = 0; i < steps; i++) {
    const t = timeOf(steps, reverse, i);
    stepGemm(h, weightT, bias, batch, H, G, 0, gh);
    step(t, gh, h);
    h = stepOf(y, t, batch * H);
  }
}

/**
 * A layer's backward time loop, last step run first: dh = dy_t + the gradient
 * flowing back from the step after (the last step's h gets dy_t alone), then
 * step(i, t, dh, into), which writes the flow to the step before into `into`
 * (dh0 for the first step). Without steps dh0 is zero.
 */
function runBackward(
  dy: Float, steps: number, bh: number, reverse: boolean, dh0: Float, step: (i: number, t: number, dh: Float, into: Float) => void,
): void {
  if (bh === 0) return;
  if (steps === 0) dh0.fill(0, 0, bh);
  const flow = scratchLike(dy, bh);
  const dh = scratchLike(dy, bh);
  for (let i = steps - 1; i >= 0; i--) {
    const t = timeOf(steps, reverse, i);
    const dyt = stepOf(dy, t, bh);
    if (i < steps - 1) for (let e = 0; e < bh; e++) dh[e] = dyt[e] + flow[e];
    step(i, t, i < steps - 1 ? dh : dyt, i === 0 ? dh0 : flow);
  }
}

/** One LSTM layer's time loop: stepGemm(h, W_hhᵀ, b_hh) then lstmGates per step (see the table entry). */
export function lstmSequence(
  gi: Float, h0: Float, c0: Float, weight: Float, bias: Float | null, steps: number, batch: number, hidden: number,
  reverse: boolean, y: Float, cells: Float, saved: Float,
): void {
  const bh = batch * hidden;
  if (steps === 0 || bh === 0) return;
  let c = c0;
  runForward(h0, weight, bias, steps, batch, hidden, 4, reverse, y, (t, gh) => {
    const cOut = stepOf(cells, t, bh);
    lstmGates(stepOf(gi, t, 4 * bh), gh, c, batch, hidden, stepOf(y, t, bh), cOut, stepOf(saved, t, 5 * bh));
    c = cOut;
  });
}

/** Back through lstmSequence: per step dh = dy_t + dgates_{t+1}·W_hh and lstmGatesBackward (see the table entry). */
export function lstmSequenceBackward(
  saved: Float, cells: Float, c0: Float, weight: Float, dy: Float, dcN: Float, steps: number, batch: number,
  hidden: number, reverse: boolean, dgates: Float, dh0: Float, dc0: Float,
): void {
  const bh = batch * hidden;
  if (steps === 0) for (let e = 0; e < bh; e++) dc0[e] = dcN[e]; // the initial state is the final one
  const dcBuffers = [scratchLike(dy, bh), scratchLike(dy, bh)];
  let dc = dcN;
  runBackward(dy, steps, bh, reverse, dh0, (i, t, dh, into) => {
    const cPrev = i === 0 ? c0 : stepOf(cells, timeOf(steps, reverse, i - 1), bh);
    const dcOut = i === 0 ? dc0 : dcBuffers[i % 2];
    const dg = stepOf(dgates, t, 4 * bh);
    lstmGatesBackward(stepOf(saved, t, 5 * bh), cPrev, dh, dc, batch, hidden, dg, dcOut);
    dc = dcOut;
    stepGemm(dg, weight, null, batch, 4 * hidden, hidden, 0, into);
  });
}

/** One GRU layer's time loop: stepGemm(h, W_hhᵀ, b_hh) then gruGates per step (see the table entry). */
export function gruSequence(
  gi: Float, h0: Float, weight: Float, bias: Float | null, steps: number, batch: number, hidden: number, reverse: boolean,
  y: Float, saved: Float,
): void {
  const bh = batch * hidden;
  if (steps === 0 || bh === 0) return;
  runForward(h0, weight, bias, steps, batch, hidden, 3, reverse, y, (t, gh, h) => {
    gruGates(stepOf(gi, t, 3 * bh), gh, h, batch, hidden, stepOf(y, t, bh), stepOf(saved, t, 4 * bh));
  });
}

/** Back through gruSequence: per step dh = dy_t + the flow from the step after, gruGatesBackward, flow = dh·z + dgh·W_hh. */
export function gruSequenceBackward(
  saved: Float, y: Float, h0: Float, weight: Float, dy: Float, steps: number, batch: number, hidden: number,
  reverse: boolean, dgi: Float, dgh: Float, dh0: Float,
): void {
  const bh = batch * hidden;
  runBackward(dy, steps, bh, reverse, dh0, (i, t, dh, into) => {
    const hPrev = i === 0 ? h0 : stepOf(y, timeOf(steps, reverse, i - 1), bh);
    const dght = stepOf(dgh, t, 3 * bh);
    gruGatesBackward(stepOf(saved, t, 4 * bh), hPrev, dh, batch, hidden, stepOf(dgi, t, 3 * bh), dght, into);
    stepGemm(dght, weight, null, batch, 3 * hidden, hidden, 1, into);
  });
}

/** A plain RNN layer's time loop: per step h = tanh (or relu) of gi_t + h·W_hhᵀ + b_hh (see the table entry). */
export function rnnSequence(
  gi: Float, h0: Float, weight: Float, bias: Float | null, steps: number, batch: number, hidden: number, reverse: boolean,
  relu: boolean, y: Float,
): void {
  const bh = batch * hidden;
  if (steps === 0 || bh === 0) return;
  runForward(h0, weight, bias, steps, batch, hidden, 1, reverse, y, (t, gh) => {
    const h = stepOf(y, t, bh);
    const git = stepOf(gi, t, bh);
    for (let e = 0; e < bh; e++) h[e] = git[e] + gh[e];
    (relu ? reluK : tanhK)(h, h);
  });
}

/** Back through rnnSequence: per step dh = dy_t + dgates_{t+1}·W_hh, then the nonlinearity's backward from y (see the table entry). */
export function rnnSequenceBackward(
  y: Float, weight: Float, dy: Float, steps: number, batch: number, hidden: number, reverse: boolean, relu: boolean,
  dgates: Float, dh0: Float,
): void {
  const bh = batch * hidden;
  runBackward(dy, steps, bh, reverse, dh0, (i, t, dh, into) => {
    const dg = stepOf(dgates, t, bh);
    (relu ? reluBackward : tanhBackward)(stepOf(y, t, bh), dh, dg);
    stepGemm(dg, weight, null, batch, hidden, hidden, 0, into);
  });
}
