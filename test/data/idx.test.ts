/** The IDX reader: round trips of every type, gzip, and clear errors for corrupt or truncated files. */
import { it, expect, describe } from 'vitest';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as torch from '../../lib';
import * as data from '../../lib/data';

/** An IDX header: type code, dims. */
function header(code: number, dims: number[]): Uint8Array {
  const b = new Uint8Array(4 + 4 * dims.length);
  b[2] = code;
  b[3] = dims.length;
  const v = new DataView(b.buffer);
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  return b;
}

describe('IDX format', () => {
  it('reads MNIST-style ubyte images: magic 0x00000803, big-endian dims', () => {
    const bytes = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const t = data.readIdx(bytes);
    expect(t.shape).toEqual([2, 2, 3]);
    expect(t.dtype).toBe('int32');
    expect(t.toArray()).toEqual([[[0, 1, 2], [3, 4, 5]], [[250, 251, 252], [253, 254, 255]]]);
    const labels = data.readIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 5, 0, 4]));
    expect(labels.toArray()).toEqual([5, 0, 4]);
  });

  it('round-trips every type through writeIdx, plain and gzipped, and from a file', async () => {
    const ints = torch.tensor([[-3, 0, 7], [100, -128, 127]], { dtype: 'int32' });
    for (const type of ['byte', 'short', 'int'] as const) {
      expect(data.readIdx(data.writeIdx(ints, { type })).toArray()).toEqual(ints.toArray());
    }
    const pixels = torch.tensor([0, 17, 255], { dtype: 'int32' });
    expect(data.readIdx(data.writeIdx(pixels, { type: 'ubyte' })).toArray()).toEqual([0, 17, 255]);
    const f32 = torch.tensor([[1.5, -2.25], [3e-8, 1e30]]);
    const r32 = data.readIdx(data.writeIdx(f32));
    expect(r32.dtype).toBe('float32');
    expect(r32.toArray()).toEqual(f32.toArray());
    const f64 = torch.tensor([Math.PI, -1e-300], { dtype: 'float64' });
    expect(data.readIdx(data.writeIdx(f64)).toArray()).toEqual([Math.PI, -1e-300]);
    expect(data.readIdx(gzipSync(data.writeIdx(f32))).toArray()).toEqual(f32.toArray());
    const dir = mkdtempSync(path.join(tmpdir(), 'torchlet-idx-'));
    const file = path.join(dir, 'x-idx2-float.gz');
    writeFileSync(file, gzipSync(data.writeIdx(f32)));
    expect((await data.loadIdx(file)).toArray()).toEqual(f32.toArray());
    await expect(data.loadIdx(path.join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
    expect(data.readIdx(data.writeIdx(torch.zeros(0, 3))).shape).toEqual([0, 3]);
  });

  it('gives clear errors for corrupt and truncated data, without allocating what the header claims', () => {
    expect(() => data.readIdx(new Uint8Array([0, 0]))).toThrow(/truncated IDX data: 2 bytes/);
    expect(() => data.readIdx(new Uint8Array([1, 0, 8, 1]))).toThrow(/not an IDX file: the magic number must start with two zero bytes, got 0x01 0x00/);
    expect(() => data.readIdx(new Uint8Array([0, 0, 7, 1, 0, 0, 0, 0]))).toThrow(/unknown IDX type code 0x07/);
    expect(() => data.readIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1]))).toThrow(/truncated IDX header: 3 dims need 16 bytes, the data has 8/);
    // A header claiming 60000×28×28 with only 10 bytes of data: an error, not a 47 MB allocation.
    const big = new Uint8Array([...header(8, [60000, 28, 28]), ...new Uint8Array(10)]);
    expect(() => data.readIdx(big)).toThrow(/truncated IDX data: shape \[60000, 28, 28\] of ubyte needs 47040000 bytes after the header, the data has 10/);
    // Dims whose product overflows 32 bits, and a header with 255 huge dims.
    expect(() => data.readIdx(header(0x0e, [0xffffffff, 0xffffffff]))).toThrow(/truncated IDX data/);
    expect(() => data.readIdx(header(8, new Array(255).fill(0xffffffff)))).toThrow(/truncated IDX data/);
    const extra = new Uint8Array([...header(8, [2]), 1, 2, 3]);
    expect(() => data.readIdx(extra)).toThrow(/1 bytes more than shape \[2\] of ubyte needs \(2\)/);
    const truncatedFloats = new Uint8Array([...header(0x0d, [2]), 0, 0, 0, 0, 0, 0]);
    expect(() => data.readIdx(truncatedFloats)).toThrow(/needs 8 bytes after the header, the data has 6/);
    expect(() => data.readIdx(new Uint8Array([0x1f, 0x8b, 1, 2, 3]))).toThrow(/gzip-compressed but cannot be decompressed/);
    expect(() => data.readIdx('nope' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => data.writeIdx(torch.tensor([256], { dtype: 'int32' }), { type: 'ubyte' })).toThrow(/does not fit IDX type ubyte/);
    expect(() => data.writeIdx(torch.tensor([0.5]), { type: 'int' })).toThrow(/does not fit/);
  });
});
