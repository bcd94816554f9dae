/**
 * Every way a safetensors file can be wrong gets a SafetensorsError whose
 * message names the problem — never another exception, never a big allocation.
 */
import { describe, it, expect } from 'vitest';
import { deserialize, SafetensorsError } from '../../lib/io';
import { craft, entry } from './craft';

function rejects(buf: Uint8Array, message: RegExp): void {
  let caught: unknown;
  try {
    deserialize(buf);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SafetensorsError);
  expect((caught as Error).message).toMatch(message);
}

const f32 = (shape: number[], begin: number, end: number) => entry('F32', shape, begin, end);

describe('deserialize rejects malformed files', () => {
  it('a valid baseline parses', () => {
    expect(Object.keys(deserialize(craft({ a: f32([2], 0, 8) }, 8)).tensors)).toEqual(['a']);
  });

  it('a file shorter than 8 bytes', () => {
    for (const n of [0, 1, 7]) rejects(Buffer.alloc(n), /shorter than the 8-byte header length prefix/);
  });

  it('a header length beyond the file', () => {
    const buf = craft({}, 0);
    buf.writeBigUInt64LE(BigInt(buf.length), 0);
    rejects(buf, /runs past the end of the 16-byte file/);
    buf.writeBigUInt64LE(0xffffffffffffffffn, 0);
    rejects(buf, /above the 100000000-byte limit/);
  });

  it('a header length above 100 MB even if the file were that long', () => {
    const buf = Buffer.alloc(16);
    buf.writeBigUInt64LE(100_000_001n, 0);
    rejects(buf, /header length 100000001 is above the 100000000-byte limit/);
  });

  it('invalid UTF-8 in the header', () => {
    const buf = craft('{"a":"xx"}', 0);
    buf[14] = 0xff;
    rejects(buf, /header is not valid UTF-8/);
    const overlong = craft('{"a":"xx"}', 0);
    overlong[14] = 0xc0; // overlong encoding of '/'
    overlong[15] = 0xaf;
    rejects(overlong, /header is not valid UTF-8/);
  });

  it('invalid JSON', () => {
    rejects(craft('{"a": ', 0), /header is not valid JSON/);
    rejects(craft('', 0, false), /header is not valid JSON/);
  });

  it('a header that is not an object', () => {
    rejects(craft([], 0), /header must be a JSON object, got an array/);
    rejects(craft('null', 0), /header must be a JSON object, got null/);
    rejects(craft('42', 0), /header must be a JSON object, got number 42/);
    rejects(craft('"x"', 0), /header must be a JSON object, got string "x"/);
  });

  it('unknown dtypes', () => {
    rejects(craft({ a: entry('F31', [1], 0, 4) }, 4), /tensor "a": unknown dtype "F31"/);
    rejects(craft({ a: entry('f32', [1], 0, 4) }, 4), /unknown dtype "f32"/);
  });

  it('defined dtypes torchlet does not support', () => {
    rejects(craft({ h: entry('F16', [2], 0, 4) }, 4), /tensor "h": dtype F16 is not supported by torchlet \(supported: F32, F64, I32/);
    for (const [dtype, size] of [['BF16', 2], ['F8_E4M3', 1], ['F8_E5M2', 1], ['C64', 8]] as const) {
      rejects(craft({ t: entry(dtype, [2], 0, 2 * size) }, 2 * size), new RegExp(`dtype ${dtype} is not supported by torchlet`));
    }
  });

  it('missing fields', () => {
    rejects(craft({ a: { shape: [1], data_offsets: [0, 4] } }, 4), /tensor "a": dtype must be a string, got nothing/);
    rejects(craft({ a: { dtype: 'F32', data_offsets: [0, 4] } }, 4), /tensor "a": shape must be an array of integers, got nothing/);
    rejects(craft({ a: { dtype: 'F32', shape: [1] } }, 4), /tensor "a": data_offsets must be an array \[begin, end\], got nothing/);
  });

  it('ill-typed fields', () => {
    rejects(craft({ a: 'F32' }, 4), /tensor "a" must be an object with dtype, shape and data_offsets, got string "F32"/);
    rejects(craft({ a: { dtype: 32, shape: [1], data_offsets: [0, 4] } }, 4), /dtype must be a string, got number 32/);
    rejects(craft({ a: { dtype: 'F32', shape: '1', data_offsets: [0, 4] } }, 4), /shape must be an array of integers/);
    rejects(craft({ a: { dtype: 'F32', shape: ['1'], data_offsets: [0, 4] } }, 4), /shape\[0\] must be a non-negative integer, got "1"/);
    rejects(craft({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, 4), /data_offsets must be an array \[begin, end\], got \[0\]/);
    rejects(craft({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4, 8] } }, 4), /data_offsets must be an array \[begin, end\]/);
    rejects(craft({ a: { dtype: 'F32', shape: [1], data_offsets: ['0', 4] } }, 4), /data_offsets must be non-negative integers/);
    rejects(craft({ a: { dtype: 'F32', shape: [1], data_offsets: { 0: 0, 1: 4 } } }, 4), /data_offsets must be an array/);
  });

  it('negative or non-integer shapes', () => {
    rejects(craft({ a: f32([-1], 0, 4) }, 4), /shape\[0\] must be a non-negative integer, got -1/);
    rejects(craft({ a: f32([1.5], 0, 6) }, 6), /shape\[0\] must be a non-negative integer, got 1.5/);
    rejects(craft('{"a":{"dtype":"F32","shape":[1e300],"data_offsets":[0,4]}}', 4), /shape\[0\] must be a non-negative integer/);
  });

  it('shapes whose element count overflows', () => {
    rejects(craft({ a: f32([2 ** 30, 2 ** 30, 2 ** 30], 0, 4) }, 4), /has too many elements/);
  });

  it('negative or non-integer offsets', () => {
    rejects(craft({ a: f32([1], -4, 0) }, 4), /data_offsets must be non-negative integers, got \[-4,0\]/);
    rejects(craft({ a: f32([1], 0.5, 4.5) }, 5), /data_offsets must be non-negative integers/);
    rejects(craft({ a: f32([1], 4, 0) }, 4), /data_offsets \[4, 0\] end before they begin/);
    rejects(craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551616]}}', 4), /data_offsets must be non-negative integers/);
  });

  it('overlapping tensors', () => {
    rejects(craft({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12), /tensor "b" overlaps the previous tensor: it begins at byte 4, before byte 8/);
    rejects(craft({ a: f32([2], 0, 8), b: f32([2], 0, 8) }, 8), /overlaps/);
  });

  it('holes in the data buffer', () => {
    rejects(craft({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, 12), /data buffer has a hole: bytes 4..8 belong to no tensor \(next is "b"\)/);
    rejects(craft({ a: f32([1], 4, 8) }, 8), /hole: bytes 0..4/);
  });

  it('trailing bytes no tensor covers', () => {
    rejects(craft({ a: f32([1], 0, 4) }, 6), /tensors cover 4 bytes but the data buffer after the header has 6/);
    rejects(craft({}, 3), /tensors cover 0 bytes but the data buffer after the header has 3/);
  });

  it('offsets past the end of the buffer', () => {
    rejects(craft({ a: f32([2], 0, 8) }, 4), /tensor "a": data_offsets \[0, 8\] run past the end of the 4-byte data buffer/);
  });

  it('sizes that do not match shape × dtype size', () => {
    rejects(craft({ a: f32([2, 2], 0, 12) }, 12), /tensor "a": data_offsets \[0, 12\] span 12 bytes but shape \[2,2\] of F32 needs 16/);
    rejects(craft({ a: entry('F64', [2], 0, 8) }, 8), /span 8 bytes but shape \[2\] of F64 needs 16/);
    rejects(craft({ a: f32([1 << 20, 1 << 20], 0, 4) }, 4), /needs 4398046511104/); // checked before any allocation
  });

  it('non-string metadata values and non-object metadata', () => {
    rejects(craft({ __metadata__: { epoch: 3 } }, 0), /__metadata__ value of "epoch" must be a string, got number 3/);
    rejects(craft({ __metadata__: { a: null } }, 0), /__metadata__ value of "a" must be a string, got null/);
    rejects(craft({ __metadata__: { a: { b: 'c' } } }, 0), /must be a string, got an object/);
    rejects(craft({ __metadata__: 'x' }, 0), /__metadata__ must be an object of strings, got string "x"/);
    rejects(craft({ __metadata__: ['x'] }, 0), /__metadata__ must be an object of strings, got an array/);
  });

  it('duplicate keys', () => {
    rejects(craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4),
      /header has the key "a" more than once/);
    rejects(craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\\u0061":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4),
      /key "a" more than once/);
    rejects(craft('{"__metadata__":{"k":"1","k":"2"}}', 0), /key "k" more than once/);
    rejects(craft('{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4), /key "dtype" more than once/);
    // Equal strings as values or in arrays are not keys.
    expect(deserialize(craft('{"__metadata__":{"x":"a","y":"a","a":"[\\"a\\",\\"a\\"]"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4)).metadata.x).toBe('a');
  });

  it('out-of-range integer conversions and invalid BOOL bytes', () => {
    const i64 = new BigInt64Array([1n, 2n ** 31n]);
    rejects(craft({ a: entry('I64', [2], 0, 16) }, new Uint8Array(i64.buffer)), /tensor "a": I64 value 2147483648 at element 1 does not fit in int32/);
    const neg = new BigInt64Array([-(2n ** 31n) - 1n]);
    rejects(craft({ a: entry('I64', [1], 0, 8) }, new Uint8Array(neg.buffer)), /I64 value -2147483649 at element 0 does not fit/);
    const u64 = new BigUint64Array([2n ** 63n]);
    rejects(craft({ a: entry('U64', [1], 0, 8) }, new Uint8Array(u64.buffer)), /U64 value 9223372036854775808 at element 0/);
    rejects(craft({ a: entry('U32', [1], 0, 4) }, new Uint8Array(new Uint32Array([2 ** 31]).buffer)), /U32 value 2147483648/);
    rejects(craft({ b: entry('BOOL', [3], 0, 3) }, new Uint8Array([0, 1, 2])), /tensor "b": BOOL byte 2 at element 2 is neither 0 nor 1/);
  });

  it('refuses an unsupported dtype before allocating the other tensors', () => {
    rejects(craft({ a: f32([1], 0, 4), z: entry('BF16', [1], 4, 6) }, 6), /dtype BF16 is not supported/);
  });
});
