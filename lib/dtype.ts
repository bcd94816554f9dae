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

/** Storage of at most this many bytes is carved out of a shared slab (see allocate). */
export const SLAB_MAX_BYTES = 1024;
/** Size of one slab; as Node's Buffer pool, small enough that a stray survivor pins little. */
const SLAB_BYTES = 8192;
/** Offsets in a slab stay multiples of this (a Float64Array view needs 8). */
const SLAB_ALIGN = 16;

/** The slab small storages come from now, and its first free byte (per thread: each isolate loads its own copy). */
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/** `bytes` zeroed bytes of the current slab (a fresh slab when it is full); never reused. */
function fromSlab(bytes: number): [ArrayBuffer, number] {
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const offset = slabUsed;
  slabUsed += (bytes + SLAB_ALIGN - 1) & ~(SLAB_ALIGN - 1);
  return [slab, offset];
}

/**
 * Allocates zeroed storage of `n` elements, always outside V8's heap. V8 keeps
 * typed arrays of ≤ 64 bytes made by `new Float32Array(n)` inside its heap and
 * moves them out (allocation + copy, ~1 µs) the first time native code or
 * `.buffer` touches them — which every kernel call does. An explicit
 * ArrayBuffer is born outside, but costs ~0.4 µs to make, the most expensive
 * part of an op on a tiny tensor. So storages of ≤ SLAB_MAX_BYTES are views
 * into a shared 8 KB ArrayBuffer (~25 ns), like Node's Buffer pool: each range
 * is handed out once (so it is zero), and a slab is freed when the last view
 * into it is collected. Such a storage's `.buffer` is the whole slab, so code
 * that moves buffers between threads copies it (see lib/worker/message.ts).
 *
 * Every tensor's storage comes from here, so this is where the element cap
 * (setMaxElements / TORCHLET_MAX_ELEMENTS, at most 2^31 − 1) is enforced: a
 * count that is not an integer in [0, cap] throws a RangeError naming `where`
 * (the op) before any memory is reserved.
 */
export function allocate(dtype: DType, n: number, where = 'allocate'): Num {
  if (!(n >= 0 && n <= getMaxElements() && Number.isInteger(n))) tooMany(dtype, n, where);
  const width = dtype === 'float64' ? 8 : 4;
  const bytes = n * width;
  if (bytes > 0 && bytes <= SLAB_MAX_BYTES) {
    const [buffer, offset] = fromSlab(bytes);
    switch (dtype) {
      case 'float32': return new Float32Array(buffer, offset, n);
      case 'float64': return new Float64Array(buffer, offset, n);
      case 'int32': return new Int32Array(buffer, offset, n);
    }
  }
  switch (dtype) {
    case 'float32': return new Float32Array(new ArrayBuffer(bytes));
    case 'float64': return new Float64Array(new ArrayBuffer(bytes));
    case 'int32': return new Int32Array(new ArrayBuffer(bytes));
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
