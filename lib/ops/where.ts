/**
 * torch.where and maskedFill: pick elements by a condition. A condition or
 * mask is a tensor of any dtype, nonzero meaning true (what the comparison
 * ops return; torchlet has no bool dtype).
 */
import { defineMethods, Tensor, type Operand } from '../tensor';
import { isFloat, type DType } from '../dtype';
import { broadcastShapes, fmtShape, sameShape } from '../shape';
import { readable } from '../options';
import { expand } from './shape';
import { checkOperand, checkTensor, empty, k, operand, record, resultType } from './util';

/** out = cond ? a : b through the kernel, all three already of `shape`; not recorded. */
function pick(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const out = empty(a.shape, a.dtype, 'where');
  if (out.numel() > 0) k().where(cond.data, a.data, b.data, out.data);
  return out;
}

/** `x` broadcast to `shape` (a copy only when it differs). */
const spread = (x: Tensor, shape: readonly number[]): Tensor => (sameShape(x.shape, shape) ? x : expand(x, shape));

/** The dtype of two scalars: int32 for integers, else float32 (PyTorch's default dtype). */
function scalarsType(a: number, b: number): DType {
  return Number.isInteger(a) && Number.isInteger(b) ? 'int32' : 'float32';
}

/**
 * Elements of `input` where `condition` is nonzero, of `other` elsewhere
 * (`torch.where(condition, input, other)`). All three broadcast together;
 * `input` and `other` may be numbers and promote as binary ops do.
 * Gradients flow to `input` where the condition holds and to `other` elsewhere.
 * PyTorch's `torch.where`.
 *
 * @param condition a tensor of any dtype, nonzero meaning true; broadcasts with input and other
 * @param input the values taken where the condition holds (a tensor or a number)
 * @param other the values taken where it does not (a tensor or a number)
 * @returns a tensor of the broadcast shape and the promoted dtype
 *
 * @example
 * ```ts
 * const x = torch.tensor([-1, 2, -3]);
 * torch.where(x.gt(0), x, 0);          // [0, 2, 0]
 * torch.where(x.gt(0), 1, -1);         // int32 [-1, 1, -1]
 * ```
 */
export function where(condition: Tensor, input: Operand, other: Operand): Tensor {
  checkTensor(condition, 'where', 'condition');
  checkOperand(input, 'where', 'input');
  checkOperand(other, 'where', 'other');
  const dtype = typeof input === 'number' && typeof other === 'number' ? scalarsType(input, other) : resultType(input, other);
  const a = operand(input, dtype, 'where', 'input');
  const b = operand(other, dtype, 'where', 'other');
  const ab = broadcastShapes(a.shape, b.shape);
  const shape = ab === null ? null : broadcastShapes(condition.shape, ab);
  if (shape === null) {
    throw new RangeError(`where: condition ${fmtShape(condition.shape)}, input ${fmtShape(a.shape)} and other ${fmtShape(b.shape)} cannot be broadcast together (sizes must match or be 1 in each trailing dimension)`);
  }
  const cond = spread(condition.detach(), shape);
  const x = spread(a, shape);
  const y = spread(b, shape);
  const out = pick(cond, x, y);
  return record(out, 'WhereBackward', [x, y], (g) => {
    const zero = empty(g.shape, g.dtype);
    return [x.requiresGrad ? pick(cond, g, zero) : null, y.requiresGrad ? pick(cond, zero, g) : null];
  }, [cond]);
}

/**
 * `input` with `value` where `mask` is nonzero (PyTorch's `Tensor.masked_fill`). The
 * mask broadcasts to input's shape; `value` is a number or a 0-d tensor and
 * takes input's dtype. Gradients flow to input where the mask is zero (and to
 * a tensor value from everywhere it was written).
 *
 * @param input the tensor to fill (unchanged: the result is a new tensor)
 * @param mask a tensor of any dtype, nonzero meaning fill; broadcasts to input's shape
 * @param value a number or a 0-d tensor, converted to input's dtype
 * @returns a tensor of input's shape and dtype
 */
export function maskedFill(input: Tensor, mask: Tensor, value: Operand): Tensor {
  checkTensor(input, 'maskedFill');
  checkTensor(mask, 'maskedFill', 'mask');
  const shape = broadcastShapes(mask.shape, input.shape);
  if (shape === null || !sameShape(shape, input.shape)) {
    throw new RangeError(`maskedFill: mask of shape ${fmtShape(mask.shape)} cannot be broadcast to input of shape ${fmtShape(input.shape)} (the mask must broadcast to the input's shape)`);
  }
  if (value instanceof Tensor) {
    if (value.ndim !== 0) throw new RangeError(`maskedFill: value must be a number or a 0-d tensor, got a tensor of shape ${fmtShape(value.shape)}`);
    return where(mask, value.to(input.dtype), input);
  }
  if (typeof value !== 'number') throw new TypeError(`maskedFill: value must be a number or a 0-d tensor, got ${readable(value)}`);
  if (!isFloat(input.dtype) && !Number.isInteger(value)) {
    throw new TypeError(`maskedFill: value ${value} cannot be written into an int32 tensor; convert the input with .float() first`);
  }
  const m = spread(mask.detach(), input.shape);
  const out = pick(m, spread(operand(value, input.dtype, 'maskedFill', 'value'), input.shape), input);
  return record(out, 'MaskedFillBackward', [input], (g) => [pick(m, empty(g.shape, g.dtype), g)], [m]);
}

declare module '../tensor' {
  interface Tensor {
    /**
     * This tensor with `value` where `mask` is nonzero (PyTorch's `masked_fill`).
     *
     * @param mask a tensor of any dtype, nonzero meaning fill; broadcasts to this tensor's shape
     * @param value a number or a 0-d tensor, converted to this tensor's dtype
     */
    maskedFill(mask: Tensor, value: Operand): Tensor;
    /**
     * `torch.where(condition, this, other)`: this tensor where `condition` is nonzero, `other` elsewhere.
     *
     * @param condition a tensor of any dtype, nonzero meaning true; broadcasts with this and other
     * @param other the values taken where the condition is zero (a tensor or a number)
     */
    where(condition: Tensor, other: Operand): Tensor;
  }
}

defineMethods({
  maskedFill(mask, value) { return maskedFill(this, mask, value); },
  where(condition, other) { return where(condition, this, other); },
});
