/**
 * One-pass optimizer updates for the js backend (see native/optim_step.h): the
 * op-by-op order of lib/optim/{sgd,adam}-update.ts, with every intermediate and
 * every scalar rounded to the buffers' type as those ops store them, so the
 * numbers are the same.
 */
import type { Float } from '../kernels';
import { checkBool, checkEqualLen, checkFloat, checkNoOverlap, checkNumber, checkSame, checkSize, MAX_OFFSET } from './validate';
import { rounder } from './fused-args';

/** Checks that every buffer of an update is pairwise disjoint from the others. */
function checkAllDisjoint(fn: string, bufs: [string, Float][]): void {
  for (let i = 0; i < bufs.length; i++) {
    for (let j = i + 1; j < bufs.length; j++) checkNoOverlap(fn, bufs[i][0], bufs[i][1], bufs[j][0], bufs[j][1]);
  }
}

/** One SGD update in place (see Kernels.sgdStep). */
export function sgdStep(param: Float, grad: Float, buf: Float | null, lr: number, momentum: number, dampening: number,
  weightDecay: number, nesterov: boolean, maximize: boolean, firstStep: boolean): void {
  const fn = 'sgdStep';
  const k = checkFloat(fn, 'param', param);
  checkSame(fn, 'grad', grad, k, 'param');
  checkEqualLen(fn, 'grad', grad, 'param', param);
  for (const [name, v] of [['lr', lr], ['momentum', momentum], ['dampening', dampening], ['weightDecay', weightDecay]] as const) {
    checkNumber(fn, name, v);
  }
  checkBool(fn, 'nesterov', nesterov);
  checkBool(fn, 'maximize', maximize);
  checkBool(fn, 'firstStep', firstStep);
  const bufs: [string, Float][] = [['param', param], ['grad', grad]];
  if (buf !== null) {
    checkSame(fn, 'momentumBuf', buf, k, 'param');
    checkEqualLen(fn, 'momentumBuf', buf, 'param', param);
    bufs.push(['momentumBuf', buf]);
  } else if (momentum !== 0) {
    throw new TypeError(`${fn}: momentumBuf must be a Float32Array or Float64Array when momentum != 0, got null`);
  }
  checkAllDisjoint(fn, bufs);
  const r = rounder(param);
  const wd = r(weightDecay);
  const mom = r(momentum);
  const keep = r(1 - dampening);
  const negLr = r(-lr);
  const decay = weightDecay !== 0;
  const useMomentum = momentum !== 0;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (decay) g = r(g + r(param[i] * wd));
    if (useMomentum && buf !== null) {
      const b = firstStep ? g : r(r(buf[i] * mom) + r(g * keep));
      buf[i] = b;
      g = nesterov ? r(g + r(b * mom)) : b;
    }
    param[i] = param[i] + r(g * negLr);
  }
}

/** One Adam / AdamW update in place (see Kernels.adamStep). */
export function adamStep(param: Float, grad: Float, m: Float, v: Float, vmax: Float | null, step: number,
  lr: number, beta1: number, beta2: number, eps: number, weightDecay: number,
  decoupled: boolean, amsgrad: boolean, maximize: boolean): void {
  const fn = 'adamStep';
  const k = checkFloat(fn, 'param', param);
  const bufs: [string, Float][] = [['param', param], ['grad', grad], ['expAvg', m], ['expAvgSq', v]];
  if (vmax !== null) bufs.push(['maxExpAvgSq', vmax]);
  for (const [name, b] of bufs.slice(1)) {
    checkSame(fn, name, b, k, 'param');
    checkEqualLen(fn, name, b, 'param', param);
  }
  checkSize(fn, 'step', step, MAX_OFFSET);
  for (const [name, x] of [['lr', lr], ['beta1', beta1], ['beta2', beta2], ['eps', eps], ['weightDecay', weightDecay]] as const) {
    checkNumber(fn, name, x);
  }
  checkBool(fn, 'decoupled', decoupled);
  checkBool(fn, 'amsgrad', amsgrad);
  checkBool(fn, 'maximize', maximize);
  if (step < 1) throw new RangeError(`${fn}: step must be at least 1 (the count after this update), got ${step}`);
  if (amsgrad && vmax === null) {
    throw new TypeError(`${fn}: maxExpAvgSq must be a Float32Array or Float64Array when amsgrad is true, got null`);
  }
  checkAllDisjoint(fn, bufs);
  const r = rounder(param);
  const decayMul = r(1 - lr * weightDecay);
  const wd = r(weightDecay);
  const b1 = r(beta1);
  const omb1 = r(1 - beta1);
  const b2 = r(beta2);
  const omb2 = r(1 - beta2);
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  const negStep = r(-(lr / bc1));
  const sqrtBc2 = r(Math.sqrt(bc2));
  const epsT = r(eps);
  const l2 = !decoupled && weightDecay !== 0;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    let p = param[i];
    if (decoupled) p = r(p * decayMul);
    if (l2) g = r(g + r(p * wd));
    const mi = r(r(m[i] * b1) + r(g * omb1));
    const vi = r(r(v[i] * b2) + r(r(g * omb2) * g));
    m[i] = mi;
    v[i] = vi;
    let vv = vi;
    if (amsgrad && vmax !== null) {
      const a = vmax[i];
      vv = a > vi || a !== a ? a : vi;
      vmax[i] = vv;
    }
    const denom = r(r(r(Math.sqrt(vv)) / sqrtBc2) + epsT);
    param[i] = p + r(r(mi * negStep) / denom);
  }
}
