/** Whether ops record the tape. Synchronous scopes, as PyTorch's context managers. */
let enabled = true;

/** True when new ops are recorded for backward. */
export function isGradEnabled(): boolean {
  return enabled;
}

function withMode<T>(mode: boolean, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError('expected a function to run');
  const prev = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/**
 * Runs `fn` without recording the tape (PyTorch's `torch.no_grad()`) and returns
 * its result. The scope is synchronous: work after an `await` inside `fn` is
 * recorded again.
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn);
}

/** Runs `fn` with recording on, even inside `noGrad` (PyTorch's `torch.enable_grad()`). */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn);
}

/** Sets grad mode globally (PyTorch's `torch.set_grad_enabled`). */
export function setGradEnabled(mode: boolean): void {
  enabled = Boolean(mode);
}
