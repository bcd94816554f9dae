/** serialize / deserialize: safetensors on in-memory Buffers (synchronous). */
import { Tensor } from '../tensor';
import { decode, fileBytes } from './bytes';
import { SUPPORTED_TEXT, torchletDType } from './dtypes';
import { SafetensorsError } from './errors';
import { setOwn } from '../records';
import { parseHeader, readHeaderLength, type TensorEntry } from './header';
import { plan, type Metadata, type TensorDict } from './layout';

/** What `deserialize` and `loadWithMetadata` return. */
export interface Safetensors {
  /**
   * Name → tensor in file (data) order. JS objects list integer-like keys
   * ("0", "12") first in numeric order whatever the insertion order; names
   * such as "0.weight" are not integer-like and keep file order.
   */
  tensors: Record<string, Tensor>;
  /** The header's `__metadata__` ({} when absent). */
  metadata: Metadata;
}

/**
 * The safetensors bytes of `dict` (tensor layout: see layout.ts) with optional string metadata.
 *
 * @param dict name → tensor
 * @param metadata strings for `__metadata__`
 * @returns the file's bytes
 */
export function serialize(dict: TensorDict, metadata?: Metadata): Buffer {
  const p = plan(dict, metadata, 'serialize');
  const out = Buffer.allocUnsafe(p.size);
  p.header.copy(out, 0);
  for (const t of p.tensors) out.set(fileBytes(t.tensor.data, t.dtype), p.header.length + t.begin);
  return out;
}

/**
 * Parses safetensors bytes. Every tensor is a fresh copy (the buffer may be
 * reused afterwards). Throws SafetensorsError for anything malformed or a
 * dtype torchlet cannot hold.
 *
 * @param buffer the file's bytes
 * @returns the tensors and the metadata
 */
export function deserialize(buffer: Uint8Array): Safetensors {
  if (!(buffer instanceof Uint8Array)) throw new TypeError('deserialize: expected a Buffer or Uint8Array');
  const n = readHeaderLength(buffer, buffer.length);
  const layout = parseHeader(buffer.subarray(8, 8 + n), buffer.length - 8 - n);
  const data = buffer.subarray(8 + n);
  layout.entries.forEach(checkSupported); // refuse before allocating anything
  const tensors: Record<string, Tensor> = {};
  for (const e of layout.entries) {
    setOwn(tensors, e.name, decodeEntry(e, data.subarray(e.begin, e.end)));
  }
  return { tensors, metadata: layout.metadata };
}

/** The torchlet tensor of one header entry, from exactly its bytes. */
export function decodeEntry(e: TensorEntry, bytes: Uint8Array): Tensor {
  const dtype = checkSupported(e);
  return new Tensor(decode(bytes, e.dtype, dtype, e.numel, e.name), e.shape);
}

/** The torchlet dtype of an entry, or a SafetensorsError saying it has none. */
export function checkSupported(e: TensorEntry): NonNullable<ReturnType<typeof torchletDType>> {
  const dtype = torchletDType(e.dtype);
  if (dtype === null) throw new SafetensorsError(`tensor ${JSON.stringify(e.name)}: dtype ${e.dtype} is not supported by torchlet (${SUPPORTED_TEXT})`);
  return dtype;
}

