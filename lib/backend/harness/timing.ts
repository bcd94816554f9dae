/**
 * The harness's timing mode: how long one call of a kernel takes on a
 * backend, for benchmarks (bench/kernels.js) and per-call overhead checks.
 */
import type { Kernels } from '../kernels';
import { cloneCall, type KernelName } from './calls';

/** Per-call time of one kernel on one backend. */
export interface Timing {
  kernel: KernelName;
  backend: string;
  /** Median over the trials of the mean time per call, in microseconds. */
  usPerCall: number;
  calls: number;
}

/**
 * Times `k[name](...args)`: warms up, then runs trials of `batch` calls each
 * for at least `minMs` in all and reports the median trial. The arguments are
 * copied once, so in-place kernels keep updating the same buffers.
 */
export function timeKernel(k: Kernels, name: KernelName, args: readonly unknown[], minMs = 200): Timing {
  const fn = k[name] as (...a: unknown[]) => unknown;
  const a = cloneCall(args);
  let batch = 1;
  // Grow the batch until one trial takes at least ~1/20 of the budget.
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn(...a);
    if (performance.now() - t0 >= minMs / 20 || batch >= 1 << 24) break;
    batch *= 2;
  }
  const trials: number[] = [];
  const start = performance.now();
  while (trials.length < 5 || performance.now() - start < minMs) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn(...a);
    trials.push(((performance.now() - t0) * 1000) / batch);
  }
  trials.sort((x, y) => x - y);
  return { kernel: name, backend: k.name, usPerCall: trials[trials.length >> 1], calls: batch * trials.length };
}
