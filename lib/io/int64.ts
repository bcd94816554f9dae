/**
 * Tensors written as I64 although torchlet holds them as int32: PyTorch keeps
 * counters such as BatchNorm's num_batches_tracked in int64, and a file meant
 * for `load_state_dict(strict=True)` must say so. `Module.stateDict()` marks
 * the buffers registered with `persistentDtype: 'int64'`; the writer reads
 * the mark. A copy of a marked tensor is not marked.
 */
import type { Tensor } from '../tensor';

const MARKED = new WeakSet<Tensor>();

/** Marks an int32 tensor to be written as I64; returns it. */
export function markInt64(t: Tensor): Tensor {
  MARKED.add(t);
  return t;
}

/** True when `t` is an int32 tensor marked to be written as I64. */
export function isMarkedInt64(t: Tensor): boolean {
  return t.dtype === 'int32' && MARKED.has(t);
}
