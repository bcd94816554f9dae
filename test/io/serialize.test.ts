/** serialize / deserialize: round trips, the exact byte layout, conversions. */
import { describe, it, expect } from 'vitest';
import * as torch from '../../lib';
import { Tensor } from '../../lib';
import { deserialize, serialize, SafetensorsError } from '../../lib/io';
import { craft, entry } from './craft';

function headerOf(buf: Buffer): { n: number; json: Record<string, unknown>; text: string } {
  const n = Number(buf.readBigUInt64LE(0));
  const text = buf.subarray(8, 8 + n).toString('utf8');
  return { n, json: JSON.parse(text) as Record<string, unknown>, text };
}

function sample(): Record<string, Tensor> {
  torch.manualSeed(7);
  return {
    'b.weight': torch.randn(3, 5),
    'a.bias': torch.randn(5),
    'c.double': torch.randn([2, 3], { dtype: 'float64' }),
    'idx': torch.tensor([1, -2, 2147483647, -2147483648], { dtype: 'int32' }),
    'scalar': torch.tensor(3.5),
    'empty': torch.zeros(0, 4),
  };
}

describe('serialize / deserialize', () => {
  it('round-trips float32, float64 and int32 bit-exactly, with shapes and metadata', () => {
    const sd = sample();
    sd['a.bias'].data[0] = NaN;
    sd['a.bias'].data[1] = -0;
    sd['a.bias'].data[2] = Infinity;
    const { tensors, metadata } = deserialize(serialize(sd, { epoch: '3', note: 'héllo ✓' }));
    expect(metadata).toEqual({ epoch: '3', note: 'héllo ✓' });
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(sd).sort());
    for (const [k, t] of Object.entries(sd)) {
      expect(tensors[k].dtype).toBe(t.dtype);
      expect(tensors[k].shape).toEqual(t.shape);
      expect(Buffer.from(tensors[k].data.buffer, tensors[k].data.byteOffset, tensors[k].data.byteLength))
        .toEqual(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    }
    expect(Object.is(tensors['a.bias'].data[1], -0)).toBe(true);
  });

  it('lays out the header exactly: u64 length, JSON padded with spaces to 8, contiguous offsets', () => {
    const buf = serialize(sample(), { k: 'v' });
    const { n, json, text } = headerOf(buf);
    expect(n % 8).toBe(0);
    expect(text).toMatch(/^\{"__metadata__":\{"k":"v"\},/);
    expect(text.trimEnd().length).toBeGreaterThan(n - 8);
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    const names = Object.keys(json).filter((k) => k !== '__metadata__');
    // F64 first, then F32/I32 by name (safetensors' own writer order).
    expect(names).toEqual(['c.double', 'a.bias', 'b.weight', 'empty', 'scalar', 'idx']);
    let offset = 0;
    for (const name of names) {
      const e = json[name] as { data_offsets: [number, number] };
      expect(e.data_offsets[0]).toBe(offset);
      offset = e.data_offsets[1];
    }
    expect(8 + n + offset).toBe(buf.length);
    expect(json.scalar).toEqual({ dtype: 'F32', shape: [], data_offsets: [offset - 16 - 4, offset - 16] });
    expect(json.idx).toEqual({ dtype: 'I32', shape: [4], data_offsets: [offset - 16, offset] });
  });

  it('is deterministic whatever the insertion order; Map input equals the record', () => {
    const sd = sample();
    const reversed = Object.fromEntries(Object.entries(sd).reverse());
    expect(serialize(reversed)).toEqual(serialize(sd));
    expect(serialize(new Map(Object.entries(sd)))).toEqual(serialize(sd));
  });

  it('returns tensors in file (data) order', () => {
    const { tensors } = deserialize(serialize(sample()));
    expect(Object.keys(tensors)).toEqual(['c.double', 'a.bias', 'b.weight', 'empty', 'scalar', 'idx']);
  });

  it('writes no __metadata__ when there is none, and reads it as {}', () => {
    const buf = serialize({ x: torch.ones(2) });
    expect(headerOf(buf).text.trimEnd()).toBe('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
    expect(deserialize(buf).metadata).toEqual({});
    expect(deserialize(serialize({})).tensors).toEqual({});
    expect(serialize({}).length).toBe(16);
  });

  it('copies into fresh, aligned storage that does not alias the input buffer', () => {
    const inner = serialize({ a: torch.tensor([1, 2, 3], { dtype: 'float64' }), b: torch.ones(3) });
    const shifted = Buffer.alloc(inner.length + 3);
    inner.copy(shifted, 3);
    const view = shifted.subarray(3); // tensor data at odd byte offsets
    const { tensors } = deserialize(view);
    expect(Array.from(tensors.a.data)).toEqual([1, 2, 3]);
    for (const t of Object.values(tensors)) {
      expect(t.data.buffer).not.toBe(shifted.buffer);
      expect(t.data.byteOffset % 8).toBe(0);
    }
    view.fill(0);
    expect(Array.from(tensors.a.data)).toEqual([1, 2, 3]);
  });

  it('keeps odd names as own keys ("__proto__", unicode, integer-like)', () => {
    const sd: Record<string, Tensor> = {};
    Object.defineProperty(sd, '__proto__', { value: torch.ones(1), enumerable: true });
    sd['ünï ✓'] = torch.zeros(1);
    sd['0'] = torch.full([1], 2);
    const { tensors } = deserialize(serialize(sd));
    expect(Object.prototype.hasOwnProperty.call(tensors, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(tensors['ünï ✓'].item()).toBe(0);
    expect(tensors['0'].item()).toBe(2);
  });

  it('reads integer dtypes into int32 (I64 range-checked, BOOL, U8, I8, I16, U16, U32)', () => {
    const cases: [string, ArrayBufferView, number[]][] = [
      ['I64', new BigInt64Array([0n, -1n, 2147483647n, -2147483648n]), [0, -1, 2147483647, -2147483648]],
      ['U64', new BigUint64Array([0n, 2147483647n]), [0, 2147483647]],
      ['U32', new Uint32Array([0, 2147483647]), [0, 2147483647]],
      ['I16', new Int16Array([-32768, 32767]), [-32768, 32767]],
      ['U16', new Uint16Array([0, 65535]), [0, 65535]],
      ['I8', new Int8Array([-128, 127]), [-128, 127]],
      ['U8', new Uint8Array([0, 255]), [0, 255]],
      ['BOOL', new Uint8Array([1, 0]), [1, 0]],
    ];
    for (const [dtype, arr, expected] of cases) {
      const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
      const t = deserialize(craft({ t: entry(dtype, [expected.length], 0, bytes.length) }, bytes)).tensors.t;
      expect(t.dtype, dtype).toBe('int32');
      expect(Array.from(t.data), dtype).toEqual(expected);
    }
  });

  it('accepts an unpadded header and entries in any header order', () => {
    const data = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    const { tensors } = deserialize(craft({ z: entry('F32', [2], 4, 12), y: entry('F32', [1], 0, 4) }, data, false));
    expect(Object.keys(tensors)).toEqual(['y', 'z']);
    expect(Array.from(tensors.z.data)).toEqual([2, 3]);
  });

  it('refuses bad arguments with TypeError/RangeError', () => {
    expect(() => serialize(null as unknown as Record<string, Tensor>)).toThrow(TypeError);
    expect(() => serialize({ a: [1, 2] as unknown as Tensor })).toThrow(/the value of "a" is not a Tensor/);
    expect(() => serialize({ __metadata__: torch.ones(1) })).toThrow(/"__metadata__" is reserved/);
    expect(() => serialize({}, { epoch: 3 as unknown as string })).toThrow(/metadata value of "epoch" must be a string/);
    expect(() => deserialize('abc' as unknown as Buffer)).toThrow(TypeError);
  });

  it('SafetensorsError is an Error with its own name', () => {
    const e = new SafetensorsError('x');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('SafetensorsError');
    expect(e.message).toBe('safetensors: x');
  });
});
