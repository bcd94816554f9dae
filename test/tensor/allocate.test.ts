// lib/storage/allocate.ts allocate(): small storages are windows into shared slabs; every
// storage must still be zeroed, private to its tensor and aligned for its type.
import { describe, expect, it } from 'vitest';
import * as torch from '../../lib';
import { allocate } from '../../lib/storage/allocate';
import { SLAB_MAX_BYTES } from '../../lib/storage/slabs';

describe('allocate', () => {
  it('hands out zeroed, disjoint, aligned windows for small storages', () => {
    const got = [];
    for (let i = 0; i < 2000; i++) {
      const dtype = (['float32', 'float64', 'int32'] as const)[i % 3];
      const n = 1 + (i % 37);
      const a = allocate(dtype, n);
      expect(a.length).toBe(n);
      expect(a.every((v) => v === 0)).toBe(true);
      expect(a.byteOffset % 16).toBe(0);
      a.fill(i + 1); // a later window must not see this
      got.push(a);
    }
    got.forEach((a, i) => expect(a.every((v) => v === i + 1), `window ${i}`).toBe(true));
  });

  it('gives larger storages their own ArrayBuffer, and empty ones none to share', () => {
    const big = allocate('float32', SLAB_MAX_BYTES / 4 + 1);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(big.byteLength);
    const edge = allocate('float32', SLAB_MAX_BYTES / 4);
    expect(edge.buffer.byteLength).toBeGreaterThan(edge.byteLength);
    expect(allocate('float64', 0).byteLength).toBe(0);
  });

  it('keeps small and medium storages in separate slabs (what a survivor can pin)', () => {
    expect(allocate('float32', 64).buffer.byteLength).toBe(4096); // 256 B
    expect(allocate('float32', 65).buffer.byteLength).toBe(32768);
    expect(allocate('float64', 512).buffer.byteLength).toBe(32768); // 4 KB
  });

  it('keeps kernels working on neighbouring windows (no overlap seen where there is none)', () => {
    const before = torch.getBackend();
    for (const backend of ['native', 'js'] as const) {
      torch.setBackend(backend);
      const a = torch.tensor([1, 2, 3]);
      const b = torch.tensor([10, 20, 30]);
      expect(a.data.buffer).toBe(b.data.buffer);
      expect(a.add(b).toArray()).toEqual([11, 22, 33]);
      a.add_(b);
      expect(a.toArray()).toEqual([11, 22, 33]);
      expect(b.toArray()).toEqual([10, 20, 30]);
    }
    torch.setBackend(before);
  });
});
