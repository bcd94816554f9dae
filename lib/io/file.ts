/** save / load: safetensors files on disk (Promises). */
import { promises as fs } from 'node:fs';
import type { Tensor } from '../tensor';
import { fileBytes } from './bytes';
import { checkSupported, decodeEntry, type Safetensors } from './codec';
import { setOwn } from '../records';
import { SafetensorsError } from './errors';
import { parseHeader, readHeaderLength } from './header';
import { plan, type Metadata, type TensorDict } from './layout';
import { writeAtomic } from './atomic-write';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of `load` / `loadWithMetadata`. */
export interface LoadOptions {
  /** Files larger than this many bytes are refused before reading (default 4 GiB). */
  maxBytes?: number;
}

/** The default `maxBytes` of `load`: 4 GiB. */
export const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;

/**
 * Writes `stateDict` (e.g. `model.stateDict()`, or a Map) to `path` in the
 * safetensors format, atomically: the file at `path` is either the old one or
 * the complete new one, never a partial write. PyTorch reads it with
 * `safetensors.torch.load_file`; this replaces `torch.save` of a state dict.
 *
 * @param stateDict name → tensor (float32, float64 or int32)
 * @param path the file to write
 * @param metadata strings stored in the file's `__metadata__`
 * @returns a promise that resolves once the file is in place
 *
 * @example
 * ```ts
 * await torch.save(model.stateDict(), 'model.safetensors', { epoch: '3' });
 * ```
 */
export async function save(stateDict: TensorDict, path: string, metadata?: Metadata): Promise<void> {
  const p = plan(stateDict, metadata, 'save');
  await writeAtomic(path, async (write) => {
    await write(p.header);
    for (const t of p.tensors) await write(fileBytes(t.tensor.data, t.dtype));
  });
}

const LOAD = defineOptions<LoadOptions>('load', { maxBytes: true });

/**
 * Reads the tensors of a safetensors file, in file order (PyTorch's
 * `safetensors.torch.load_file`; see `Safetensors.tensors`). Malformed or
 * truncated files throw a `SafetensorsError` naming what is wrong.
 *
 * @param path the file to read
 * @param options `maxBytes`: refuse files larger than this (default `DEFAULT_MAX_BYTES`)
 * @returns name → tensor, ready for `model.loadStateDict`
 *
 * @example
 * ```ts
 * model.loadStateDict(await torch.load('model.safetensors'));
 * ```
 */
export async function load(path: string, options: LoadOptions = {}): Promise<Record<string, Tensor>> {
  rejectUnknownOptions(options, LOAD);
  return (await loadWithMetadata(path, options)).tensors;
}

const LOAD_WITH_METADATA = defineOptions<LoadOptions>('loadWithMetadata', { maxBytes: true });

/**
 * Reads a safetensors file: tensors and `__metadata__`. The size is checked
 * before reading, the header before allocating; tensors are read one at a
 * time and copied into fresh aligned storage (no whole-file buffer).
 *
 * @param path the file to read
 * @param options `maxBytes`
 * @returns the tensors and the `__metadata__` strings
 */
export async function loadWithMetadata(path: string, options: LoadOptions = {}): Promise<Safetensors> {
  rejectUnknownOptions(options, LOAD_WITH_METADATA);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !(maxBytes >= 0)) throw new TypeError(`load: maxBytes must be a non-negative number, got ${String(maxBytes)}`);
  const fh = await fs.open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size > maxBytes) throw new SafetensorsError(`${path} is ${size} bytes, above the ${maxBytes}-byte limit (raise it with { maxBytes })`);
    const readExactly = async (length: number, position: number): Promise<Uint8Array> => {
      const buf = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, position + done);
        if (bytesRead === 0) throw new SafetensorsError(`${path} ended at byte ${position + done} while reading (was it truncated while being read?)`);
        done += bytesRead;
      }
      return buf;
    };
    const n = readHeaderLength(await readExactly(Math.min(8, size), 0), size);
    const layout = parseHeader(await readExactly(n, 8), size - 8 - n);
    layout.entries.forEach(checkSupported);
    const tensors: Record<string, Tensor> = {};
    for (const e of layout.entries) {
      setOwn(tensors, e.name, decodeEntry(e, await readExactly(e.end - e.begin, 8 + n + e.begin)));
    }
    return { tensors, metadata: layout.metadata };
  } finally {
    await fh.close();
  }
}
