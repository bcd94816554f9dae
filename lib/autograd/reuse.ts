/**
 * The autograd side of buffer reuse: which gradient and intermediate buffers
 * nothing but the tape can reach, and when they go back to the storage pool
 * (storage/allocate.ts release).
 */
import type { Tensor } from '../tensor';
import type { Num } from '../backend/kernels';
import { ownsBuffer, release } from '../storage/allocate';
import { detach } from '../ops/convert';
import { fill_ } from '../ops/inplace';
import { releaseWithNode } from '../ops/util';
import { noGrad } from './grad-mode';

/**
 * True when `g` was allocated by the backward rule that just ran (its storage
 * is newer than `before`) and no other gradient in `list` shares its storage:
 * then nothing else can see it and a leaf may take it as its `.grad` without a
 * copy. Anything older (the upstream gradient passed through, a view of it)
 * may also reach another leaf.
 */
export function ownedBy(g: Tensor, before: number, list: (Tensor | null)[]): boolean {
  return g._storage.serial > before && usesOf(g, list) === 1;
}

/** How many tensors of `list` share `g`'s storage. */
export function usesOf(g: Tensor, list: (Tensor | null)[]): number {
  let uses = 0;
  for (const other of list) if (other !== null && other !== undefined && other._storage === g._storage) uses++;
  return uses;
}

/**
 * zeroGrad for one tensor (optimizers and modules). With `setToNone` its
 * `.grad` becomes null, and a gradient still private to the library (made by
 * accumulateLeaf, never read through `.grad`) hands its buffer to the next
 * allocation of its size. Otherwise the gradient is zeroed in place; as in
 * PyTorch, one that is part of a graph is detached first.
 */
export function clearGrad(t: Tensor, setToNone: boolean): void {
  const g = t._grad;
  if (g === null) return;
  if (setToNone) {
    if (t._gradPrivate) release(g.data);
    t.grad = null;
    return;
  }
  const kept = g.gradFn !== null ? detach(g) : g;
  if (kept.requiresGrad) kept.requiresGrad = false;
  t._grad = kept;
  noGrad(() => fill_(kept, 0));
}

/**
 * Offers the buffers of a forward's intermediate outputs (between `input` and
 * `output`) for reuse once only the tape can still read them: when a backward
 * without retainGraph releases `output`'s graph, or at once when no graph
 * recorded them. The caller guarantees that nothing else keeps them (see
 * LayerTraits.keepsNoTensors); a released node's `inputs` still name them,
 * but their contents are then undefined.
 */
export function reuseAfterBackward(input: Tensor, intermediates: readonly Tensor[], output: Tensor): void {
  // A layer may pass its input's buffer on (Identity, Flatten, Dropout in eval): each buffer once, never the ends'.
  // Tiny models have no candidate at all: they allocate nothing here.
  let seen: Set<ArrayBufferLike> | null = null;
  const data: Num[] = [];
  for (const t of intermediates) {
    if (!ownsBuffer(t.data)) continue;
    seen ??= new Set<ArrayBufferLike>([input.data.buffer, output.data.buffer]);
    if (seen.has(t.data.buffer)) continue;
    seen.add(t.data.buffer);
    data.push(t.data);
  }
  if (data.length === 0) return;
  if (output.gradFn !== null || intermediates.every((t) => t.gradFn === null)) releaseWithNode(output, data);
}
