/**
 * lstmSequence / gruSequence / rnnSequence and their backward at sizes where the native
 * kernels split the batch across threads: the same bits as the step kernels
 * run one by one (stepGemm, lstmGates / gruGates / add + tanh or relu and
 * their backward), both
 * directions, float32 and float64, on 1 and 2 threads; and within tolerance
 * of the js backend. The table's random calls (small sizes, one thread) cover
 * the rest.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Float, Kernels } from '../../lib/backend/kernels';
import { jsKernels } from '../../lib/backend/js';
import { loadNativeKernels } from '../../lib/backend/native';
import { getNumThreads, setNumThreads } from '../../lib';

const native = loadNativeKernels();
type Dt = 'float32' | 'float64';
// batch·gates·hidden·hidden multiply-adds per step: 141k for the RNN (1 gate) and more for the others, all split
// (from 131k, gemm.h); 13 rows: uneven parts.
const S = 5;
const B = 13;
const H = 104;
const G = 4 * H;
const G3 = 3 * H;

let seed = 11;
function arr(dt: Dt, n: number, lo = -1, hi = 1): Float {
  const a = dt === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    a[i] = lo + ((hi - lo) * seed) / 2147483648;
  }
  return a;
}
const zeros = (dt: Dt, n: number): Float => (dt === 'float32' ? new Float32Array(n) : new Float64Array(n));
const rows = (buf: Float, t: number, n: number): Float => buf.subarray(t * n, (t + 1) * n);

interface Inputs {
  gi: Float; h0: Float; c0: Float; w: Float; bias: Float; dy: Float; dcN: Float; gi3: Float; w3: Float; bias3: Float; gi1: Float; w1: Float; bias1: Float;
}
interface LstmOutputs { y: Float; cells: Float; saved: Float; dgates: Float; dh0: Float; dc0: Float }

function inputs(dt: Dt): Inputs {
  return {
    gi: arr(dt, S * B * G), h0: arr(dt, B * H), c0: arr(dt, B * H), w: arr(dt, G * H, -0.3, 0.3), bias: arr(dt, G), dy: arr(dt, S * B * H),
    dcN: arr(dt, B * H), gi3: arr(dt, S * B * G3), w3: arr(dt, G3 * H, -0.3, 0.3), bias3: arr(dt, G3),
    gi1: arr(dt, S * B * H), w1: arr(dt, H * H, -0.3, 0.3), bias1: arr(dt, H),
  };
}
function lstmOutputs(dt: Dt): LstmOutputs {
  return { y: zeros(dt, S * B * H), cells: zeros(dt, S * B * H), saved: zeros(dt, S * B * 5 * H), dgates: zeros(dt, S * B * G), dh0: zeros(dt, B * H), dc0: zeros(dt, B * H) };
}

function lstmSequence(k: Kernels, x: Inputs, reverse: boolean, dt: Dt): LstmOutputs {
  const o = lstmOutputs(dt);
  k.lstmSequence(x.gi, x.h0, x.c0, x.w, x.bias, S, B, H, reverse, o.y, o.cells, o.saved);
  k.lstmSequenceBackward(o.saved, o.cells, x.c0, x.w, x.dy, x.dcN, S, B, H, reverse, o.dgates, o.dh0, o.dc0);
  return o;
}

/** The same through the step kernels, one call per step. */
function lstmStepwise(k: Kernels, x: Inputs, reverse: boolean, dt: Dt): LstmOutputs {
  const o = lstmOutputs(dt);
  const bh = B * H;
  const time = (i: number): number => (reverse ? S - 1 - i : i);
  const wT = zeros(dt, H * G);
  k.transpose2d(x.w, G, H, wT);
  const gh = zeros(dt, B * G);
  let h = x.h0;
  let c = x.c0;
  for (let i = 0; i < S; i++) {
    const t = time(i);
    k.stepGemm(h, wT, x.bias, B, H, G, 0, gh);
    k.lstmGates(rows(x.gi, t, B * G), gh, c, B, H, rows(o.y, t, bh), rows(o.cells, t, bh), rows(o.saved, t, 5 * bh));
    h = rows(o.y, t, bh);
    c = rows(o.cells, t, bh);
  }
  const dhNext = zeros(dt, bh);
  const dh = zeros(dt, bh);
  let dc = x.dcN;
  for (let i = S - 1; i >= 0; i--) {
    const t = time(i);
    let dht = rows(x.dy, t, bh);
    if (i < S - 1) {
      k.stepGemm(rows(o.dgates, time(i + 1), B * G), x.w, null, B, G, H, 0, dhNext);
      for (let e = 0; e < bh; e++) dh[e] = dht[e] + dhNext[e];
      dht = dh;
    }
    const cPrev = i === 0 ? x.c0 : rows(o.cells, time(i - 1), bh);
    const dcOut = i === 0 ? o.dc0 : zeros(dt, bh);
    k.lstmGatesBackward(rows(o.saved, t, 5 * bh), cPrev, dht, dc, B, H, rows(o.dgates, t, B * G), dcOut);
    dc = dcOut;
  }
  k.stepGemm(rows(o.dgates, time(0), B * G), x.w, null, B, G, H, 0, o.dh0);
  return o;
}

