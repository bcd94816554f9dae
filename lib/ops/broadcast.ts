/** Running broadcast binary kernels and reducing gradients back to an input's shape. */
import type { BinaryKernel } from '../backend/kernels';
import type { Tensor } from '../tensor';
import type { DType } from '../dtype';
import { broadcastShapes, broadcastStrides, collapse, contiguousRun, fmtShape, sameShape, splitAt } from '../shape';
import { empty, k } from './util';

/** Names of the Kernels members that are broadcast binary kernels. */
export type BinaryName = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'eq' | 'gt' | 'lt' | 'ge' | 'le';

/** Output shape of broadcasting a with b, or an error naming the op. */
export function broadcastOrThrow(op: string, a: readonly number[], b: readonly number[]): number[] {
  const shape = broadcastShapes(a, b);
  if (shape === null) {
    throw new RangeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together (sizes must match or be 1 in each trailing dimension)`);
  }
  return shape;
}

/** out = name(a, b) with broadcasting; a and b already share `dtype`. */
export function runBinary(name: BinaryName, op: string, a: Tensor, b: Tensor, dtype: DType = a.dtype): Tensor {
  const shape = broadcastOrThrow(op, a.shape, b.shape);
  const out = empty(shape, dtype, op);
  const n = out.numel();
  if (n === 0) return out;
  const kernel = k()[name] as BinaryKernel;
  const [dims, sa, sb] = sameShape(a.shape, b.shape)
    ? contiguousRun(n)
    : collapse(shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape));
  kernel(a.data, sa, b.data, sb, out.data, dims);
  return out;
}

/**
 * Sums a gradient of a broadcast result down to `shape` (the input's shape):
 * leading dims are summed away, dims that were 1 are summed with keepdim.
 * Not recorded (runs inside backward).
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  let cur = g;
  const lead = g.ndim - shape.length;
  let curShape = g.shape.slice();
  for (let d = g.ndim - 1; d >= 0; d--) {
    const want = d < lead ? 1 : shape[d - lead];
    if (curShape[d] === want) continue;
    const [outer, dim, inner] = splitAt(curShape, d);
    curShape[d] = 1;
    const next = empty(curShape, cur.dtype, 'sum');
    k().sum(cur.data, outer, dim, inner, next.data);
    cur = next;
  }
  return cur.reshape(shape.slice());
}

