/**
 * Training checkpoints in one safetensors file: a model's state dict, an
 * optimizer's state and any JSON-serialisable extra (epoch, RNG note, ...).
 *
 * Layout: model tensors as `model.<key>` (e.g. `model.0.weight`), optimizer
 * tensors as `optimizer.state.<i>.<name>`; `__metadata__` holds
 * `torchlet.checkpoint` ("1"), `optimizer` (see optimizer-state.ts) and
 * `extra` (JSON). Any safetensors reader can open it.
 */
import type { Tensor } from '../tensor';
import type { StateDict, LoadStateDictOptions } from '../nn/state-dict';
import { SafetensorsError } from './errors';
import { defineOptions, rejectUnknownOptions } from '../options';
import { loadWithMetadata, save, type LoadOptions } from './file';
import type { Metadata } from './layout';
import {
  optimizerStateFromSafetensors, optimizerStateToSafetensors, OPTIMIZER_METADATA_KEY,
  type OptimizerLike, type SavedOptimizerState,
} from './optimizer-state';

/** A module, or anything else with PyTorch's stateDict()/loadStateDict(). */
export interface ModuleLike {
  /** The module's state dict. */
  stateDict(): StateDict;
  /**
   * Loads a state dict into the module.
   *
   * @param stateDict name → tensor
   * @param options `strict`
   */
  loadStateDict(stateDict: StateDict, options?: LoadStateDictOptions): unknown;
}

/** What `saveCheckpoint` writes; every part is optional. */
export interface CheckpointInput {
  /** The model, or its state dict. */
  model?: ModuleLike | StateDict;
  /** The optimizer whose state to save. */
  optimizer?: OptimizerLike;
  /** Anything JSON.stringify accepts (stored as JSON in the metadata). */
  extra?: unknown;
}

/** Where `loadCheckpoint` loads the saved state into, if given. */
export interface CheckpointTargets extends LoadOptions {
  /** The model to load the saved weights into. */
  model?: ModuleLike;
  /** The optimizer to load the saved state into. */
  optimizer?: OptimizerLike;
  /** Passed to the model's loadStateDict (default true). */
  strict?: boolean;
}

/** What `loadCheckpoint` read. */
export interface Checkpoint {
  /** The model's state dict ({} if none was saved). */
  model: StateDict;
  /** The optimizer's state dict, or null if none was saved. */
  optimizer: SavedOptimizerState | null;
  /** The parsed `extra`, or undefined. */
  extra: unknown;
  /** The raw `__metadata__`. */
  metadata: Metadata;
}

const MARK = 'torchlet.checkpoint';
const MODEL = 'model.';
const OPTIM = 'optimizer.';

const SAVE_CHECKPOINT = defineOptions<CheckpointInput>('saveCheckpoint', { model: true, optimizer: true, extra: true });
const LOAD_CHECKPOINT = defineOptions<CheckpointTargets>('loadCheckpoint', { model: true, optimizer: true, strict: true, maxBytes: true });

/**
 * Saves model, optimizer and extra to one safetensors file (atomically, like
 * `save`): PyTorch's `torch.save({'model': ..., 'optimizer': ...}, path)` pattern.
 *
 * @param path the file to write
 * @param input `model` (a module or a state dict), `optimizer`, `extra` (JSON)
 * @returns a promise that resolves once the file is in place
 *
 * @example
 * ```ts
 * await torch.saveCheckpoint('ckpt.safetensors', { model, optimizer: opt, extra: { epoch } });
 * ```
 */
export async function saveCheckpoint(path: string, input: CheckpointInput): Promise<void> {
  rejectUnknownOptions(input, SAVE_CHECKPOINT);
  const tensors = new Map<string, Tensor>();
  const metadata: Metadata = { [MARK]: '1' };
  if (input.model !== undefined) {
    const sd = typeof input.model.stateDict === 'function' ? (input.model as ModuleLike).stateDict() : (input.model as StateDict);
    for (const [k, t] of Object.entries(sd)) tensors.set(MODEL + k, t);
  }
  if (input.optimizer !== undefined) {
    const content = optimizerStateToSafetensors(input.optimizer.stateDict());
    for (const [k, t] of Object.entries(content.tensors)) tensors.set(OPTIM + k, t);
    Object.assign(metadata, content.metadata);
  }
  if (input.extra !== undefined) {
    const json = JSON.stringify(input.extra);
    if (json === undefined) throw new TypeError('saveCheckpoint: extra is not JSON-serialisable');
    metadata.extra = json;
  }
  await save(tensors, path, metadata);
}

/**
 * Reads a checkpoint written by `saveCheckpoint` and, when `targets` name a
 * model and/or optimizer, loads the state into them (the model first; each
 * load is all-or-nothing, but an optimizer whose layout does not match throws
 * after the model was loaded).
 *
 * @param path the file to read
 * @param targets `model` and `optimizer` to load into, `strict` (default true), `maxBytes`
 * @returns the saved state dicts and `extra`
 *
 * @example
 * ```ts
 * const { extra } = await torch.loadCheckpoint('ckpt.safetensors', { model, optimizer: opt });
 * ```
 */
export async function loadCheckpoint(path: string, targets: CheckpointTargets = {}): Promise<Checkpoint> {
  rejectUnknownOptions(targets, LOAD_CHECKPOINT);
  const { tensors, metadata } = await loadWithMetadata(path, { maxBytes: targets.maxBytes });
  if (metadata[MARK] !== '1') throw new SafetensorsError(`${path} is not a torchlet checkpoint (no "${MARK}": "1" in __metadata__)`);
  const model: StateDict = {};
  const optimTensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith(MODEL)) model[k.slice(MODEL.length)] = t;
    else if (k.startsWith(OPTIM)) optimTensors[k.slice(OPTIM.length)] = t;
  }
  const optimizer = metadata[OPTIMIZER_METADATA_KEY] === undefined ? null : optimizerStateFromSafetensors({ tensors: optimTensors, metadata });
  let extra: unknown;
  if (metadata.extra !== undefined) {
    try {
      extra = JSON.parse(metadata.extra);
    } catch {
      throw new SafetensorsError('__metadata__.extra is not valid JSON');
    }
  }
  if (targets.optimizer !== undefined && optimizer === null) throw new SafetensorsError(`${path} holds no optimizer state`);
  if (targets.model !== undefined) targets.model.loadStateDict(model, { strict: targets.strict ?? true });
  if (targets.optimizer !== undefined && optimizer !== null) targets.optimizer.loadStateDict(optimizer);
  return { model, optimizer, extra, metadata };
}