interface GruOutputs { y: Float; saved: Float; dgi: Float; dgh: Float; dh0: Float }

function gruOutputs(dt: Dt): GruOutputs {
  return { y: zeros(dt, S * B * H), saved: zeros(dt, S * B * 4 * H), dgi: zeros(dt, S * B * G3), dgh: zeros(dt, S * B * G3), dh0: zeros(dt, B * H) };
}

function gruSequence(k: Kernels, x: Inputs, reverse: boolean, dt: Dt): GruOutputs {
  const o = gruOutputs(dt);
  k.gruSequence(x.gi3, x.h0, x.w3, x.bias3, S, B, H, reverse, o.y, o.saved);
  k.gruSequenceBackward(o.saved, o.y, x.h0, x.w3, x.dy, S, B, H, reverse, o.dgi, o.dgh, o.dh0);
  return o;
}

/** The same through the GRU's step kernels. */
function gruStepwise(k: Kernels, x: Inputs, reverse: boolean, dt: Dt): GruOutputs {
  const o = gruOutputs(dt);
  const bh = B * H;
  const time = (i: number): number => (reverse ? S - 1 - i : i);
  const wT = zeros(dt, H * G3);
  k.transpose2d(x.w3, G3, H, wT);
  const gh = zeros(dt, B * G3);
  let h = x.h0;
  for (let i = 0; i < S; i++) {
    const t = time(i);
    k.stepGemm(h, wT, x.bias3, B, H, G3, 0, gh);
    k.gruGates(rows(x.gi3, t, B * G3), gh, h, B, H, rows(o.y, t, bh), rows(o.saved, t, 4 * bh));
    h = rows(o.y, t, bh);
  }
  const flow = zeros(dt, bh);
  const dh = zeros(dt, bh);
  for (let i = S - 1; i >= 0; i--) {
    const t = time(i);
    let dht = rows(x.dy, t, bh);
    if (i < S - 1) {
      for (let e = 0; e < bh; e++) dh[e] = dht[e] + flow[e];
      dht = dh;
    }
    const into = i === 0 ? o.dh0 : flow;
    const hPrev = i === 0 ? x.h0 : rows(o.y, time(i - 1), bh);
    k.gruGatesBackward(rows(o.saved, t, 4 * bh), hPrev, dht, B, H, rows(o.dgi, t, B * G3), rows(o.dgh, t, B * G3), into);
    k.stepGemm(rows(o.dgh, t, B * G3), x.w3, null, B, G3, H, 1, into);
  }
  return o;
}

interface RnnOutputs { y: Float; dgates: Float; dh0: Float }

const rnnOutputs = (dt: Dt): RnnOutputs => ({ y: zeros(dt, S * B * H), dgates: zeros(dt, S * B * H), dh0: zeros(dt, B * H) });

