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
import * as binary from './binary';
import * as gemm from './gemm';
import * as indexing from './indexing';
import * as memory from './memory';
import * as norm from './norm';
import * as reduce from './reduce';
import * as softmax from './softmax';
import * as unary from './unary';
import * as fusedLinear from './fused-linear';
import * as fusedLoss from './fused-loss';
import * as optimStep from './optim-step';
import * as seqops from './seqops';
import * as conv from './conv';
import * as pool from './pool';
import * as rmspropAdagrad from './rmsprop-adagrad';
import * as clipGrad from './clip-grad';
import * as recurrent from './recurrent';

/**
 * The unchecked loops: every file's exports, named as the kernels of the table
 * (a new kernel's loop is found by its name, with no list to extend here).
 */
const LOOPS: Omit<Kernels, 'name'> = {
  ...binary, ...gemm, ...indexing, ...memory, ...reduce, ...softmax, ...unary,
  ...fusedLinear, ...fusedLoss, ...optimStep, ...norm,
  ...seqops, ...conv, ...pool, ...rmspropAdagrad, ...clipGrad, ...recurrent,
  getNumThreads: () => 1,
  setNumThreads: () => undefined,
};

function build(): Kernels {
  const names = Object.keys(KERNEL_TABLE) as KernelName[];
  // fromEntries, not one assignment per name: past a dozen such stores V8 turns an
  // object into a hash table, and every kernel lookup of every op would pay for it.
  const k = Object.fromEntries([['name', 'js'], ...names.map((name) => [name, compileKernel(name, KERNEL_TABLE[name], LOOPS[name])])]);
  return Object.freeze(k) as Kernels;
}

/** The js backend: every member of Kernels as plain loops over typed arrays behind the table's checks. */
export const jsKernels: Kernels = build();
