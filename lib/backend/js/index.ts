/**
 * The pure-TypeScript kernels: the reference the native addon is tested
 * against and the baseline it is benchmarked against. Single-threaded.
 */
import type { Kernels } from '../kernels';
import { add, div, eq, ge, gt, le, lt, maximum, minimum, mul, pow, sub } from './binary';
import { gemm, gemmBatched } from './gemm';
import { gather, indexAdd, indexSelect, scatterAdd } from './indexing';
import { cast, copy, copyStrided, fill, transpose2d } from './memory';
import { max, mean, min, sum } from './reduce';
import { logSoftmax, logSoftmaxBackward, softmax, softmaxBackward } from './softmax';
import {
  abs, clamp, clampBackward, cos, exp, leakyRelu, leakyReluBackward, log, neg, powScalar, relu, reluBackward,
  sigmoid, sigmoidBackward, sign, sin, sqrt, tanh, tanhBackward,
} from './unary';
import { checkSize } from './validate';
import { linearBackward, linearForward } from './fused-linear';
import { bce, bceBackward, sigmoidBCE, sigmoidBCEBackward, softmaxCrossEntropy, softmaxCrossEntropyBackward } from './fused-loss';
import { adamStep, sgdStep } from './optim-step';

/** The addon's cap on threads; validated here too so both backends reject the same n. */
const MAX_THREADS = 1024;

/** Validates n like the native backend (an integer in [1, 1024]); the js backend has one thread. */
function setNumThreads(n: number): void {
  checkSize('setNumThreads', 'n', n, MAX_THREADS);
  if (n < 1) throw new RangeError('setNumThreads: n must be at least 1, got 0');
}

/** The js backend: every member of Kernels as plain loops over typed arrays. */
export const jsKernels: Kernels = {
  name: 'js',
  gemm, gemmBatched,
  add, sub, mul, div, pow, maximum, minimum, eq, gt, lt, ge, le,
  neg, abs, sign, exp, log, sqrt, sin, cos, relu, sigmoid, tanh, leakyRelu, powScalar, clamp,
  reluBackward, sigmoidBackward, tanhBackward, leakyReluBackward, clampBackward,
  sum, mean, max, min,
  softmax, logSoftmax, softmaxBackward, logSoftmaxBackward,
  indexSelect, indexAdd, gather, scatterAdd,
  copy, cast, fill, transpose2d, copyStrided,
  linearForward, linearBackward, softmaxCrossEntropy, softmaxCrossEntropyBackward,
  sigmoidBCE, sigmoidBCEBackward, bce, bceBackward, sgdStep, adamStep,
  getNumThreads: () => 1,
  setNumThreads,
};
