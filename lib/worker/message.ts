/**
 * State dicts as worker_threads messages: plain objects whose ArrayBuffers go
 * in postMessage's transfer list, so the weights move between threads without
 * being copied on the receiving side.
 *
 *   // worker
 *   const { message, transfer } = stateDictToMessage(model.stateDict());
 *   parentPort.postMessage({ epoch, state: message }, transfer);
 *   // main thread
 *   model.loadStateDict(stateDictFromMessage(data.state));
 *
 * Why the copy (the default, `copy: true`): `Module.stateDict()` returns
 * tensors that share storage with the live parameters. Transferring an
 * ArrayBuffer detaches it in the sender (its byteLength becomes 0), so
 * transferring the parameters' own buffers would leave the worker's model
 * with empty storage. With `copy: true` each distinct storage is copied once,
 * in the sender (off the main thread), into a fresh ArrayBuffer nobody else
 * references, and those fresh buffers are transferred: one memcpy in the
 * worker, none in the receiver (structured cloning would copy twice, once on
 * each side). `copy: false` transfers the tensors' own buffers; use it only
 * for tensors nothing else will touch again (a clone you made, a state dict
 * you loaded) — afterwards every tensor sharing those buffers is unusable.
 *
 * Sharing: tensors share a buffer only as reshape views of one storage (the
 * same `data` TypedArray). Each storage becomes one buffer, listed once in
 * `transfer` (postMessage rejects duplicates); entries that shared a storage
 * share it again after `stateDictFromMessage`. A tensor whose `data` is a
 * window into a larger ArrayBuffer (or a SharedArrayBuffer) cannot be
 * transferred alone, so it is always copied; that includes every storage of
 * ≤ 4 KB, which torchlet carves out of a shared slab (lib/storage/allocate.ts).
 */
import { types } from 'node:util';
import { Tensor } from '../tensor';
import { newStorage, type Storage } from '../storage/storage';
import type { DType } from '../dtype';
import type { Num } from '../backend/kernels';
import { fmtShape } from '../shape';
import { setOwn } from '../records';
import { defineOptions, rejectUnknownOptions } from '../options';

/** One tensor in a message: element type, sizes and the bytes (exactly numel × itemsize, native byte order). */
export interface TensorMessage {
  /** Element type. */
  dtype: DType;
  /** Sizes of each dimension. */
  shape: number[];
  /** Exactly the tensor's bytes; transferred, not copied, when listed in the transfer list. */
  buffer: ArrayBuffer;
}

/** A state dict as a structured-cloneable object: name → tensor message. */
export type StateDictMessage = Record<string, TensorMessage>;

/** Options of `stateDictToMessage`. */
export interface ToMessageOptions {
  /**
   * Copy each storage into a fresh buffer before transferring (default true):
   * the given tensors stay usable. With false the tensors' own buffers are
   * transferred and every tensor sharing them is left with empty storage.
   */
  copy?: boolean;
}

/** What `stateDictToMessage` returns: the message and its transfer list (each buffer once). */
export interface EncodedStateDict {
  /** The message to post. */
  message: StateDictMessage;
  /** The buffers to pass as `postMessage`'s transfer list. */
  transfer: ArrayBuffer[];
}

const ITEM_BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };

/** A fresh ArrayBuffer holding a copy of exactly the bytes of `data`. */
function copyBytes(data: Num): ArrayBuffer {
  const out = new ArrayBuffer(data.byteLength);
  new Uint8Array(out).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return out;
}

const TO_MESSAGE = defineOptions<ToMessageOptions>('stateDictToMessage', { copy: true });

/**
 * Encodes a state dict (`Module.stateDict()`'s record, or a Map) as a message
 * for `postMessage(message, transfer)`. See the module comment for `copy`.
 * Throws TypeError for a value that is not a Tensor and Error for a tensor
 * whose buffer was already transferred.
 *
 * @param stateDict the tensors to encode
 * @param options `copy` (default true): copy the data so the sender keeps its tensors
 * @returns the message and its transfer list
 */