function rnnSequence(relu: boolean): (k: Kernels, x: Inputs, reverse: boolean, dt: Dt) => RnnOutputs {
  return (k, x, reverse, dt) => {
    const o = rnnOutputs(dt);
    k.rnnSequence(x.gi1, x.h0, x.w1, x.bias1, S, B, H, reverse, relu, o.y);
    k.rnnSequenceBackward(o.y, x.w1, x.dy, S, B, H, reverse, relu, o.dgates, o.dh0);
    return o;
  };
}

/** The same through stepGemm and the elementwise kernels. */
function rnnStepwise(relu: boolean): (k: Kernels, x: Inputs, reverse: boolean, dt: Dt) => RnnOutputs {
  return (k, x, reverse, dt) => {
    const o = rnnOutputs(dt);
    const bh = B * H;
    const time = (i: number): number => (reverse ? S - 1 - i : i);
    const wT = zeros(dt, H * H);
    k.transpose2d(x.w1, H, H, wT);
    const gh = zeros(dt, bh);
    const flat = Int32Array.of(bh);
    const unit = Int32Array.of(1);
    let h = x.h0;
    for (let i = 0; i < S; i++) {
      const y = rows(o.y, time(i), bh);
      k.stepGemm(h, wT, x.bias1, B, H, H, 0, gh);
      k.add(rows(x.gi1, time(i), bh), unit, gh, unit, y, flat);
      if (relu) k.relu(y, y);
      else k.tanh(y, y);
      h = y;
    }
    const flow = zeros(dt, bh);
    const dh = zeros(dt, bh);
    for (let i = S - 1; i >= 0; i--) {
      let dht = rows(x.dy, time(i), bh);
      if (i < S - 1) {
        k.add(dht, unit, flow, unit, dh, flat);
        dht = dh;
      }
      const dg = rows(o.dgates, time(i), bh);
      if (relu) k.reluBackward(rows(o.y, time(i), bh), dht, dg);
      else k.tanhBackward(rows(o.y, time(i), bh), dht, dg);
      k.stepGemm(dg, x.w1, null, B, H, H, 0, i === 0 ? o.dh0 : flow);
    }
    return o;
  };
}

const threads = getNumThreads();
afterAll(() => setNumThreads(threads));

describe('the sequence kernels and their backward, split across threads', () => {
  const cells = {
    lstm: [lstmSequence, lstmStepwise],
    gru: [gruSequence, gruStepwise],
    'rnn tanh': [rnnSequence(false), rnnStepwise(false)],
    'rnn relu': [rnnSequence(true), rnnStepwise(true)],
  } as const;
  for (const [cell, [fused, composed]] of Object.entries(cells)) {
    for (const dt of ['float32', 'float64'] as const) {
      for (const reverse of [false, true]) {
        const what = `${cell}, ${dt}${reverse ? ', reverse' : ''}`;
        for (const n of [1, 2]) {
          it(`${what}, ${n} thread(s): the step kernels' bits`, () => {
            setNumThreads(n);
            const x = inputs(dt);
            const seq: Record<string, Float> = { ...fused(native, x, reverse, dt) };
            const steps: Record<string, Float> = { ...composed(native, x, reverse, dt) };
            for (const key of Object.keys(seq)) expect(Array.from(seq[key]), key).toEqual(Array.from(steps[key]));
          });
        }
        it(`${what}: native within tolerance of js`, () => {
          setNumThreads(2);
          const x = inputs(dt);
          const a: Record<string, Float> = { ...fused(native, x, reverse, dt) };
          const b: Record<string, Float> = { ...fused(jsKernels, x, reverse, dt) };
          const rtol = dt === 'float32' ? 2e-4 : 1e-9;
          for (const key of Object.keys(a)) {
            const bad = Array.from(a[key]).findIndex((v, i) => !(Math.abs(v - b[key][i]) <= rtol * Math.max(1, Math.abs(b[key][i]))));
            expect(bad, `${key}[${bad}]: ${a[key][bad]} vs ${b[key][bad]}`).toBe(-1);
          }
        });
      }
    }
  }
});
