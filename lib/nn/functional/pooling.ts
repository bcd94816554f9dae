/** Functional pooling: F.maxPool1d/2d, F.avgPool1d/2d, F.adaptiveAvgPool2d (PyTorch's signatures). */
import type { Tensor } from '../../tensor';
import { defineOptions, rejectUnknownOptions } from '../../options';
import {
  AVG_POOL_1D_KEYS, AVG_POOL_2D_KEYS, MAX_POOL_KEYS, avgPool, maxPool,
  type AvgPool1dOptions, type AvgPoolOptions, type MaxPoolOptions, type PoolSize,
} from '../../ops/pool';

export {
  adaptiveAvgPool2d, type AdaptiveSize, type AvgPool1dOptions, type AvgPoolOptions, type MaxPoolOptions, type PoolSize,
} from '../../ops/pool';

const MAX_POOL_1D = defineOptions<MaxPoolOptions>('maxPool1d', MAX_POOL_KEYS);
const MAX_POOL_2D = defineOptions<MaxPoolOptions>('maxPool2d', MAX_POOL_KEYS);
const AVG_POOL_1D = defineOptions<AvgPool1dOptions>('avgPool1d', AVG_POOL_1D_KEYS);
const AVG_POOL_2D = defineOptions<AvgPoolOptions>('avgPool2d', AVG_POOL_2D_KEYS);

/** Max over windows of the last dim of (N, C, L) or (C, L); stride defaults to kernelSize. */
export function maxPool1d(input: Tensor, kernelSize: PoolSize, options: MaxPoolOptions = {}): Tensor {
  rejectUnknownOptions(options, MAX_POOL_1D);
  return maxPool('maxPool1d', 1, input, kernelSize, options);
}

/** Max over windows of the last two dims of (N, C, H, W) or (C, H, W); stride defaults to kernelSize. */
export function maxPool2d(input: Tensor, kernelSize: PoolSize, options: MaxPoolOptions = {}): Tensor {
  rejectUnknownOptions(options, MAX_POOL_2D);
  return maxPool('maxPool2d', 2, input, kernelSize, options);
}

/** Mean over windows of the last dim of (N, C, L) or (C, L); stride defaults to kernelSize. */
export function avgPool1d(input: Tensor, kernelSize: PoolSize, options: AvgPool1dOptions = {}): Tensor {
  rejectUnknownOptions(options, AVG_POOL_1D);
  return avgPool('avgPool1d', 1, input, kernelSize, options);
}

/** Mean over windows of the last two dims of (N, C, H, W) or (C, H, W); stride defaults to kernelSize. */
export function avgPool2d(input: Tensor, kernelSize: PoolSize, options: AvgPoolOptions = {}): Tensor {
  rejectUnknownOptions(options, AVG_POOL_2D);
  return avgPool('avgPool2d', 2, input, kernelSize, options);
}
