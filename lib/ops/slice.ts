/**
 * Basic indexing, PyTorch's `x[...]` with integers, slices, `...` and `None`:
 * `x.slice(':', '1:3')` is `x[:, 1:3]`, `x.slice('...', -1)` is `x[..., -1]`,
 * `x.slice(':', '::2')` is `x[:, ::2]`, `x.slice(null)` is `x[None]`; and
 * `x.select(dim, index)`. The result is a copy (torchlet's storage is always
 * contiguous); its gradient is written back into the picked positions.
 */
import { defineMethods, type Tensor } from '../tensor';
import { fmtShape, normDim, stridesOf } from '../shape';
import { readable } from '../options';
import { reshape } from './shape';
import { checkTensor, empty, emptyForKernel, k, record } from './util';

/** One bound of a SliceRange: an integer as a string, or '' for the default. */
export type SliceBound = `${number}` | '';
/** A Python slice as a string: `'1:3'`, `':'`, `'::2'`, `'-3:'`, `'1:-1:2'`. */
export type SliceRange = `${SliceBound}:${SliceBound}` | `${SliceBound}:${SliceBound}:${SliceBound}`;
/**
 * One entry of `x.slice(...)`: an integer picks one entry and drops the dim
 * (negative counts from the end), a range string slices it, `'...'` stands
 * for as many whole dims as needed, `null` inserts a dim of size 1 (`None`).
 */
export type SliceIndex = number | SliceRange | '...' | null;

/** The entries of one input dim that a result keeps: start, step, count. */
interface Span { start: number; step: number; size: number }

const SPEC_HELP = "expected an integer, a range string such as ':', '1:3', '::2' or '-2:', '...', or null (PyTorch's None)";

/** A Python slice `start:stop:step` over a dim of `size` (bounds clamp; the step must be positive). */
function parseRange(spec: string, size: number, at: number): Span {
  const parts = spec.split(':');
  if (parts.length > 3) throw new TypeError(`slice: bad spec '${spec}' at position ${at}: ${SPEC_HELP}`);
  const nums = parts.map((p) => {
    const t = p.trim();
    if (t === '') return undefined;
    if (!/^[+-]?\d+$/.test(t)) throw new TypeError(`slice: bad spec '${spec}' at position ${at}: ${SPEC_HELP}`);
    return Number(t);
  });
  const step = nums[2] ?? 1;
  if (step <= 0) throw new RangeError(`slice: step must be positive in '${spec}' at position ${at} (PyTorch has no negative or zero steps either)`);
  const clampBound = (v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    return Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  };
  const start = clampBound(nums[0], 0);
  const stop = clampBound(nums[1], size);
  return { start, step, size: Math.max(0, Math.ceil((stop - start) / step)) };
}

/** An integer index into a dim of `size`, negative from the end. */
function pickIndex(op: string, index: number, dim: number, size: number, shape: readonly number[]): Span {
  if (!Number.isInteger(index)) throw new TypeError(`${op}: index must be an integer, got ${readable(index)}`);
  if (index < -size || index >= size) {
    throw new RangeError(`${op}: index ${index} is out of range for dim ${dim} of size ${size} (shape ${fmtShape(shape)}); expected ${-size} <= index < ${size}`);
  }
  return { start: index < 0 ? index + size : index, step: 1, size: 1 };
}

/** The spans of every input dim, copied out and reshaped to `shape`; gradients go back to those positions. */
function take(input: Tensor, spans: readonly Span[], shape: readonly number[], op: string): Tensor {
  if (spans.every((s, d) => s.start === 0 && s.step === 1 && s.size === input.shape[d])) return reshape(input, shape, op);
  const strides = stridesOf(input.shape);
  const sizes = Int32Array.from(spans, (s) => s.size);
  const srcStrides = Int32Array.from(spans, (s, d) => s.step * strides[d]);
  const dense = Int32Array.from(stridesOf([...sizes]));
  const offset = spans.reduce((o, s, d) => o + s.start * strides[d], 0);
  const out = emptyForKernel([...sizes], input.dtype, op); // every element copied in
  const n = out.numel();
  if (n > 0) k().copyStrided(input.data, offset, srcStrides, out.data, 0, dense, sizes);
  const picked = record(out, 'SliceBackward', [input], (g) => {
    const dx = empty(input.shape, g.dtype);
    if (n > 0) k().copyStrided(g.data, 0, dense, dx.data, offset, srcStrides, sizes);
    return [dx];
  });
  return reshape(picked, shape, op);
}

