import type { Num } from './backend/kernels';
import { describeCap, getMaxElements } from './runtime/limits';
import { giveBack, takeBuffer } from './runtime/buffer-pool';

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
export const SLAB_MAX_BYTES = 4096;
/** Offsets in a slab stay multiples of this (a Float64Array view needs 8). */
const SLAB_ALIGN = 16;

/**
 * Hands out never-reused, zeroed ranges of one ArrayBuffer at a time, taking a
 * fresh one when the current one is full. Per thread (each isolate loads its
 * own copy of this module).
 */
class Slabs {
  /** The slab `take` handed its last range out of. */
  buffer: ArrayBuffer;
  private used = 0;

  constructor(private readonly size: number) {
    this.buffer = new ArrayBuffer(size);
  }

  /** The offset in `buffer` of a fresh range of `bytes` (≤ size) bytes. */
  take(bytes: number): number {
    if (this.used + bytes > this.size) {
      this.buffer = new ArrayBuffer(this.size);
      this.used = 0;
    }
    const offset = this.used;
    this.used += (bytes + SLAB_ALIGN - 1) & ~(SLAB_ALIGN - 1);
    return offset;
  }
}

/** Two size classes, so that a surviving scalar pins at most 4 KB and a surviving row of a few hundred values at most 32 KB. */
const TINY_MAX_BYTES = 256;
const tiny = new Slabs(4096);
const medium = new Slabs(32768);

/**
 * Allocates zeroed storage of `n` elements, always outside V8's heap. V8 keeps
 * typed arrays of ≤ 64 bytes made by `new Float32Array(n)` inside its heap and
 * moves them out (allocation + copy, ~1 µs) the first time native code or
 * `.buffer` touches them — which every kernel call does. An explicit
 * ArrayBuffer is born outside, but costs 0.4–3 µs to make and collect (more as
 * it grows), the most expensive part of an op on a small tensor. So storages
 * of ≤ SLAB_MAX_BYTES (4 KB) are views into shared ArrayBuffers ("slabs",
 * ~25 ns each), as Node's Buffer pool does: each range is handed out once (so
 * it is zero), and a slab is freed when the last view into it is collected.
 * Storages of ≤ 256 B come from 4 KB slabs, larger ones from 32 KB slabs, so
 * a long-lived small tensor keeps at most 4 KB (32 KB) alive. Such a
 * storage's `.buffer` is the whole slab: code that moves buffers between
 * threads copies it (see lib/worker/message.ts).
 *
 * Larger storages may reuse the buffer of a dead one (see release).
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
  let buffer: ArrayBuffer;
  let offset = 0;
  if (bytes > 0 && bytes <= SLAB_MAX_BYTES) {
    const slabs = bytes <= TINY_MAX_BYTES ? tiny : medium;
    offset = slabs.take(bytes);
    buffer = slabs.buffer;
  } else {
    buffer = takeBuffer(bytes);
  }
  switch (dtype) {
    case 'float32': return new Float32Array(buffer, offset, n);
    case 'float64': return new Float64Array(buffer, offset, n);
    case 'int32': return new Int32Array(buffer, offset, n);
  }
}

/**
 * Offers the buffer of `data`, a storage from allocate that nothing reachable
 * will use again, for reuse by a later allocate of the same size
 * (runtime/buffer-pool.ts). Slab views are shared with other storages and
 * are left alone.
 */
export function release(data: Num): void {
  if (data.byteLength > SLAB_MAX_BYTES && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) {
    giveBack(data.buffer as ArrayBuffer);
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
