/**
 * Writing side: checks a state dict and metadata, fixes the order of the
 * tensors in the file, and builds the header bytes.
 *
 * Order: safetensors' own writer's — by dtype in its enum's descending order
 * (I64, F64, F32, I32), then by name, comparing UTF-8 bytes. The header JSON
 * lists `__metadata__` first, then the tensors in that same order, and is
 * padded with spaces to a multiple of 8 bytes so the data starts aligned.
 */
import { Tensor } from '../tensor';
import { safetensorsDType, writeRank, type WrittenDType } from './dtypes';
import { isMarkedInt64 } from './int64';
import { MAX_HEADER_BYTES } from './header';

/** What `save` / `serialize` accept: `Module.stateDict()`'s record, or a Map. */
export type TensorDict = Record<string, Tensor> | Map<string, Tensor>;

/** The string → string metadata stored in the header's `__metadata__`. */
export type Metadata = Record<string, string>;

/** One tensor placed in the data buffer. */
export interface Placed {
  name: string;
  tensor: Tensor;
  dtype: WrittenDType;
  begin: number;
  end: number;
}

/** A file ready to be written: header bytes (length prefix included) and the tensors in data order. */
export interface Plan {
  header: Buffer;
  tensors: Placed[];
  /** Total file size in bytes. */
  size: number;
}

/**
 * Validates the inputs and lays the tensors out. Reads only shapes and dtypes,
 * never tensor data. Throws TypeError/RangeError for bad arguments.
 */
export function plan(dict: TensorDict, metadata: Metadata | undefined, where: string): Plan {
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) {
    throw new TypeError(`${where}: expected a state dict (an object or Map of name → Tensor), got ${dict === null ? 'null' : Array.isArray(dict) ? 'an array' : typeof dict}`);
  }
  const items: { name: string; tensor: Tensor; dtype: WrittenDType; key: Buffer }[] = [];
  for (const [name, tensor] of dict instanceof Map ? dict : Object.entries(dict)) {
    if (typeof name !== 'string') throw new TypeError(`${where}: tensor names must be strings, got ${typeof name}`);
    if (name === '__metadata__') throw new RangeError(`${where}: "__metadata__" is reserved by the format and cannot name a tensor`);
    if (!(tensor instanceof Tensor)) throw new TypeError(`${where}: the value of ${JSON.stringify(name)} is not a Tensor`);
    const dtype = isMarkedInt64(tensor) ? 'I64' : safetensorsDType(tensor.dtype);
    items.push({ name, tensor, dtype, key: Buffer.from(name, 'utf8') });
  }
  items.sort((a, b) => writeRank(b.dtype) - writeRank(a.dtype) || Buffer.compare(a.key, b.key));

  const header: Record<string, unknown> = {};
  const define = (k: string, v: unknown): void => { Object.defineProperty(header, k, { value: v, enumerable: true }); };
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new TypeError(`${where}: metadata must be an object of strings`);
    const entries = Object.entries(metadata);
    for (const [k, v] of entries) {
      if (typeof v !== 'string') throw new TypeError(`${where}: metadata value of ${JSON.stringify(k)} must be a string (safetensors metadata is string → string), got ${typeof v}`);
    }
    if (entries.length > 0) define('__metadata__', Object.fromEntries(entries));
  }
  const tensors: Placed[] = [];
  let offset = 0;
  for (const { name, tensor, dtype } of items) {
    const bytes = tensor.numel() * (dtype === 'F64' || dtype === 'I64' ? 8 : 4);
    tensors.push({ name, tensor, dtype, begin: offset, end: offset + bytes });
    define(name, { dtype, shape: [...tensor.shape], data_offsets: [offset, offset + bytes] });
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded > MAX_HEADER_BYTES) throw new RangeError(`${where}: the header would be ${padded} bytes, above the ${MAX_HEADER_BYTES}-byte limit readers enforce`);
  const head = Buffer.alloc(8 + padded, 0x20);
  head.writeBigUInt64LE(BigInt(padded), 0);
  json.copy(head, 8);
  return { header: head, tensors, size: head.length + offset };
}