/**
 * PyTorch's basic indexing `input[i0, i1, ...]`, one argument per index:
 * integers (drop the dim; negative from the end), range strings `'start:stop:step'`
 * (Python's rules: bounds clamp, negative bounds count from the end, the step
 * is positive), `'...'` (whole dims) and `null` (a new dim of size 1). Dims
 * not named are taken whole. A copy, differentiable.
 *
 * @param input the tensor to index
 * @param indices one per indexed dim: an integer, a `'start:stop:step'` string, `'...'` or `null`
 * @returns a new tensor with the picked entries
 *
 * @example
 * ```ts
 * const x = torch.arange(12).reshape(3, 4);
 * torch.slice(x, ':', '1:3');   // x[:, 1:3], shape [3, 2]
 * x.slice('...', -1);           // x[..., -1], shape [3]
 * x.slice('::2', null);         // x[::2, None], shape [2, 1, 4]
 * ```
 */
export function slice(input: Tensor, ...indices: SliceIndex[]): Tensor {
  checkTensor(input, 'slice');
  let consumed = 0;
  let ellipses = 0;
  indices.forEach((s, at) => {
    if (typeof s === 'number') consumed++;
    else if (s === '...') ellipses++;
    else if (typeof s === 'string' && s.includes(':')) consumed++;
    else if (s !== null) throw new TypeError(`slice: bad spec ${readable(s)} at position ${at}: ${SPEC_HELP}`);
  });
  if (ellipses > 1) throw new TypeError("slice: an index can only have a single ellipsis ('...')");
  if (consumed > input.ndim) {
    throw new RangeError(`slice: too many indices for a tensor of shape ${fmtShape(input.shape)}: ${consumed} dims indexed, ${input.ndim} present`);
  }
  const spans: Span[] = [];
  const shape: number[] = [];
  const whole = (): void => {
    const size = input.shape[spans.length];
    spans.push({ start: 0, step: 1, size });
    shape.push(size);
  };
  indices.forEach((s, at) => {
    if (s === null) shape.push(1);
    else if (s === '...') for (let i = 0; i < input.ndim - consumed; i++) whole();
    else if (typeof s === 'number') spans.push(pickIndex('slice', s, spans.length, input.shape[spans.length], input.shape));
    else {
      const span = parseRange(s, input.shape[spans.length], at);
      spans.push(span);
      shape.push(span.size);
    }
  });
  while (spans.length < input.ndim) whole();
  return take(input, spans, shape, 'slice');
}

/**
 * The entries at `index` of `dim` (negative from the end), without that dim: PyTorch's `torch.select`. A copy, differentiable.
 *
 * @param input a tensor with at least one dim
 * @param dim the dim to index, negative from the end
 * @param index the position along `dim`, negative from the end
 * @returns input's shape without `dim`
 */
export function select(input: Tensor, dim: number, index: number): Tensor {
  checkTensor(input, 'select');
  if (input.ndim === 0) throw new RangeError('select: cannot select on a 0-d tensor');
  const d = normDim(dim, input.ndim, 'select');
  const spans = input.shape.map((size): Span => ({ start: 0, step: 1, size }));
  spans[d] = pickIndex('select', index, dim, input.shape[d], input.shape);
  return take(input, spans, input.shape.filter((_, i) => i !== d), 'select');
}

declare module '../tensor' {
  interface Tensor {
    /**
     * PyTorch's `x[...]`: `x.slice(':', '1:3')` is `x[:, 1:3]`, `x.slice('...', -1)`
     * is `x[..., -1]`, `x.slice(':', '::2')` is `x[:, ::2]`, `x.slice(null)` is `x[None]`.
     *
     * @param indices one per indexed dim: an integer, a `'start:stop:step'` string, `'...'` or `null`
     */
    slice(...indices: SliceIndex[]): Tensor;
    /**
     * The entries at `index` of `dim` (negative from the end), without that dim.
     *
     * @param dim the dim to index, negative from the end
     * @param index the position along `dim`, negative from the end
     */
    select(dim: number, index: number): Tensor;
  }
}

defineMethods({
  slice(...indices) { return slice(this, ...indices); },
  select(dim, index) { return select(this, dim, index); },
});
