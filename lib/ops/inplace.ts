/**
 * In-place ops (add_, sub_, mul_, div_, clamp_, fill_, copy_). They bump the
 * storage's version so a backward that saved the old values refuses to run.
 * They record no node, so they run anomaly detection's forward check
 * themselves: inputs scanned before the write, the result after.
 * On a tensor that requires grad they are allowed only under noGrad — the
 * hand-written `W := W − lr·grad` update — as in-place autograd is not supported.
 */
import { defineMethods, type Tensor, type Operand } from '../tensor';
import type { BinaryKernel } from '../backend/kernels';
import { isGradEnabled } from '../autograd/grad-mode';
import { promoteTypes } from '../dtype';
import { broadcastStrides, collapse, fmtShape, sameShape } from '../shape';
import { broadcastOrThrow, type BinaryName } from './broadcast';
import { checkOperand, checkTensor, k, operand } from './util';
import { allFinite, anomalyState, checkOutputOnly } from '../autograd/anomaly';
import { clampBounds } from './elementwise';
import { expand } from './shape';
import { mul } from './arith';
import { readable } from '../options';

function checkWritable(self: Tensor, op: string, other?: Operand): void {
  checkTensor(self, op, 'self');
  if (!isGradEnabled()) return;
  if (self.requiresGrad) {
    throw new Error(self.isLeaf
      ? `${op}: a leaf tensor that requires grad (shape ${fmtShape(self.shape)}) is being used in an in-place operation; wrap the update in torch.noGrad(() => ...)`
      : `${op}: in-place ops on tensors that are part of the autograd graph are not supported; use the out-of-place op instead`);
  }
  if (typeof other === 'object' && other !== null && (other as Tensor).requiresGrad) {
    throw new Error(`${op}: the other operand requires grad, which in-place ops do not record; use the out-of-place op or noGrad`);
  }
}

/**
 * Runs `write` (which changes the values of self and of `alsoWritten`), bumps
 * their storage versions and, under anomaly detection, checks each result
 * when `inputs` were all finite. Every in-place write goes through here,
 * the fused optimizer steps included.
 */
export function written<T extends Tensor>(self: T, op: string, inputs: readonly (Tensor | number)[], write: () => void,
  alsoWritten: readonly Tensor[] = []): T {
  const watch = anomalyState.forward && allFinite(inputs);
  write();
  self._storage.version++;
  for (const t of alsoWritten) t._storage.version++;
  if (watch) {
    checkOutputOnly(self, op, inputs);
    for (const t of alsoWritten) checkOutputOnly(t, op, inputs);
  }
  return self;
}

function binaryInPlace(name: BinaryName, op: string, self: Tensor, other: Operand): Tensor {
  checkWritable(self, op, other);
  checkOperand(other, op, 'other');
  const otherType = typeof other === 'number' ? (Number.isInteger(other) ? 'int32' : 'float32') : other.dtype;
  if (promoteTypes(self.dtype, otherType) !== self.dtype || (name === 'div' && self.dtype === 'int32')) {
    throw new TypeError(`${op}: result type ${name === 'div' ? 'float32' : otherType} can't be cast to the desired output type ${self.dtype}`);
  }
  const b = operand(other, self.dtype, op, 'other');
  const shape = broadcastOrThrow(op, self.shape, b.shape);
  if (!sameShape(shape, self.shape)) {
    throw new RangeError(`${op}: output with shape ${fmtShape(self.shape)} doesn't match the broadcast shape ${fmtShape(shape)}`);
  }
  return written(self, op, [self, b], () => {
    if (self.numel() === 0) return;
    const [dims, sa, sb] = collapse(shape, broadcastStrides(self.shape, shape), broadcastStrides(b.shape, shape));
    (k()[name] as BinaryKernel)(self.data, sa, b.data, sb, self.data, dims);
  });
}

/** self += alpha · other. */
export function add_<T extends Tensor>(self: T, other: Operand, alpha = 1): T {
  return binaryInPlace('add', 'add_', self, scaled(other, alpha)) as T;
}

