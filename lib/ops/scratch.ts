/**
 * Scratch buffers for kernels' temporaries that never leave the call that
 * made them (the fused linear backward's activation gradient dz): one buffer
 * per dtype, reused across calls and grown as needed, so a training step does
 * not allocate — and later collect — one per layer. Safe because kernels run
 * synchronously on one thread and no view of the buffer is kept; each worker
 * thread has its own module instance.
 */
import { allocate, type DType } from '../dtype';
import type { Float } from '../backend/kernels';

/** Above this many elements a temporary gets its own buffer (the process should not keep a huge one for good). */
const KEEP_MAX_ELEMENTS = 1 << 20;

const kept = new Map<DType, Float>();

/** `n` elements of `dtype` (float32 or float64) to write and read within one kernel call; contents undefined. */
export function scratch(dtype: 'float32' | 'float64', n: number, op: string): Float {
  if (n > KEEP_MAX_ELEMENTS) return allocate(dtype, n, op) as Float;
  let buf = kept.get(dtype);
  if (buf === undefined || buf.length < n) {
    buf = allocate(dtype, Math.max(n, 1024), op) as Float;
    kept.set(dtype, buf);
  }
  return buf.length === n ? buf : buf.subarray(0, n);
}
