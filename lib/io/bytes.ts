/**
 * Moving tensor data between little-endian file bytes and torchlet storage.
 * Decoding always copies into freshly allocated, aligned storage (never a view
 * of the file buffer, whose byteOffset need not be a multiple of 4 or 8).
 */
import type { Num } from '../backend/kernels';
import type { DType } from '../dtype';
import { allocate } from '../storage/allocate';
import { SafetensorsError } from './errors';

/** True on little-endian hosts (every platform Node ships for today). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The little-endian bytes of a storage array: a view on little-endian hosts, a swapped copy otherwise. */
export function littleEndianBytes(data: Num): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return HOST_LITTLE_ENDIAN ? bytes : swapped(bytes, data.BYTES_PER_ELEMENT);
}

/** The file bytes of a placed tensor: its storage, or for I64 its int32 values widened to int64. */
export function fileBytes(data: Num, dtype: string): Uint8Array {
  if (dtype !== 'I64') return littleEndianBytes(data);
  const wide = BigInt64Array.from(data as Int32Array, (v) => BigInt(v));
  const bytes = new Uint8Array(wide.buffer);
  return HOST_LITTLE_ENDIAN ? bytes : swapped(bytes, 8);
}

function swapped(bytes: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) {
    for (let j = 0; j < width; j++) out[i + j] = bytes[i + width - 1 - j];
  }
  return out;
}

/**
 * Decodes `bytes` (exactly numel × element size, already validated) of
 * safetensors dtype `st` into new storage of torchlet dtype `dtype`.
 * Integer conversions to int32 check every value and throw SafetensorsError
 * naming tensor `name` when one does not fit.
 */
export function decode(bytes: Uint8Array, st: string, dtype: DType, numel: number, name: string): Num {
  const out = allocate(dtype, numel);
  if (st === 'F32' || st === 'F64' || st === 'I32') {
    const target = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    target.set(HOST_LITTLE_ENDIAN ? bytes : swapped(bytes, out.BYTES_PER_ELEMENT));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tooBig = (i: number, v: string): SafetensorsError =>
    new SafetensorsError(`tensor ${JSON.stringify(name)}: ${st} value ${v} at element ${i} does not fit in int32 (torchlet reads ${st} as int32)`);
  for (let i = 0; i < numel; i++) {
    let v: number;
    switch (st) {
      case 'I64': case 'U64': {
        const lo = view.getInt32(8 * i, true);
        const hi = view.getInt32(8 * i + 4, true);
        if (hi !== lo >> 31 || (st === 'U64' && lo < 0)) throw tooBig(i, (st === 'I64' ? view.getBigInt64(8 * i, true) : view.getBigUint64(8 * i, true)).toString());
        v = lo;
        break;
      }
      case 'U32': v = view.getUint32(4 * i, true); if (v > 0x7fffffff) throw tooBig(i, String(v)); break;
      case 'I16': v = view.getInt16(2 * i, true); break;
      case 'U16': v = view.getUint16(2 * i, true); break;
      case 'I8': v = view.getInt8(i); break;
      case 'U8': v = view.getUint8(i); break;
      case 'BOOL':
        v = view.getUint8(i);
        if (v > 1) throw new SafetensorsError(`tensor ${JSON.stringify(name)}: BOOL byte ${v} at element ${i} is neither 0 nor 1`);
        break;
      default: throw new SafetensorsError(`tensor ${JSON.stringify(name)}: cannot convert ${st}`);
    }
    out[i] = v;
  }
  return out;
}
