/** Matrix products: matmul (PyTorch's 1-D / 2-D / batched rules) and linear. */
import { defineMethods, type Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { isFloat } from '../dtype';
import { broadcastShapes, fmtShape, numelOf, sameShape } from '../shape';
import { checkTensor, empty, k, record } from './util';
import { checkBlasSizes } from '../storage/limits';
import { expand, reshape } from './shape';
import { sumTo } from './broadcast';
import { add } from './arith';

function checkPair(op: string, a: Tensor, b: Tensor): void {
  checkTensor(a, op, 'input');
  checkTensor(b, op, 'other');
  if (a.dtype !== b.dtype) {
    throw new TypeError(`${op}: expected both inputs to have the same dtype, but got ${a.dtype} and ${b.dtype}; convert one with .to()`);
  }
  if (!isFloat(a.dtype)) throw new TypeError(`${op}: expected float tensors, got ${a.dtype}; convert with .float()`);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`${op}: both arguments need at least 1 dimension, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
}

/**
 * One batched GEMM into a fresh [batch, m, n] buffer. Stride 0 reuses a single
 * matrix. The output is checked against the element cap before it is
 * allocated, and every size handed to BLAS against its 32-bit integer range.
 */
function bmm(a: Tensor, strideA: number, transA: boolean, b: Tensor, strideB: number, transB: boolean,
  batch: number, m: number, n: number, kk: number, shape: readonly number[], op = 'matmul'): Tensor {
  const out = empty(shape, a.dtype, op);
  if (out.numel() === 0) return out;
  checkBlasSizes(op, { batch, m, n, k: kk, strideA, strideB, strideC: m * n });
  if (batch === 1) k().gemm(transA, transB, m, n, kk, 1, a.data as Float, b.data as Float, 0, out.data as Float);
  else k().gemmBatched(batch, transA, transB, m, n, kk, 1, a.data as Float, strideA, b.data as Float, strideB, 0, out.data as Float, m * n);
  return out;
}

/**
 * Matrix product (PyTorch's `torch.matmul`, `@`). 1-D·1-D is a dot product, a
 * 1-D first argument is a row and a 1-D second argument a column (removed from
 * the result), and leading batch dims broadcast. Both inputs must share a
 * float dtype.
 *
 * @param input the left operand, [..., n, k] (or [k])
 * @param other the right operand, [..., k, m] (or [k])
 * @returns the product, [..., n, m]
 *
 * @example
 * ```ts
 * const a = torch.randn(8, 3), b = torch.randn(3, 2);
 * torch.matmul(a, b);          // [8, 2]; the same as a.matmul(b)
 * ```
 */
export function matmul(input: Tensor, other: Tensor): Tensor {
  checkPair('matmul', input, other);
  const a2 = input.ndim === 1 ? reshape(input, [1, input.shape[0]]) : input;
  const b2 = other.ndim === 1 ? reshape(other, [other.shape[0], 1]) : other;
  const [m, kk] = a2.shape.slice(-2);
  const [kb, n] = b2.shape.slice(-2);
  if (kk !== kb) {
    throw new RangeError(`matmul: shapes ${fmtShape(input.shape)} and ${fmtShape(other.shape)} cannot be multiplied (${kk} != ${kb})`);
  }
  const batchA = a2.shape.slice(0, -2);
  const batchB = b2.shape.slice(0, -2);
  const batchShape = broadcastShapes(batchA, batchB);
  if (batchShape === null) {
    throw new RangeError(`matmul: batch dims of ${fmtShape(input.shape)} and ${fmtShape(other.shape)} cannot be broadcast together`);
  }
  const batch = numelOf(batchShape);
  // An input whose batch is neither complete nor absent is materialised at full batch.
  const full = (t: Tensor, own: number[], rows: number, cols: number): Tensor =>
    numelOf(own) === 1 || sameShape(own, batchShape) ? t : expand(t, [...batchShape, rows, cols]);
  const a = full(a2, batchA, m, kk);
  const b = full(b2, batchB, kb, n);
  const sa = a.numel() === m * kk ? 0 : m * kk;
  const sb = b.numel() === kb * n ? 0 : kb * n;
  const out = bmm(a, sa, false, b, sb, false, batch, m, n, kk, [...batchShape, m, n]);
  const shape = [...batchShape, ...(input.ndim === 1 ? [] : [m]), ...(other.ndim === 1 ? [] : [n])];
  const result = record(out, 'MmBackward', [a, b], (g) => {
    const full3 = [...batchShape];
    const ga = a.requiresGrad ? sumTo(bmm(g, m * n, false, b, sb, true, batch, m, kk, n, [...full3, m, kk]), a.shape) : null;
    const gb = b.requiresGrad
      ? (sb === 0 && sa !== 0
        // Shared weight under a batch: one GEMM over the stacked rows.
        ? bmm(a, 0, true, g, 0, false, 1, kk, n, batch * m, b.shape)
        : sumTo(bmm(a, sa, true, g, m * n, false, batch, kk, n, m, [...full3, kk, n]), b.shape))
      : null;
    return [ga, gb];
  }, [a, b]);
  return sameShape(shape, result.shape) ? result : reshape(result, shape);
}

/**
 * y = x · weightᵀ + bias (PyTorch's F.linear): x [..., in], weight [out, in],
 * bias [out]. One GEMM with a transposed weight, no copy of it.
 *
 * @param input [..., in]
 * @param weight [out, in]
 * @param bias [out], or null
 * @returns input·weightᵀ + bias, [..., out]
 */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkPair('linear', input, weight);
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [out, in], got ${fmtShape(weight.shape)}`);
  const [outF, inF] = weight.shape;
  if (input.shape[input.ndim - 1] !== inF) {
    throw new RangeError(`linear: input ${fmtShape(input.shape)} and weight ${fmtShape(weight.shape)} cannot be multiplied (last dim ${input.shape[input.ndim - 1]} != ${inF})`);
  }
  const rows = input.numel() / Math.max(inF, 1);
  const outShape = [...input.shape.slice(0, -1), outF];
  const y = empty(outShape, input.dtype, 'linear');
  if (y.numel() > 0) {
    checkBlasSizes('linear', { m: rows, n: outF, k: inF });
    k().gemm(false, true, rows, outF, inF, 1, input.data as Float, weight.data as Float, 0, y.data as Float);
  }
  const noBias = record(y, 'LinearBackward', [input, weight], (g) => {
    let gx: Tensor | null = null;
    let gw: Tensor | null = null;
    if (input.requiresGrad) {
      gx = empty(input.shape, g.dtype);
      if (gx.numel() > 0) k().gemm(false, false, rows, inF, outF, 1, g.data as Float, weight.data as Float, 0, gx.data as Float);
    }
    if (weight.requiresGrad) {
      gw = empty(weight.shape, g.dtype);
      if (gw.numel() > 0) k().gemm(true, false, outF, inF, rows, 1, g.data as Float, input.data as Float, 0, gw.data as Float);
    }
    return [gx, gw];
  }, [input, weight]);
  if (bias === undefined || bias === null) return noBias;
  checkTensor(bias, 'linear', 'bias');
  if (bias.ndim !== 1 || bias.shape[0] !== outF) {
    throw new RangeError(`linear: bias must have shape [${outF}], got ${fmtShape(bias.shape)}`);
  }
  return add(noBias, bias);
}

declare module '../tensor' {
  interface Tensor {
    /**
     * Matrix product with PyTorch's 1-D/2-D/batched rules.
     *
     * @param other the right operand (same float dtype)
     * @returns the product, as `torch.matmul(this, other)`
     */
    matmul(other: Tensor): Tensor;
  }
}

defineMethods({
  matmul(other) { return matmul(this, other); },
});
