/** dtype conversion, detach and clone. */
import { defineMethods, Tensor } from '../tensor';
import { checkDType, isFloat, type DType } from '../dtype';
import { checkTensor, empty, k, record } from './util';

/** A copy in `dtype`; returns `input` itself when it already has that dtype. */
export function to(input: Tensor, dtype: DType): Tensor {
  checkTensor(input, 'to');
  checkDType(dtype, 'to');
  if (input.dtype === dtype) return input;
  const out = empty(input.shape, dtype, 'to');
  k().cast(input.data, out.data);
  if (!isFloat(dtype)) return out;
  return record(out, 'ToCopyBackward', [input], (g) => [isFloat(input.dtype) ? to(g, input.dtype) : null]);
}

/** A new leaf that shares `input`'s storage and is cut from the graph. */
export function detach(input: Tensor): Tensor {
  checkTensor(input, 'detach');
  return new Tensor(input._storage, input.shape);
}

/** A copy of the data; gradients flow back to `input`. */
export function clone(input: Tensor): Tensor {
  checkTensor(input, 'clone');
  const out = empty(input.shape, input.dtype, 'clone');
  k().copy(input.data, out.data);
  return record(out, 'CloneBackward', [input], (g) => [g]);
}

declare module '../tensor' {
  interface Tensor {
    /** A copy in another dtype (differentiable between float types); `this` if already that dtype. */
    to(dtype: DType): Tensor;
    /** `to('float32')`. */
    float(): Tensor;
    /** `to('float64')`. */
    double(): Tensor;
    /** `to('int32')`. */
    int(): Tensor;
    /** A new leaf sharing this storage, cut from the graph. */
    detach(): Tensor;
    /** A copy of the data; gradients flow back to this tensor. */
    clone(): Tensor;
  }
}

defineMethods({
  to(dtype) { return to(this, dtype); },
  float() { return to(this, 'float32'); },
  double() { return to(this, 'float64'); },
  int() { return to(this, 'int32'); },
  detach() { return detach(this); },
  clone() { return clone(this); },
});
