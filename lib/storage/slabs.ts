/**
 * Slabs: small storages are views into shared ArrayBuffers, handed out once
 * each (see allocate.ts for why).
 */
/** Storage of at most this many bytes is carved out of a shared slab (see allocate). */
export const SLAB_MAX_BYTES = 4096;
/** Offsets in a slab stay multiples of this (a Float64Array view needs 8). */
const SLAB_ALIGN = 16;

/**
 * Hands out never-reused, zeroed ranges of one ArrayBuffer at a time, taking a
 * fresh one when the current one is full. Per thread (each isolate loads its
 * own copy of this module).
 */
export class Slabs {
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
export const TINY_MAX_BYTES = 256;
export const tiny = new Slabs(4096);
export const medium = new Slabs(32768);

