/** Giving memory back to the operating system (for long-running services). */
import { getBackend } from '../backend';
import { loadAddon } from '../backend/native';
import { clearPool } from '../storage/pool';

/**
 * Returns the free memory the C allocator holds to the operating system, as
 * PyTorch's `torch.cuda.empty_cache()` does for its cached blocks. On Linux
 * (glibc) this is `malloc_trim(0)` over every thread's arena. torchlet keeps
 * freed tensor memory on purpose (reusing it beats page-faulting it back in:
 * see the README), so a training loop should not call this; a service that
 * trains or serves in bursts can, e.g. after each epoch of a training worker,
 * to keep its RSS flat. It also drops the buffers of dead gradients kept for
 * reuse (storage/pool.ts), for the GC to free. Returns true when memory was released; false on the
 * js backend, on other systems, or when there was nothing to release.
 */
export function emptyCache(): boolean {
  clearPool();
  if (getBackend() !== 'native') return false;
  return loadAddon().trimAllocator();
}