/** self −= alpha · other. */
export function sub_<T extends Tensor>(self: T, other: Operand, alpha = 1): T {
  return binaryInPlace('sub', 'sub_', self, scaled(other, alpha)) as T;
}

function scaled(other: Operand, alpha: number): Operand {
  if (alpha === 1) return other;
  return typeof other === 'number' ? other * alpha : mul(other, alpha);
}

/** self *= other. */
export function mul_<T extends Tensor>(self: T, other: Operand): T {
  return binaryInPlace('mul', 'mul_', self, other) as T;
}

/** self /= other (float tensors only). */
export function div_<T extends Tensor>(self: T, other: Operand): T {
  return binaryInPlace('div', 'div_', self, other) as T;
}

/** Clamps self into [min, max] in place. */
export function clamp_<T extends Tensor>(self: T, min?: number | null, max?: number | null): T {
  checkWritable(self, 'clamp_');
  const [lo, hi] = clampBounds(min, max);
  return written(self, 'clamp_', [self], () => k().clamp(self.data, lo, hi, self.data));
}

/** Sets every element to `value`. */
export function fill_<T extends Tensor>(self: T, value: number): T {
  checkWritable(self, 'fill_');
  if (typeof value !== 'number') throw new TypeError(`fill_: value must be a number, got ${readable(value)}`);
  k().fill(self.data, value);
  self._storage.version++; // no anomaly check: filling with a non-finite value is deliberate
  return self;
}

/** Copies `src` (broadcast to self's shape, converted to self's dtype) into self. */
export function copy_<T extends Tensor>(self: T, src: Tensor): T {
  checkWritable(self, 'copy_', src);
  checkTensor(src, 'copy_', 'src');
  const shape = broadcastOrThrow('copy_', self.shape, src.shape);
  if (!sameShape(shape, self.shape)) {
    throw new RangeError(`copy_: src of shape ${fmtShape(src.shape)} cannot be broadcast to ${fmtShape(self.shape)}`);
  }
  const full = sameShape(src.shape, self.shape) ? src : expand(src, self.shape);
  if (full.data === self.data) return self;
  return written(self, 'copy_', [full], () => {
    if (full.dtype === self.dtype) k().copy(full.data, self.data);
    else k().cast(full.data, self.data);
  });
}

declare module '../tensor' {
  interface Tensor {
    /**
     * this += alpha · other, in place.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @param alpha multiplies `other` first (default 1)
     * @returns this tensor
     */
    add_(other: Operand, alpha?: number): this;
    /**
     * this −= alpha · other, in place.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @param alpha multiplies `other` first (default 1)
     * @returns this tensor
     */
    sub_(other: Operand, alpha?: number): this;
    /**
     * this *= other, in place.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns this tensor
     */
    mul_(other: Operand): this;
    /**
     * this /= other, in place (float tensors only).
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns this tensor
     */
    div_(other: Operand): this;
    /**
     * Clamps into [min, max] in place.
     *
     * @param min the lower bound (null: none)
     * @param max the upper bound (null: none)
     * @returns this tensor
     */
    clamp_(min?: number | null, max?: number | null): this;
    /** Sets every element to 0. */
    zero_(): this;
    /**
     * Sets every element to `value`.
     *
     * @param value the number every element becomes
     * @returns this tensor
     */
    fill_(value: number): this;
    /**
     * Copies `src` (broadcast, converted to this dtype) into this tensor.
     *
     * @param src a tensor broadcastable to this shape; its values are converted to this dtype
     * @returns this tensor
     */
    copy_(src: Tensor): this;
  }
}

defineMethods({
  add_(other, alpha) { return add_(this, other, alpha); },
  sub_(other, alpha) { return sub_(this, other, alpha); },
  mul_(other) { return mul_(this, other); },
  div_(other) { return div_(this, other); },
  clamp_(min, max) { return clamp_(this, min, max); },
  zero_() { return fill_(this, 0); },
  fill_(value) { return fill_(this, value); },
  copy_(src) { return copy_(this, src); },
});
