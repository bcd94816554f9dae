/** Where every tensor's storage comes from, and where a dead one goes back. */
import type { Num } from '../backend/kernels';
import type { DType } from '../dtype';
import { describeCap, getMaxElements } from './limits';
import { giveBack, takeBuffer } from './pool';
import { medium, SLAB_MAX_BYTES, tiny, TINY_MAX_BYTES } from './slabs';

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
 * `zeroed` false skips the zeroing of a reused buffer, for an output that the
 * kernel writing it overwrites entirely (see pool.ts takeBuffer).
 *
 * Every tensor's storage comes from here, so this is where the element cap
 * (setMaxElements / TORCHLET_MAX_ELEMENTS, at most 2^31 − 1) is enforced: a
 * count that is not an integer in [0, cap] throws a RangeError naming `where`
 * (the op) before any memory is reserved.
 */
export function allocate(dtype: DType, n: number, where = 'allocate', zeroed = true): Num {
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
    buffer = takeBuffer(bytes, zeroed);
  }
  switch (dtype) {
    case 'float32': return new Float32Array(buffer, offset, n);
    case 'float64': return new Float64Array(buffer, offset, n);
    case 'int32': return new Int32Array(buffer, offset, n);
  }
}

/**
 * Offers the buffer of `data`, a storage from allocate that nothing reachable
 * will use again, for reuse by a later allocate of the same size (pool.ts).
 * Slab views are shared with other storages and are left alone.
 */
export function release(data: Num): void {
  if (ownsBuffer(data)) giveBack(data.buffer as ArrayBuffer);
}

/**
 * True when `data` spans a whole buffer of its own (not a slab view), so
 * handing it to release can pool it; tracking smaller storages for reuse is
 * not worth it.
 */
export function ownsBuffer(data: Num): boolean {
  return data.byteLength > SLAB_MAX_BYTES && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
}

function tooMany(dtype: DType, n: number, where: string): never {
  if (!(n >= 0) || !Number.isInteger(n)) {
    throw new RangeError(`${where}: cannot allocate ${String(n)} elements of ${dtype}: the count must be a non-negative integer`);
  }
  throw new RangeError(`${where}: cannot allocate ${n} elements of ${dtype}, more than the maximum ${describeCap(getMaxElements())}`);
}

