/** cumsum: prefix sums along a dim; its gradient is the reverse prefix sum. */
import { defineMethods, type Tensor } from '../tensor';
import { normDim, splitAt } from '../shape';
import { checkTensor, empty, k, record } from './util';

/** Prefix sums of x along d, from the end when `reverse` (not recorded). */
function scan(x: Tensor, d: number, reverse: boolean): Tensor {
  const [outer, size, inner] = splitAt(x.shape, d);
  const out = empty(x.shape, x.dtype, 'cumsum');
  if (out.numel() > 0) k().cumsum(x.data, outer, size, inner, reverse, out.data);
  return out;
}

/**
 * Cumulative sum along `dim`: out[..., i, ...] = Σ_{j ≤ i} input[..., j, ...].
 * Float sums run in float64 and round once per element, as PyTorch's CPU
 * kernel. int32 stays int32 and wraps (PyTorch returns int64). PyTorch's
 * `torch.cumsum`.
 *
 * @param input the tensor to sum
 * @param dim the dim to accumulate along, negative from the end
 * @returns a tensor of input's shape and dtype
 */
export function cumsum(input: Tensor, dim: number): Tensor {
  checkTensor(input, 'cumsum');
  const d = normDim(dim, input.ndim, 'cumsum');
  return record(scan(input, d, false), 'CumsumBackward', [input], (g) => [scan(g, d, true)]);
}

declare module '../tensor' {
  interface Tensor {
    /**
     * Cumulative sum along `dim`.
     *
     * @param dim the dim to accumulate along, negative from the end
     */
    cumsum(dim: number): Tensor;
  }
}

defineMethods({
  cumsum(dim) { return cumsum(this, dim); },
});
