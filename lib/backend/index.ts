import type { Kernels } from './kernels';
import { jsKernels } from './js';
import { loadNativeKernels } from './native';

/** Which kernel set runs the numbers. */
export type BackendName = 'native' | 'js';

let current: Kernels | null = null;
let native: Kernels | null = null;

function select(name: string, source: string): Kernels {
  if (name === 'js') return jsKernels;
  if (name === 'native') {
    if (native === null) native = loadNativeKernels();
    return native;
  }
  throw new TypeError(`${source}: unknown backend ${JSON.stringify(name)}; expected 'native' or 'js'`);
}

/**
 * The active kernels. The first call picks `TORCHLET_BACKEND` (default
 * 'native'); if the addon cannot load this throws an error saying why and how
 * to switch to the js backend. There is no silent fallback.
 */
export function kernels(): Kernels {
  if (current !== null) return current;
  current = select(process.env.TORCHLET_BACKEND || 'native', 'TORCHLET_BACKEND');
  return current;
}

/**
 * Switches every later op to the 'native' (addon) or 'js' (pure TypeScript) kernels.
 *
 * @param name 'native' or 'js'
 */
export function setBackend(name: BackendName): void {
  current = select(name, 'setBackend');
}

/** The name of the active backend. */
export function getBackend(): BackendName {
  return kernels().name;
}

/**
 * Threads that split one large GEMM or optimizer step on the native backend
 * (this Node thread's pool: each worker_thread has its own). Starts at
 * TORCHLET_NUM_THREADS, else OPENBLAS_NUM_THREADS or OMP_NUM_THREADS, else the number of cores;
 * 1 on the js backend.
 */
export function getNumThreads(): number {
  return kernels().getNumThreads();
}

/**
 * Sets that thread count for the calling Node thread (a no-op on the js backend).
 *
 * @param n threads of this Node thread's pool (≥ 1)
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  kernels().setNumThreads(n);
}
