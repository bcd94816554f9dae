/**
 * Declarations shared by whole families of kernels (elementwise, broadcast
 * binary, axis reductions, softmax): one line in the table per member.
 */
import {
  type Rng, LOOSE, atLeast, input, kernel, output, sameAs, scalar, shape, size, strides, wide,
} from './spec';
import { checkBinary, randomBinary } from './strided-checks';

/** Elementwise out = f(x); `out` may be exactly `x`. */
export const unary = <const D extends 'float' | 'num'>(dtype: D) =>
  kernel([input('x', dtype), output('out', dtype, sameAs('x'), { alias: ['x'] })], { tol: LOOSE });

/** Elementwise out = f(x, p) for one scalar parameter p (drawn from `draw` in random calls). */
export const unaryScalar = <const D extends 'float' | 'num'>(dtype: D, p: string, draw?: readonly number[]) =>
  kernel([input('x', dtype), scalar(p, draw), output('out', dtype, sameAs('x'), { alias: ['x'] })], { tol: LOOSE });

/** dx = dy · f'(saved), saved = the forward input or output; dx may be exactly dy or saved. */
export const unaryBackward = () =>
  kernel([
    input('saved', 'float'), input('dy', 'float', sameAs('saved')),
    output('dx', 'float', sameAs('saved'), { alias: ['saved', 'dy'] }),
  ], { tol: LOOSE });

/** Broadcast binary kernel (a, aStrides, b, bStrides, out, shape). */
export const binary = <const D extends 'float' | 'num'>(dtype: D) =>
  kernel([
    input('a', dtype, undefined, { customOverlap: true }), strides('aStrides'),
    input('b', dtype, undefined, { customOverlap: true }), strides('bStrides'),
    output('out', dtype, atLeast('prod(shape)'), { customOverlap: true }), shape('shape'),
  ], { check: checkBinary, make: (rng: Rng, dt) => randomBinary(rng, dt), tol: LOOSE });

/** Axis sizes of the [outer, dim, inner] view. */
const axis = (dim = 'dim', dimDraw: readonly [number, number] = [0, 4]) =>
  [size('outer'), size(dim, dimDraw), size('inner')] as const;

/** Reduction over the middle axis into out [outer, inner]; typed for any storage buffer (mean rejects int32 at run time). */
export const reduction = <const D extends 'float' | 'num'>(dtype: D) =>
  kernel([wide(input('x', dtype, atLeast('outer*dim*inner'))), ...axis(), wide(output('out', dtype, atLeast('outer*inner')))]);

/** Softmax-like kernel over the middle axis. */
export const axisForward = () =>
  kernel([input('x', 'float', atLeast('outer*dim*inner')), ...axis(), output('out', 'float', atLeast('outer*dim*inner'))]);

/** Backward of a softmax-like kernel from its output y and upstream dy. */
export const axisBackward = () =>
  kernel([
    input('y', 'float', atLeast('outer*dim*inner')), input('dy', 'float', atLeast('outer*dim*inner')), ...axis(),
    output('dx', 'float', atLeast('outer*dim*inner')),
  ]);

export { axis };
