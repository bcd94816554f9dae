/** Saving and loading a module's state by dotted name (PyTorch's state_dict / load_state_dict). */
import { Tensor } from '../tensor';
import { noGrad } from '../autograd/grad-mode';
import { describe, fmtShape, sameShape } from '../shape';
import type { AnyModule } from './module';
import { markInt64 } from '../io/int64';

/** Name → tensor, in PyTorch's key order (object insertion order). */
export type StateDict = Record<string, Tensor>;

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** Missing or unexpected keys throw (default true); otherwise they are returned. */
  strict?: boolean;
}

/** What `loadStateDict` found besides the keys it loaded. */
export interface LoadStateDictResult {
  /** Keys the module has but the state dict lacks. */
  missingKeys: string[];
  /** Keys of the state dict the module does not have. */
  unexpectedKeys: string[];
}

/**
 * Every (key, tensor, saved as int64) of the state: own parameters, own
 * persistent buffers, then children, recursively.
 */
function stateEntries(module: AnyModule, prefix: string, out: [string, Tensor, boolean][]): [string, Tensor, boolean][] {
  for (const [name, p] of module._parameters) if (p !== null) out.push([prefix + name, p, false]);
  for (const [name, b] of module._buffers) {
    if (b !== null && !module._nonPersistent.has(name)) out.push([prefix + name, b, module._int64Buffers.has(name)]);
  }
  for (const [name, child] of module._modules) if (child !== null) stateEntries(child, `${prefix}${name}.`, out);
  return out;
}

/** The module's state dict: detached tensors sharing storage with its parameters and buffers (int64 buffers marked for the writer). */
export function saveStateDict(module: AnyModule): StateDict {
  const out: StateDict = {};
  for (const [key, t, int64] of stateEntries(module, '', [])) out[key] = int64 ? markInt64(t.detach()) : t.detach();
  return out;
}

/**
 * Checks every key and shape first, then copies (under noGrad, converting to
 * each parameter's dtype), so a failed load leaves the module untouched.
 */
export function loadStateDict(module: AnyModule, stateDict: StateDict | Map<string, Tensor>, options: LoadStateDictOptions): LoadStateDictResult {
  const { strict = true } = options;
  if (typeof stateDict !== 'object' || stateDict === null) {
    throw new TypeError(`loadStateDict: expected a state dict (an object or Map of name → Tensor), got ${describe(stateDict)}`);
  }
  const given = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
  for (const [key, value] of given) {
    if (!(value instanceof Tensor)) throw new TypeError(`loadStateDict: while copying the parameter named "${key}", expected a Tensor from the state dict but received ${describe(value)}`);
  }
  const own = stateEntries(module, '', []);
  const ownKeys = new Set(own.map(([key]) => key));
  const missingKeys: string[] = [];
  const mismatches: string[] = [];
  const copies: [Tensor, Tensor][] = [];
  for (const [key, target] of own) {
    const src = given.get(key);
    if (src === undefined) {
      missingKeys.push(key);
    } else if (!sameShape(src.shape, target.shape)) {
      mismatches.push(`size mismatch for ${key}: copying a param with shape ${fmtShape(src.shape)} from checkpoint, the shape in current model is ${fmtShape(target.shape)}.`);
    } else {
      copies.push([target, src]);
    }
  }
  const unexpectedKeys = [...given.keys()].filter((key) => !ownKeys.has(key));
  const errors: string[] = [];
  if (strict && missingKeys.length > 0) errors.push(`Missing key(s) in state_dict: ${quoteAll(missingKeys)}.`);
  if (strict && unexpectedKeys.length > 0) errors.push(`Unexpected key(s) in state_dict: ${quoteAll(unexpectedKeys)}.`);
  errors.push(...mismatches);
  if (errors.length > 0) {
    throw new Error(`Error(s) in loading state_dict for ${module.constructor.name}:\n\t${errors.join('\n\t')}`);
  }
  noGrad(() => {
    for (const [target, src] of copies) target.copy_(src);
  });
  return { missingKeys, unexpectedKeys };
}

function quoteAll(keys: string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}
