/**
 * torch.nn.utils.clip_grad_norm_ and clip_grad_value_: rescale or clamp the
 * gradients of parameters in place between backward() and optimizer.step().
 */
import { Tensor } from '../../tensor';
import type { Float } from '../../backend/kernels';
import { isFloat } from '../../dtype';
import { describe } from '../../shape';
import { noGrad } from '../../autograd/grad-mode';
import { k } from '../../ops/util';
import { tensor } from '../../ops/creation';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of clipGradNorm_ (PyTorch's keyword arguments in camelCase). */
export interface ClipGradNormOptions {
  /** The p of the p-norm: a positive number, or Infinity for the max norm (default 2). */
  normType?: number;
  /** Throw when the total norm is NaN or ±Infinity instead of scaling by it (default false, as PyTorch 1.13). */
  errorIfNonfinite?: boolean;
  /** PyTorch 2's switch between per-tensor and multi-tensor kernels; accepted and ignored (one pass per gradient either way). */
  foreach?: boolean | null;
}

const CLIP_GRAD_NORM = defineOptions<ClipGradNormOptions>('clipGradNorm_', { normType: true, errorIfNonfinite: true, foreach: true });

/** The gradients of `parameters` (a tensor or an iterable of them) that are set. */
function gradsOf(parameters: Iterable<Tensor> | Tensor, where: string): Tensor[] {
  const list: unknown[] = parameters instanceof Tensor ? [parameters]
    : parameters !== null && typeof parameters === 'object' && Symbol.iterator in parameters ? [...parameters] : [parameters];
  const grads: Tensor[] = [];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${where}: parameters must be a Tensor or an iterable of Tensors, but element ${i} is ${describe(p)}`);
    const g = p._grad; // not .grad: that would mark the buffer as held by the user (autograd/reuse.ts)
    if (g === null) return;
    if (!isFloat(g.dtype)) throw new TypeError(`${where}: gradients must be float32 or float64, got ${g.dtype}`);
    grads.push(g);
  });
  return grads;
}

/** Rounds to float32 for float32 gradients (PyTorch computes the coefficient in the gradients' dtype). */
const rounding = (g: Tensor): ((v: number) => number) => (g.dtype === 'float32' ? Math.fround : (v) => v);

/**
 * Scales the gradients of `parameters` in place so that their total norm (of
 * all gradients as one vector) is at most `maxNorm`, and returns that total
 * norm (before clipping) as a 0-dim tensor, as PyTorch's clip_grad_norm_: the
 * coefficient is min(1, maxNorm / (total + 1e-6)) and every gradient is
 * multiplied by it. Parameters without a gradient are skipped; with none, the
 * result is tensor(0). One pass over each gradient computes its part of the
 * norm (the powerSum kernel), one more scales it. PyTorch's
 * `torch.nn.utils.clip_grad_norm_`.
 *
 * @param parameters the tensors whose `.grad` is scaled (an iterable, or one tensor)
 * @param maxNorm the largest total norm allowed
 * @param options `normType` (the p of the p-norm, default 2; Infinity for the max norm), `errorIfNonfinite` (default false) and `foreach` (accepted, ignored)
 * @returns the total norm before clipping, a 0-dim tensor of the gradients' dtype
 *
 * @example
 * ```ts
 * loss.backward();
 * const norm = nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 * ```
 */
export function clipGradNorm_(parameters: Iterable<Tensor> | Tensor, maxNorm: number, options: ClipGradNormOptions = {}): Tensor {
  const W = 'clipGradNorm_';
  rejectUnknownOptions(options, CLIP_GRAD_NORM);
  const { normType = 2, errorIfNonfinite = false, foreach = null } = options;
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm)) throw new TypeError(`${W}: maxNorm must be a number, got ${describe(maxNorm)}`);
  if (typeof normType !== 'number' || !(normType > 0)) {
    throw new RangeError(`${W}: normType must be a positive number or Infinity, got ${describe(normType)}`);
  }
  if (typeof errorIfNonfinite !== 'boolean') throw new TypeError(`${W}: errorIfNonfinite must be a boolean, got ${describe(errorIfNonfinite)}`);
  if (foreach !== null && typeof foreach !== 'boolean') throw new TypeError(`${W}: foreach must be a boolean or null, got ${describe(foreach)}`);
  const grads = gradsOf(parameters, W);
  if (grads.length === 0) return tensor(0);
  const r = rounding(grads[0]);
  const kernels = k();
  let acc = 0;
  for (const g of grads) {
    const part = kernels.powerSum(g.data as Float, normType);
    acc = normType === Infinity ? (part > acc || part !== part ? part : acc) : acc + part;
  }
  const total = r(normType === Infinity || normType === 1 ? acc : normType === 2 ? Math.sqrt(acc) : acc ** (1 / normType));
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new RangeError(`${W}: The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
      'To disable this error and scale the gradients by the non-finite norm anyway, set errorIfNonfinite: false');
  }
  // PyTorch: clamp(maxNorm / (total + 1e-6), max=1), where scalar / tensor is reciprocal(tensor) · scalar.
  const coef = Math.min(r(r(1 / r(total + r(1e-6))) * r(maxNorm)), 1);
  noGrad(() => { for (const g of grads) g.mul_(coef); });
  return tensor(total, { dtype: grads[0].dtype });
}

/**
 * Clamps every gradient of `parameters` in place to [−clipValue, clipValue]
 * (PyTorch's `torch.nn.utils.clip_grad_value_`). Parameters without a gradient are skipped.
 *
 * @param parameters the tensors whose `.grad` is clamped (an iterable, or one tensor)
 * @param clipValue the bound: gradients end up in [−clipValue, clipValue]
 */
export function clipGradValue_(parameters: Iterable<Tensor> | Tensor, clipValue: number): void {
  const W = 'clipGradValue_';
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue)) throw new TypeError(`${W}: clipValue must be a number, got ${describe(clipValue)}`);
  const grads = gradsOf(parameters, W);
  noGrad(() => { for (const g of grads) g.clamp_(-clipValue, clipValue); });
}
