/**
 * An optimizer's state dict as safetensors content, for resuming training.
 * Tensors (momentum buffers, Adam's moments) become entries named
 * `state.<param index>.<name>` (e.g. `state.0.momentumBuffer`); everything
 * else — scalars such as Adam's `step`, nulls, and the param groups with their
 * hyperparameters — goes into one `__metadata__` value, `optimizer`, as JSON
 * in which a tensor is `{"$tensor": "<entry name>"}` and a non-finite number
 * `{"$number": "Infinity"}` (safetensors metadata values must be strings).
 */
import { Tensor } from '../tensor';
import type { BaseOptions, OptimizerStateDict, StateValue } from '../optim/optimizer';
import { SafetensorsError } from './errors';
import type { Metadata } from './layout';

/** The metadata key holding the optimizer's JSON. */
export const OPTIMIZER_METADATA_KEY = 'optimizer';

/** An optimizer state dict as read back from a file (the options are whatever was saved). */
export type SavedOptimizerState = OptimizerStateDict<BaseOptions & Record<string, unknown>, Record<string, StateValue>>;

/** Every torchlet optimizer: it has PyTorch's stateDict()/loadStateDict(). */
export interface OptimizerLike {
  /** The optimizer's state dict (PyTorch's `state_dict()`). */
  stateDict(): OptimizerStateDict<BaseOptions, object>;
  /**
   * Restores a state dict made by `stateDict()`.
   *
   * @param stateDict a state dict from `stateDict()`
   */
  loadStateDict(stateDict: OptimizerStateDict<BaseOptions, object>): void;
}

/** Tensors and metadata ready for `save(tensors, path, metadata)`. */
export interface SafetensorsContent {
  /** The tensors, by name. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` strings, holding the optimizer's JSON. */
  metadata: Metadata;
}

/**
 * Splits an optimizer state dict (from `opt.stateDict()`) into safetensors tensors and metadata.
 *
 * @param stateDict `opt.stateDict()`
 * @returns tensors and metadata for `save`
 */
export function optimizerStateToSafetensors(stateDict: OptimizerStateDict<BaseOptions, object>): SafetensorsContent {
  const tensors: Record<string, Tensor> = {};
  const state: Record<string, Record<string, unknown>> = {};
  for (const [index, entry] of Object.entries(stateDict.state)) {
    const saved: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      if (value instanceof Tensor) {
        const name = `state.${index}.${key}`;
        tensors[name] = value;
        saved[key] = { $tensor: name };
      } else {
        saved[key] = value;
      }
    }
    state[index] = saved;
  }
  const json = JSON.stringify({ state, paramGroups: stateDict.paramGroups }, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v);
  return { tensors, metadata: { [OPTIMIZER_METADATA_KEY]: json } };
}

/**
 * Rebuilds the optimizer state dict from `optimizerStateToSafetensors`'s
 * output as read back from a file. Throws SafetensorsError if the JSON is
 * missing or malformed or names a tensor the file lacks.
 *
 * @param content what `loadWithMetadata` returned for such a file
 * @returns the state dict, for `opt.loadStateDict`
 */
export function optimizerStateFromSafetensors(content: SafetensorsContent): SavedOptimizerState {
  const json = content.metadata[OPTIMIZER_METADATA_KEY];
  if (typeof json !== 'string') throw new SafetensorsError(`no "${OPTIMIZER_METADATA_KEY}" entry in __metadata__: not an optimizer state`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json, (_k, v: unknown) => revive(v, content.tensors));
  } catch (e) {
    if (e instanceof SafetensorsError) throw e;
    throw new SafetensorsError(`__metadata__.${OPTIMIZER_METADATA_KEY} is not valid JSON (${(e as Error).message})`);
  }
  const sd = parsed as { state?: unknown; paramGroups?: unknown };
  if (typeof sd !== 'object' || sd === null || typeof sd.state !== 'object' || sd.state === null || !Array.isArray(sd.paramGroups)) {
    throw new SafetensorsError(`__metadata__.${OPTIMIZER_METADATA_KEY} must be {"state": {...}, "paramGroups": [...]}`);
  }
  return sd as SavedOptimizerState;
}

function revive(v: unknown, tensors: Record<string, Tensor>): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  if (keys.length !== 1) return v;
  const o = v as { $tensor?: unknown; $number?: unknown };
  if (typeof o.$tensor === 'string') {
    const t = Object.prototype.hasOwnProperty.call(tensors, o.$tensor) ? tensors[o.$tensor] : undefined;
    if (!(t instanceof Tensor)) throw new SafetensorsError(`optimizer state refers to tensor ${JSON.stringify(o.$tensor)}, which the file does not contain`);
    return t;
  }
  if (o.$number === 'NaN' || o.$number === 'Infinity' || o.$number === '-Infinity') return Number(o.$number);
  return v;
}
