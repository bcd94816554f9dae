/**
 * Batch normalization over the channel dim of (N, C, ...) inputs, forward and
 * backward: batch statistics in training (running statistics updated in
 * place with the unbiased variance), running statistics in eval — PyTorch's
 * F.batch_norm.
 */
import type { Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { isFloat } from '../dtype';
import { fmtShape } from '../shape';
import { readable } from '../options';
import { checkTensor, empty, k, record } from './util';

/** The numbers of a batch-norm call besides the tensors. */
export interface BatchNormArgs {
  weight: Tensor | null;
  bias: Tensor | null;
  training: boolean;
  momentum: number;
  eps: number;
}

/** Checks a per-channel tensor (running stats, weight, bias): 1-D of C elements, the input's dtype. */
function checkChannel(t: Tensor | null, name: string, input: Tensor): Float | null {
  const op = 'batchNorm';
  if (t === null) return null;
  checkTensor(t, op, name);
  const c = input.shape[1];
  if (t.ndim !== 1 || t.shape[0] !== c) {
    throw new RangeError(`${op}: ${name} should contain ${c} elements (one per channel of the input of shape ${fmtShape(input.shape)}), got shape ${fmtShape(t.shape)}`);
  }
  if (t.dtype !== input.dtype) throw new TypeError(`${op}: ${name} has dtype ${t.dtype} but the input has ${input.dtype}; convert one with .to()`);
  return t.data as Float;
}

/**
 * y = (x − mean)/√(var + eps)·weight + bias per channel of `input` (N, C, ...).
 * Training normalises with the batch's mean and biased variance and, for the
 * running statistics given, sets r ← (1 − momentum)·r + momentum·stat with
 * the unbiased variance (in place; their versions are bumped). Eval uses the
 * running statistics, which must then be given.
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, a: BatchNormArgs): Tensor {
  const op = 'batchNorm';
  checkTensor(input, op);
  if (input.ndim < 2) throw new RangeError(`${op}: expected an input of shape (N, C, ...) with at least 2 dims, got shape ${fmtShape(input.shape)}`);
  if (!isFloat(input.dtype)) throw new TypeError(`${op}: expected a float32 or float64 input, got ${input.dtype}`);
  const rm = checkChannel(runningMean, 'runningMean', input);
  const rv = checkChannel(runningVar, 'runningVar', input);
  const w = checkChannel(a.weight, 'weight', input);
  const b = checkChannel(a.bias, 'bias', input);
  if (!a.training && (rm === null || rv === null)) {
    throw new TypeError(`${op}: ${rm === null ? 'runningMean' : 'runningVar'} must be given in evaluation mode (training: false)`);
  }
  const [n, c] = input.shape;
  const inner = input.numel() / Math.max(1, n * c);
  if (a.training && n * inner === 1) {
    throw new RangeError(`${op}: Expected more than 1 value per channel when training, got input size ${fmtShape(input.shape)}`);
  }
  for (const [name, v] of [['momentum', a.momentum], ['eps', a.eps]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${op}: ${name} must be a finite number, got ${readable(v)}`);
  }
  // As PyTorch: an empty batch gives an empty output and leaves the running statistics alone.
  if (input.numel() === 0) return input.clone();
  const y = empty(input.shape, input.dtype, op);
  const saveMean = empty([c], input.dtype, op);
  const saveInvstd = empty([c], input.dtype, op);
  k().batchNormForward(input.data as Float, n, c, inner, w, b, rm, rv, a.training, a.momentum, a.eps,
    y.data as Float, saveMean.data as Float, saveInvstd.data as Float);
  if (a.training) {
    for (const t of [runningMean, runningVar]) if (t !== null) t._storage.version++;
  }
  const inputs = [input, ...(a.weight === null ? [] : [a.weight]), ...(a.bias === null ? [] : [a.bias])];
  const grad = (t: Tensor | null): Tensor | null => (t !== null && t.requiresGrad ? empty(t.shape, t.dtype) : null);
  const dataOf = (t: Tensor | null): Float | null => (t === null ? null : (t.data as Float));
  return record(y, 'NativeBatchNormBackward', inputs, (g) => {
    const [dx, dw, db] = [grad(input), grad(a.weight), grad(a.bias)];
    k().batchNormBackward(input.data as Float, g.data as Float, n, c, inner, w, saveMean.data as Float, saveInvstd.data as Float,
      a.training, dataOf(dx), dataOf(dw), dataOf(db));
    return [dx, ...(a.weight === null ? [] : [dw]), ...(a.bias === null ? [] : [db])];
  }, a.weight === null ? [input] : [input, a.weight]);
}
