/** dtype conversion, detach and clone. */
import { defineMethods, Tensor } from '../tensor';
import { isFloat, type DType } from '../dtype';
import { resolveTo, type DeviceLike } from '../device';
import { checkTensor, empty, k, record } from './util';

/**
 * A copy in `dtype`; returns `input` itself when it already has that dtype.
 * PyTorch's device forms work too: `to('cpu')` and `to('cpu', dtype)`
 * (torchlet's one device); any other device is an error.
 *
 * @param input the input tensor
 * @param target a dtype or a device ('cpu')
 * @param dtype the dtype, when `target` is a device
 * @returns `input` when nothing changes, else a converted copy
 */
export function to(input: Tensor, target: DType | DeviceLike, dtype?: DType): Tensor {
  checkTensor(input, 'to');
  const want = resolveTo(target, dtype, 'to');
  if (want === null || input.dtype === want) return input;
  return convert(input, want);
}

function convert(input: Tensor, dtype: DType): Tensor {
  const out = empty(input.shape, dtype, 'to');
  k().cast(input.data, out.data);
  if (!isFloat(dtype)) return out;
  return record(out, 'ToCopyBackward', [input], (g) => [isFloat(input.dtype) ? convert(g, input.dtype) : null]);
}

/**
 * A new leaf that shares `input`'s storage and is cut from the graph.
 *
 * @param input the input tensor
 * @returns a leaf sharing `input`'s storage
 */
export function detach(input: Tensor): Tensor {
  checkTensor(input, 'detach');
  return new Tensor(input._storage, input.shape);
}

/**
 * A copy of the data; gradients flow back to `input`.
 *
 * @param input the input tensor
 * @returns a copy that gradients flow through
 */
export function clone(input: Tensor): Tensor {
  checkTensor(input, 'clone');
  const out = empty(input.shape, input.dtype, 'clone');
  k().copy(input.data, out.data);
  return record(out, 'CloneBackward', [input], (g) => [g]);
}

declare module '../tensor' {
  interface Tensor {
    /**
     * A copy in another dtype (differentiable between float types); `this` if
     * already that dtype. `to('cpu')` and `to('cpu', dtype)` work as in PyTorch;
     * any other device is an error (torchlet runs on the CPU).
     *
     * @param target a dtype ('float32', 'float64', 'int32') or a device ('cpu')
     * @param dtype the dtype, when `target` is a device
     * @returns this tensor when nothing changes, else a converted copy
     */
    to(target: DType | DeviceLike, dtype?: DType): Tensor;
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
  to(target, dtype) { return to(this, target, dtype); },
  float() { return to(this, 'float32'); },
  double() { return to(this, 'float64'); },
  int() { return to(this, 'int32'); },
  detach() { return detach(this); },
  clone() { return clone(this); },
});
