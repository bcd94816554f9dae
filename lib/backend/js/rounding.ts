/** Rounding to a buffer's element type, as the fused js kernels store intermediates. */
import type { Float } from '../kernels';

/** Math.fround for float32 buffers, identity for float64. */
export function rounder(x: Float): (v: number) => number {
  return x instanceof Float32Array ? Math.fround : identity;
}

function identity(v: number): number {
  return v;
}
