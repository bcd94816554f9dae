/** var, std and logsumexp, composed from differentiable ops (their gradients follow). */
import { defineMethods, type Tensor } from '../tensor';
import { isFloat } from '../dtype';
import { defineOptions, readable, rejectUnknownOptions } from '../options';
import { keywordHint } from '../shape';
import { add, div, mul, sub } from './arith';
import { abs, exp, log, sqrt } from './unary';
import { finalShape, max, mean, reduceDims, sum } from './reduce';
import { eq } from './compare';
import { where } from './where';
import { checkTensor, record } from './util';

/** What var and std take by keyword. */
export interface VarOptions {
  /** Subtracted from the element count in the divisor (1: Bessel's correction, the default; 0: the population variance). */
  correction?: number;
  /** Keep the reduced dims with size 1. Default false. */
  keepdim?: boolean;
}

/** The dims of var/std: a dim, an array of dims, or undefined/null for all. */
export type VarDim = number | readonly number[] | null | undefined;

const VAR_OPTIONS = defineOptions<VarOptions>('var', { correction: true, keepdim: true });
const STD_OPTIONS = defineOptions<VarOptions>('std', { correction: true, keepdim: true });

function varianceOf(op: 'var' | 'std', input: Tensor, dim: VarDim | VarOptions, options: VarOptions | undefined): Tensor {
  checkTensor(input, op);
  // x.var({ correction: 0 }): the options in the dim's place, as PyTorch's keywords allow.
  if (options === undefined && dim !== null && typeof dim === 'object' && !Array.isArray(dim)) [dim, options] = [undefined, dim as VarOptions];
  rejectUnknownOptions(options, op === 'var' ? VAR_OPTIONS : STD_OPTIONS);
  const { correction = 1, keepdim = false } = options ?? {};
  if (typeof correction !== 'number' || !Number.isFinite(correction)) throw new TypeError(`${op}: correction must be a finite number, got ${readable(correction)}`);
  if (typeof keepdim !== 'boolean') throw new TypeError(`${op}: keepdim must be a boolean, got ${readable(keepdim)}`);
  if (!isFloat(input.dtype)) throw new TypeError(`${op}: expected a float tensor, got dtype ${input.dtype}; convert it first with .float()`);
  const dims = reduceDims(op, input, dim as VarDim);
  let count = 1;
  input.shape.forEach((d, i) => { if (dims === null || dims.includes(i)) count *= d; });
  const centred = sub(input, mean(input, dims, true));
  // PyTorch divides by max(0, N − correction): a non-positive divisor gives inf or NaN.
  return div(sum(mul(centred, centred), dims, keepdim), Math.max(0, count - correction));
}

/**
 * Variance over `dim` (a dim, an array of dims, or all when omitted), divided
 * by N − correction (`correction` 1 by default, as PyTorch). Float tensors
 * only. `x.var({ correction: 0 })` passes options without a dim. PyTorch's
 * `torch.var`.
 *
 * @param input a float tensor
 * @param dim a dim, an array of dims, or omitted/null for all; or the options in its place
 * @param options `correction` (default 1) and `keepdim` (default false)
 * @returns the variance, input's shape without the reduced dims (kept as size 1 with keepdim)
 */
export function variance(input: Tensor, dim?: VarDim | VarOptions, options?: VarOptions): Tensor {
  return varianceOf('var', input, dim, options);
}

/**
 * Standard deviation: the square root of `var` with the same arguments.
 * PyTorch's `torch.std`.
 *
 * @param input a float tensor
 * @param dim a dim, an array of dims, or omitted/null for all; or the options in its place
 * @param options `correction` (default 1) and `keepdim` (default false)
 * @returns the standard deviation, shaped as `var`'s result
 */
export function std(input: Tensor, dim?: VarDim | VarOptions, options?: VarOptions): Tensor {
  return sqrt(varianceOf('std', input, dim, options));
}

/**
 * log Σ exp(input) over `dim` (a dim or an array of dims), computed stably
 * (the max subtracted first). int32 input computes in float32. PyTorch's
 * `torch.logsumexp`.
 *
 * @param input the tensor to reduce
 * @param dim a dim or an array of dims (required), negative from the end
 * @param keepdim keep the reduced dims with size 1 (default false)
 * @returns a float tensor, input's shape without the reduced dims
 */
export function logsumexp(input: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  checkTensor(input, 'logsumexp');
  if (dim === undefined || dim === null) throw new TypeError(`logsumexp: dim is required (a number or an array of numbers), got ${readable(dim)}${keywordHint(dim)}`);
  if (typeof keepdim !== 'boolean') throw new TypeError(`logsumexp: keepdim must be a boolean, got ${readable(keepdim)}`);
  const x = isFloat(input.dtype) ? input : input.to('float32');
  const dims = reduceDims('logsumexp', x, dim);
  const kept = finalShape(x.shape, dims, true);
  const c = x.detach();
  // The max is subtracted for stability; an infinite max counts as 0, as in PyTorch.
  let m: Tensor | number = 0;
  if (c.numel() > 0) {
    let top = c;
    for (const d of dims ?? c.shape.map((_, i) => i)) top = max(top, d, true)[0];
    m = where(eq(abs(top), Infinity), 0, top);
  }
  const lse = add(log(sum(exp(sub(c, m)), dims, true)), m);
  // PyTorch's gradient formula: g · exp(x − logsumexp(x)).
  return record(lse.reshape(finalShape(x.shape, dims, keepdim)), 'LogsumexpBackward', [x],
    (g) => [mul(g.reshape(kept), exp(sub(x.detach(), lse)))], [x]);
}

declare module '../tensor' {
  interface Tensor {
    /**
     * Variance over `dim` (all dims when omitted) with `{ correction, keepdim }`.
     *
     * @param dim a dim, an array of dims, or omitted/null for all; or the options in its place
     * @param options `correction` (default 1) and `keepdim` (default false)
     */
    var(dim?: VarDim | VarOptions, options?: VarOptions): Tensor;
    /**
     * Standard deviation over `dim` (all dims when omitted) with `{ correction, keepdim }`.
     *
     * @param dim a dim, an array of dims, or omitted/null for all; or the options in its place
     * @param options `correction` (default 1) and `keepdim` (default false)
     */
    std(dim?: VarDim | VarOptions, options?: VarOptions): Tensor;
    /**
     * log Σ exp over `dim`, computed stably.
     *
     * @param dim a dim or an array of dims (required), negative from the end
     * @param keepdim keep the reduced dims with size 1 (default false)
     */
    logsumexp(dim: number | readonly number[], keepdim?: boolean): Tensor;
  }
}

defineMethods({
  var(dim, options) { return variance(this, dim, options); },
  std(dim, options) { return std(this, dim, options); },
  logsumexp(dim, keepdim) { return logsumexp(this, dim, keepdim); },
});
