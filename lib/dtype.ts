import type { Num } from './backend/kernels';
import { describeCap, getMaxElements } from './runtime/limits';

/** Element types of a tensor. `int32` holds indices and class labels. */
export type DType = 'float32' | 'float64' | 'int32';

/** The TypedArray that stores each dtype. */
export interface StorageOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
}

const RANK: Record<DType, number> = { int32: 0, float32: 1, float64: 2 };

/** Checks a dtype name coming from user code and returns it. */
export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'float64' || dtype === 'int32') return dtype;
  throw new TypeError(`${where}: unknown dtype ${JSON.stringify(dtype)}; expected 'float32', 'float64' or 'int32'`);
}

/**
 * Allocates zeroed storage of `n` elements, always outside V8's heap. V8 keeps
 * typed arrays of ≤ 64 bytes made by `new Float32Array(n)` inside its heap and
 * moves them out (allocation + copy, ~1 µs) the first time native code or
 * `.buffer` touches them — which every kernel call does. An explicit ArrayBuffer
 * is born outside.
 *
 * Every tensor's storage comes from here, so this is where the element cap
 * (setMaxElements / TORCHLET_MAX_ELEMENTS, at most 2^31 − 1) is enforced: a
 * count that is not an integer in [0, cap] throws a RangeError naming `where`
 * (the op) before any memory is reserved.
 */
export function allocate(dtype: DType, n: number, where = 'allocate'): Num {
  if (!(n >= 0 && n <= getMaxElements() && Number.isInteger(n))) tooMany(dtype, n, where);
  switch (dtype) {
    case 'float32': return new Float32Array(new ArrayBuffer(n * 4));
    case 'float64': return new Float64Array(new ArrayBuffer(n * 8));
    case 'int32': return new Int32Array(new ArrayBuffer(n * 4));
  }
}

function tooMany(dtype: DType, n: number, where: string): never {
  if (!(n >= 0) || !Number.isInteger(n)) {
    throw new RangeError(`${where}: cannot allocate ${String(n)} elements of ${dtype}: the count must be a non-negative integer`);
  }
  throw new RangeError(`${where}: cannot allocate ${n} elements of ${dtype}, more than the maximum ${describeCap(getMaxElements())}`);
}

/** The dtype a TypedArray stores, or null for any other value. */
export function dtypeOfArray(data: unknown): DType | null {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return null;
}

/** PyTorch's promotion for our three types: int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** True for float32 and float64. */
export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}
