/**
 * Fuzzing the reader: 10,000 seeded mutations (byte flips, random bytes,
 * truncations, header-text edits) of a valid file. Each must either parse or
 * throw SafetensorsError — never any other exception.
 */
import { describe, it, expect } from 'vitest';
import * as torch from '../../lib';
import { deserialize, serialize, SafetensorsError } from '../../lib/io';

/** mulberry32: small seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('deserialize fuzz', () => {
  it('10,000 mutations give a parse or a SafetensorsError, nothing else', () => {
    torch.manualSeed(0);
    const base = serialize({
      '0.weight': torch.randn(4, 3), '0.bias': torch.randn(4),
      d: torch.randn([2], { dtype: 'float64' }), i: torch.tensor([1, 2, 3], { dtype: 'int32' }),
    }, { epoch: '12', note: 'x' });
    const n = Number(base.readBigUInt64LE(0));
    const digits = '0123456789-.e[]{},":FIU';
    const random = rng(20240601);
    const pick = (k: number): number => Math.floor(random() * k);
    const counts = { parsed: 0, rejected: 0 };
    for (let iter = 0; iter < 10_000; iter++) {
      let buf = Buffer.from(base);
      const kind = iter % 5;
      if (kind === 0) {
        for (let k = 1 + pick(3); k > 0; k--) buf[pick(buf.length)] ^= 1 << pick(8); // bit flips anywhere
      } else if (kind === 1) {
        buf[8 + pick(n)] = pick(256); // a random byte in the header
      } else if (kind === 2) {
        buf = buf.subarray(0, pick(buf.length)); // truncation
      } else if (kind === 3) {
        buf[8 + pick(n)] = digits.charCodeAt(pick(digits.length)); // plausible JSON edits
      } else {
        buf[pick(8)] = pick(256); // the length prefix
        if (random() < 0.5) buf = Buffer.concat([buf, Buffer.alloc(pick(64))]);
      }
      try {
        deserialize(buf);
        counts.parsed++;
      } catch (e) {
        if (!(e instanceof SafetensorsError)) throw new Error(`iteration ${iter} (kind ${kind}) threw ${String(e)}\n${(e as Error).stack}`);
        counts.rejected++;
      }
    }
    expect(counts.parsed + counts.rejected).toBe(10_000);
    expect(counts.parsed).toBeGreaterThan(100); // flips in the tensor data still parse
    expect(counts.rejected).toBeGreaterThan(5_000);
  });
});
