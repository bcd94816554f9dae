/**
 * Reading a safetensors header: the 8-byte length prefix and the JSON that
 * follows, checked completely (types, dtypes, shapes, offsets that tile the
 * data buffer exactly) before any tensor storage is allocated.
 */
import { isKnownDType, SAFETENSORS_DTYPE_BITS } from './dtypes';
import { SafetensorsError } from './errors';
import { setOwn } from '../records';
import { findDuplicateKey } from './json-duplicates';

/** Headers above this size are refused (safetensors' own limit). */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor of a validated header. */
export interface TensorEntry {
  name: string;
  /** safetensors dtype name, e.g. 'F32'. */
  dtype: string;
  shape: number[];
  numel: number;
  /** Byte range in the data buffer (after the header). */
  begin: number;
  end: number;
}

/** A validated header: tensors in data order, and the metadata. */
export interface Layout {
  entries: TensorEntry[];
  metadata: Record<string, string>;
}

/**
 * Reads the header length from the first 8 bytes and checks it against the
 * total size. Returns N, the JSON header's byte length.
 */
export function readHeaderLength(prefix: Uint8Array, totalBytes: number): number {
  if (totalBytes < 8 || prefix.length < 8) throw new SafetensorsError(`file is ${totalBytes} bytes, shorter than the 8-byte header length prefix`);
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw new SafetensorsError(`header length ${n} is above the ${MAX_HEADER_BYTES}-byte limit`);
  if (n + 8n > BigInt(totalBytes)) throw new SafetensorsError(`header length ${n} runs past the end of the ${totalBytes}-byte file`);
  return Number(n);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Parses and validates the JSON header against a data buffer of `dataBytes` bytes. */
export function parseHeader(headerBytes: Uint8Array, dataBytes: number): Layout {
  let text: string;
  try {
    text = UTF8.decode(headerBytes);
  } catch {
    throw new SafetensorsError('header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsError(`header is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(json)) throw new SafetensorsError(`header must be a JSON object, got ${kindOf(json)}`);
  const duplicate = findDuplicateKey(text);
  if (duplicate !== null) throw new SafetensorsError(`header has the key ${JSON.stringify(duplicate)} more than once`);

  let metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') metadata = checkMetadata(value);
    else entries.push(checkEntry(name, value, dataBytes));
  }
  // Tile the data buffer: sorted by offset, each tensor starts where the previous ended.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of entries) {
    if (e.begin > expected) throw new SafetensorsError(`data buffer has a hole: bytes ${expected}..${e.begin} belong to no tensor (next is ${JSON.stringify(e.name)})`);
    if (e.begin < expected) throw new SafetensorsError(`tensor ${JSON.stringify(e.name)} overlaps the previous tensor: it begins at byte ${e.begin}, before byte ${expected}`);
    expected = e.end;
  }
  if (expected !== dataBytes) {
    throw new SafetensorsError(`tensors cover ${expected} bytes but the data buffer after the header has ${dataBytes}`);
  }
  return { entries, metadata };
}

function checkMetadata(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) throw new SafetensorsError(`__metadata__ must be an object of strings, got ${kindOf(value)}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new SafetensorsError(`__metadata__ value of ${JSON.stringify(k)} must be a string, got ${kindOf(v)}`);
    setOwn(out, k, v);
  }
  return out;
}

function checkEntry(name: string, value: unknown, dataBytes: number): TensorEntry {
  const where = `tensor ${JSON.stringify(name)}`;
  if (!isPlainObject(value)) throw new SafetensorsError(`${where} must be an object with dtype, shape and data_offsets, got ${kindOf(value)}`);
  const { dtype, shape, data_offsets: offsets } = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof dtype !== 'string') throw new SafetensorsError(`${where}: dtype must be a string, got ${kindOf(dtype)}`);
  if (!isKnownDType(dtype)) throw new SafetensorsError(`${where}: unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape)) throw new SafetensorsError(`${where}: shape must be an array of integers, got ${kindOf(shape)}`);
  let numel = 1;
  shape.forEach((d: unknown, i) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new SafetensorsError(`${where}: shape[${i}] must be a non-negative integer, got ${JSON.stringify(d)}`);
    }
    numel *= d;
    if (!Number.isSafeInteger(numel)) throw new SafetensorsError(`${where}: shape ${JSON.stringify(shape)} has too many elements`);
  });
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    throw new SafetensorsError(`${where}: data_offsets must be an array [begin, end], got ${JSON.stringify(offsets) ?? 'nothing'}`);
  }
  const [begin, end] = offsets as unknown[];
  for (const o of [begin, end]) {
    if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) {
      throw new SafetensorsError(`${where}: data_offsets must be non-negative integers, got ${JSON.stringify(offsets)}`);
    }
  }
  const b = begin as number;
  const e = end as number;
  if (e < b) throw new SafetensorsError(`${where}: data_offsets [${b}, ${e}] end before they begin`);
  if (e > dataBytes) throw new SafetensorsError(`${where}: data_offsets [${b}, ${e}] run past the end of the ${dataBytes}-byte data buffer`);
  const bits = SAFETENSORS_DTYPE_BITS[dtype];
  const needed = (numel * bits) / 8; // may round only far above any real file size, so it cannot falsely match
  if (needed !== e - b) {
    throw new SafetensorsError(`${where}: data_offsets [${b}, ${e}] span ${e - b} bytes but shape ${JSON.stringify(shape)} of ${dtype} needs ${needed}`);
  }
  return { name, dtype, shape: shape as number[], numel, begin: b, end: e };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v === undefined) return 'nothing';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}
