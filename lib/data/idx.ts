/**
 * The IDX format of the MNIST files (train-images-idx3-ubyte etc.): two zero
 * bytes, a type code, the number of dims, each dim as a big-endian uint32,
 * then the values big-endian. Every size is checked against the buffer before
 * anything is allocated, so a corrupt or truncated file gives an error that
 * says what is wrong, never a crash or a huge allocation.
 */
import { readFile } from 'fs/promises';
import { gunzipSync } from 'zlib';
import { Tensor } from '../tensor';
import { fmtShape } from '../shape';
import { defineOptions, rejectUnknownOptions } from '../options';
import type { DType } from '../dtype';

/** The value types IDX defines, by type code. */
const TYPES = {
  0x08: { name: 'ubyte', size: 1, dtype: 'int32' },
  0x09: { name: 'byte', size: 1, dtype: 'int32' },
  0x0b: { name: 'short', size: 2, dtype: 'int32' },
  0x0c: { name: 'int', size: 4, dtype: 'int32' },
  0x0d: { name: 'float', size: 4, dtype: 'float32' },
  0x0e: { name: 'double', size: 8, dtype: 'float64' },
} as const satisfies Record<number, { name: IdxType; size: number; dtype: DType }>;

type TypeCode = keyof typeof TYPES;

/** Name of an IDX value type, for `writeIdx`. */
export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

/** IDX files bigger than this are refused after gunzip (MNIST's largest is 47 MB). */
const MAX_BYTES = 2 ** 31 - 1;

/**
 * Parses an IDX file (optionally gzip-compressed, as MNIST is distributed).
 * Integer types give an int32 tensor (ubyte pixels stay 0..255; convert with
 * `.to('float32').div(255)`), float a float32 one and double a float64 one.
 *
 * @param buffer the bytes of an IDX file (gunzipped)
 * @returns the tensor it holds
 */
export function readIdx(buffer: Uint8Array): Tensor {
  if (!(buffer instanceof Uint8Array)) throw new TypeError('readIdx: expected a Buffer or Uint8Array');
  let bytes = buffer;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_BYTES });
    } catch (e) {
      throw new Error(`readIdx: the data looks gzip-compressed but cannot be decompressed (${(e as Error).message})`);
    }
  }
  if (bytes.length < 4) throw new RangeError(`readIdx: truncated IDX data: ${bytes.length} bytes, the header alone needs at least 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`readIdx: not an IDX file: the magic number must start with two zero bytes, got 0x${hex(bytes[0])} 0x${hex(bytes[1])}`);
  }
  const code = bytes[2];
  if (!(code in TYPES)) throw new Error(`readIdx: unknown IDX type code 0x${hex(code)}; expected 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float or 0x0E double`);
  const type = TYPES[code as TypeCode];
  const ndim = bytes[3];
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) throw new RangeError(`readIdx: truncated IDX header: ${ndim} dims need ${headerBytes} bytes, the data has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    count *= size; // exact in a double while it stays below 2^53; compared to the buffer next
  }
  const dataBytes = bytes.length - headerBytes;
  const expected = count * type.size;
  if (expected > dataBytes) {
    throw new RangeError(`readIdx: truncated IDX data: shape ${fmtShape(shape)} of ${type.name} needs ${Number.isSafeInteger(expected) ? expected : 'over 2^53'} bytes after the header, the data has ${dataBytes}`);
  }
  if (expected < dataBytes) {
    throw new RangeError(`readIdx: IDX data has ${dataBytes - expected} bytes more than shape ${fmtShape(shape)} of ${type.name} needs (${expected}); the header or the file is corrupt`);
  }
  const out = type.dtype === 'float64' ? new Float64Array(count) : type.dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
  const base = headerBytes;
  switch (type.name) {
    case 'ubyte': for (let i = 0; i < count; i++) out[i] = bytes[base + i]; break;
    case 'byte': for (let i = 0; i < count; i++) out[i] = view.getInt8(base + i); break;
    case 'short': for (let i = 0; i < count; i++) out[i] = view.getInt16(base + 2 * i, false); break;
    case 'int': for (let i = 0; i < count; i++) out[i] = view.getInt32(base + 4 * i, false); break;
    case 'float': for (let i = 0; i < count; i++) out[i] = view.getFloat32(base + 4 * i, false); break;
    case 'double': for (let i = 0; i < count; i++) out[i] = view.getFloat64(base + 8 * i, false); break;
  }
  return new Tensor(out, shape);
}

/**
 * Reads and parses an IDX file (plain or .gz), e.g. MNIST's `train-images-idx3-ubyte.gz`.
 *
 * @param path an IDX file, optionally .gz
 * @returns the tensor it holds
 */
export async function loadIdx(path: string): Promise<Tensor> {
  if (typeof path !== 'string') throw new TypeError('loadIdx: path must be a string');
  return readIdx(await readFile(path));
}

/** Options of writeIdx. */
export interface WriteIdxOptions {
  /** Value type to store (default: int for int32, float for float32, double for float64). */
  type?: IdxType;
}

const WRITE_IDX = defineOptions<WriteIdxOptions>('writeIdx', { type: true });

/**
 * Encodes a tensor as an IDX file (uncompressed). Values must fit the chosen type.
 *
 * @param t the tensor to encode
 * @param options `type`: the IDX value type
 * @returns the file's bytes
 */
export function writeIdx(t: Tensor, options: WriteIdxOptions = {}): Uint8Array {
  rejectUnknownOptions(options, WRITE_IDX);
  if (!(t instanceof Tensor)) throw new TypeError('writeIdx: expected a Tensor');
  const name = options.type ?? (t.dtype === 'int32' ? 'int' : t.dtype === 'float32' ? 'float' : 'double');
  const entry = Object.entries(TYPES).find(([, v]) => v.name === name);
  if (entry === undefined) throw new TypeError(`writeIdx: unknown IDX type ${JSON.stringify(name)}`);
  const [codeText, type] = entry;
  if (t.ndim > 255) throw new RangeError(`writeIdx: IDX stores at most 255 dims, got ${t.ndim}`);
  const n = t.numel();
  const header = 4 + 4 * t.ndim;
  const bytes = new Uint8Array(header + n * type.size);
  const view = new DataView(bytes.buffer);
  bytes[2] = Number(codeText);
  bytes[3] = t.ndim;
  t.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const data = t.data;
  const range: Partial<Record<IdxType, [number, number]>> = { ubyte: [0, 255], byte: [-128, 127], short: [-32768, 32767], int: [-(2 ** 31), 2 ** 31 - 1] };
  const bounds = range[type.name];
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (bounds !== undefined && !(Number.isInteger(v) && v >= bounds[0] && v <= bounds[1])) {
      throw new RangeError(`writeIdx: element ${i} (${v}) does not fit IDX type ${type.name}`);
    }
    const at = header + i * type.size;
    switch (type.name) {
      case 'ubyte': bytes[at] = v; break;
      case 'byte': view.setInt8(at, v); break;
      case 'short': view.setInt16(at, v, false); break;
      case 'int': view.setInt32(at, v, false); break;
      case 'float': view.setFloat32(at, v, false); break;
      case 'double': view.setFloat64(at, v, false); break;
    }
  }
  return bytes;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0').toUpperCase();
}
