/**
 * The pure-TypeScript kernels: the reference the native addon is tested
 * against and the baseline it is benchmarked against. Single-threaded.
 *
 * The files of this folder hold plain loops; each is wrapped here in the
 * argument checks compiled from its kernel-table declaration, so both
 * backends reject the same calls with the same errors.
 */
import type { Kernels } from '../kernels';
import { KERNEL_TABLE, type KernelName } from '../table';
import { compileKernel } from '../table/compile';
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
import { linearBackward, linearForward } from './fused-linear';
import { bce, bceBackward, sigmoidBCE, sigmoidBCEBackward, softmaxCrossEntropy, softmaxCrossEntropyBackward } from './fused-loss';
import { adamStep, sgdStep } from './optim-step';

/** The unchecked loops, one per kernel of the table. */
const LOOPS: Omit<Kernels, 'name'> = {
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
  setNumThreads: () => undefined,
};

function build(): Kernels {
  const k: Record<string, unknown> = { name: 'js' };
  for (const name of Object.keys(KERNEL_TABLE) as KernelName[]) {
    k[name] = compileKernel(name, KERNEL_TABLE[name], LOOPS[name]);
  }
  return Object.freeze(k) as Kernels;
}

/** The js backend: every member of Kernels as plain loops over typed arrays behind the table's checks. */
export const jsKernels: Kernels = build();