export function stateDictToMessage(stateDict: Record<string, Tensor> | Map<string, Tensor>, options: ToMessageOptions = {}): EncodedStateDict {
  rejectUnknownOptions(options, TO_MESSAGE);
  const { copy = true } = options;
  if (typeof stateDict !== 'object' || stateDict === null || Array.isArray(stateDict)) {
    throw new TypeError(`stateDictToMessage: expected a state dict (an object or Map of name → Tensor), got ${stateDict === null ? 'null' : Array.isArray(stateDict) ? 'an array' : typeof stateDict}`);
  }
  const message: StateDictMessage = {};
  const transfer: ArrayBuffer[] = [];
  const bufferOf = new Map<Num, ArrayBuffer>(); // one buffer per storage: reshape views share `data`
  const listed = new Set<ArrayBuffer>();
  const entries = stateDict instanceof Map ? [...stateDict] : Object.entries(stateDict);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw new TypeError(`stateDictToMessage: the value of ${JSON.stringify(name)} is not a Tensor`);
    const data = t.data;
    if (data.buffer.byteLength === 0 && t.shape.every((n) => n > 0)) {
      throw new Error(`stateDictToMessage: tensor ${JSON.stringify(name)} has a detached buffer (it was transferred already, e.g. posted with copy: false)`);
    }
    let buffer = bufferOf.get(data);
    if (buffer === undefined) {
      const whole = types.isArrayBuffer(data.buffer) && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      buffer = !copy && whole ? (data.buffer as ArrayBuffer) : copyBytes(data);
      bufferOf.set(data, buffer);
      if (!listed.has(buffer)) {
        listed.add(buffer);
        transfer.push(buffer);
      }
    }
    setOwn(message, name, { dtype: t.dtype, shape: [...t.shape], buffer });
  }
  return { message, transfer };
}

function fail(name: string | null, text: string, Kind: new (m: string) => Error = TypeError): never {
  throw new Kind(`stateDictFromMessage: ${name === null ? '' : `tensor ${JSON.stringify(name)}: `}${text}`);
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (types.isArrayBufferView(v)) return `a ${v.constructor.name} (send its .buffer)`;
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'null prototype'})`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

const ARRAY_OF: Record<DType, unknown> = { float32: Float32Array, float64: Float64Array, int32: Int32Array };

function makeArray(dtype: DType, buffer: ArrayBuffer): Num {
  switch (dtype) {
    case 'float32': return new Float32Array(buffer);
    case 'float64': return new Float64Array(buffer);
    case 'int32': return new Int32Array(buffer);
  }
}

/**
 * Decodes a message made by `stateDictToMessage` (after postMessage) into a
 * state dict of tensors that wrap the received buffers (no copy). Validates
 * everything first and throws TypeError (wrong kind of value) or RangeError
 * (sizes that do not fit) naming the tensor; entries that shared one buffer
 * share one storage again.
 *
 * @param message what `stateDictToMessage` made, after posting
 * @returns name → tensor over the received buffers
 */
export function stateDictFromMessage(message: unknown): Record<string, Tensor> {
  if (typeof message !== 'object' || message === null || Array.isArray(message) || types.isArrayBufferView(message)) {
    fail(null, `expected a state dict message (an object of name → { dtype, shape, buffer }), got ${describeValue(message)}`);
  }
  const checked: [string, DType, number[], ArrayBuffer][] = [];
  for (const [name, entry] of Object.entries(message as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(name, `expected { dtype, shape, buffer }, got ${describeValue(entry)}`);
    const { dtype, shape, buffer } = entry as Record<string, unknown>;
    if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32') fail(name, `unknown dtype ${describeValue(dtype)}; expected 'float32', 'float64' or 'int32'`);
    if (!Array.isArray(shape)) fail(name, `shape must be an array of sizes, got ${describeValue(shape)}`);
    for (const s of shape as unknown[]) {
      if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) fail(name, `shape must hold non-negative integers, got [${(shape as unknown[]).map(String).join(', ')}]`, RangeError);
    }
    if (!types.isArrayBuffer(buffer)) fail(name, `buffer must be an ArrayBuffer, got ${describeValue(buffer)}`);
    const dims = shape as number[];
    const need = dims.reduce((a, b) => a * b, 1) * ITEM_BYTES[dtype];
    const have = (buffer as ArrayBuffer).byteLength;
    if (have !== need) {
      const hint = have === 0 ? ' (an empty buffer: detached, i.e. transferred already, or sent without its bytes)' : '';
      fail(name, `buffer holds ${have} bytes but ${dtype} ${fmtShape(dims)} needs ${need}${hint}`, RangeError);
    }
    checked.push([name, dtype, dims, buffer as ArrayBuffer]);
  }
  const storages = new Map<ArrayBuffer, Storage>();
  const out: Record<string, Tensor> = {};
  for (const [name, dtype, shape, buffer] of checked) {
    let storage = storages.get(buffer);
    if (storage === undefined) {
      storage = newStorage(makeArray(dtype, buffer));
      storages.set(buffer, storage);
    } else if (ARRAY_OF[dtype] !== storage.data.constructor) {
      fail(name, `shares its buffer with a tensor of another dtype; tensors share storage only as reshape views`);
    }
    setOwn(out, name, new Tensor(storage, shape));
  }
  return out;
}
