/**
 * Reuse of dead tensor buffers. V8 frees an ArrayBuffer only when a GC finds
 * it unreachable: here a scavenge each time ~32 MB of young buffers pile up.
 * A training step that allocates fresh weight gradients (about 2 MB for the
 * 784-512-256-10 MLP) fills that every ~11 steps, and the glibc heap, fed the
 * frees in GC order, fragments and grows for thousands of steps. Buffers the
 * library knows nothing else can reach — a parameter's gradient that zeroGrad
 * drops and no user code has read (autograd/engine.ts clearGrad), an
 * intermediate gradient the backward pass has consumed, the intermediate
 * outputs of a Sequential of library layers once backward released its graph
 * (autograd/reuse.ts) — come back here (allocate.ts release) and the next
 * allocation of the same byte length takes them, zeroed, instead of a new
 * ArrayBuffer.
 *
 * Only buffers born in `allocate` (tracked in a WeakSet) are taken back, so a
 * TypedArray that user code passed in is never reused behind its back. Per
 * thread: each isolate loads its own copy of this module.
 * TORCHLET_BUFFER_REUSE=0 turns reuse off (every storage a new ArrayBuffer).
 */

/** At most this many bytes wait in the pool; a buffer beyond it is left to the GC. */
const POOL_MAX_BYTES = 64 * 1024 * 1024;
/** At most this many buffers of one length (a step needs one or two of each). */
const POOL_MAX_PER_SIZE = 4;

const enabled = typeof process === 'undefined' || process.env.TORCHLET_BUFFER_REUSE !== '0';
const pool = new Map<number, ArrayBuffer[]>();
const ours = new WeakSet<ArrayBuffer>();
let pooledBytes = 0;

/**
 * A zeroed ArrayBuffer of `bytes`, reused from the pool when one of that
 * length waits there. With `zeroed` false a reused buffer keeps a dead
 * tensor's contents: for a kernel output that every element of is written
 * (zeroing a convolution's 9 MB output costs about a millisecond).
 */
export function takeBuffer(bytes: number, zeroed = true): ArrayBuffer {
  const list = pool.get(bytes);
  if (list !== undefined && list.length > 0) {
    const buffer = list.pop() as ArrayBuffer;
    pooledBytes -= bytes;
    if (zeroed) new Uint8Array(buffer).fill(0);
    return buffer;
  }
  const buffer = new ArrayBuffer(bytes);
  ours.add(buffer);
  return buffer;
}

/**
 * Hands `buffer` back for reuse. The caller guarantees that nothing reachable
 * reads or writes it any more. Buffers not made by takeBuffer, detached ones
 * (transferred to another thread) and those over the pool's limits are ignored.
 */
export function giveBack(buffer: ArrayBuffer): void {
  const bytes = buffer.byteLength;
  if (!enabled || !ours.has(buffer) || bytes === 0 || pooledBytes + bytes > POOL_MAX_BYTES) return;
  let list = pool.get(bytes);
  if (list === undefined) {
    list = [];
    pool.set(bytes, list);
  }
  if (list.length >= POOL_MAX_PER_SIZE || list.includes(buffer)) return;
  list.push(buffer);
  pooledBytes += bytes;
}

/** Drops every pooled buffer (the GC frees them); returns how many bytes were pooled. */
export function clearPool(): number {
  const bytes = pooledBytes;
  pool.clear();
  pooledBytes = 0;
  return bytes;
}

/** Bytes waiting in the pool (for tests and diagnostics). */
export function pooledByteCount(): number {
  return pooledBytes;
}
