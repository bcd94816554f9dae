/**
 * Post-accumulate-grad hooks (PyTorch's `Tensor.register_post_accumulate_grad_hook`):
 * a hook on a leaf runs once per backward pass, right after the last gradient
 * of that pass was added into the leaf's `.grad`. DistributedDataParallel uses
 * it to start averaging a bucket of gradients while backward goes on.
 */
import type { Tensor } from '../tensor';
import type { Node } from './node';
import { forEachGradEdge } from './graph-walk';

/** A hook: receives the leaf whose `.grad` is now complete for this backward pass. */
export type PostAccumulateGradHook = (tensor: Tensor) => void;

/** What `registerPostAccumulateGradHook` returns (PyTorch's RemovableHandle). */
export interface RemovableHandle {
  /** Unregisters the hook (again: no-op). */
  remove(): void;
}

const hooks = new WeakMap<Tensor, PostAccumulateGradHook[]>();
let registered = 0;

/** Registers `hook` on the leaf `t` (see the module comment). */
export function registerPostAccumulateGradHook(t: Tensor, hook: PostAccumulateGradHook): RemovableHandle {
  if (typeof hook !== 'function') throw new TypeError('registerPostAccumulateGradHook: hook must be a function');
  if (t.gradFn !== null) throw new Error('registerPostAccumulateGradHook: post accumulate grad hooks cannot be registered on non-leaf tensors');
  if (!t.requiresGrad) throw new Error("registerPostAccumulateGradHook: cannot register a hook on a tensor that doesn't require gradient");
  let list = hooks.get(t);
  if (list === undefined) hooks.set(t, (list = []));
  list.push(hook);
  registered++;
  let removed = false;
  return {
    remove() {
      if (removed) return;
      removed = true;
      registered--;
      const l = hooks.get(t) as PostAccumulateGradHook[];
      l.splice(l.indexOf(hook), 1);
      if (l.length === 0) hooks.delete(t);
    },
  };
}

/** Per backward pass: gradients still to come into each hooked leaf, and the leaves that got one. */
export interface HookedLeaves {
  left: Map<Tensor, number>;
  received: Set<Tensor>;
}

/**
 * For a backward pass from `root`: how many gradients each hooked leaf may
 * receive, or null when no tensor has a hook (the usual case, no traversal).
 */
export function hookedLeafEdges(root: Node): HookedLeaves | null {
  if (registered === 0) return null;
  const edges = new Map<Tensor, number>();
  forEachGradEdge(root, (input) => {
    if (input.gradFn === null && hooks.has(input)) edges.set(input, (edges.get(input) ?? 0) + 1);
  });
  return { left: edges, received: new Set() };
}

/** Counts one gradient into leaf `t`; runs its hooks when it was the last one of the pass. */
export function gradientAccumulated(hooked: HookedLeaves | null, t: Tensor): void {
  if (hooked === null) return;
  const left = hooked.left.get(t);
  if (left === undefined) return;
  if (left > 1) {
    hooked.left.set(t, left - 1);
    hooked.received.add(t);
    return;
  }
  hooked.left.delete(t);
  hooked.received.delete(t);
  runPostAccumulateGradHooks(t);
}

/** End of the pass: leaves that got some gradients but not all (a rule returned null for an edge) run their hooks now. */
export function passFinished(hooked: HookedLeaves | null): void {
  if (hooked === null) return;
  for (const t of hooked.received) runPostAccumulateGradHooks(t);
}

/** Runs the hooks of `t` (a leaf that just received its gradient). */
export function runPostAccumulateGradHooks(t: Tensor): void {
  const list = registered === 0 ? undefined : hooks.get(t);
  if (list === undefined) return;
  for (const hook of list.slice()) hook(t);
}
