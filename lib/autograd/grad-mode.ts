/** Whether ops record the tape. Synchronous scopes, as PyTorch's context managers. */
import { checkScopedCallback, checkScopedResult } from './scoped-callback';

let enabled = true;

/** True when new ops are recorded for backward. */
export function isGradEnabled(): boolean {
  return enabled;
}

function withMode<T>(mode: boolean, fn: () => T, where: string): T {
  checkScopedCallback(fn, where);
  const prev = enabled;
  enabled = mode;
  try {
    return checkScopedResult(fn(), where);
  } finally {
    enabled = prev;
  }
}

/**
 * Runs `fn` without recording the tape (PyTorch's `with torch.no_grad():`) and
 * returns its result. The scope is synchronous, so an async `fn` is refused
 * (the mode would end at its first `await`); the previous mode is restored
 * even when `fn` throws.
 *
 * @param fn the code to run without gradient tracking
 * @returns what `fn` returns
 *
 * @example
 * ```ts
 * const predictions = torch.noGrad(() => model.forward(x).argmax(1));
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn, 'noGrad');
}

/**
 * Runs `fn` with recording on, even inside `noGrad` (PyTorch's `torch.enable_grad()`).
 *
 * @param fn the code to run with gradient tracking on
 * @returns what `fn` returns
 */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn, 'enableGrad');
}

/**
 * Sets grad mode globally (PyTorch's `torch.set_grad_enabled`).
 *
 * @param mode true to record ops, false not to
 */
export function setGradEnabled(mode: boolean): void {
  enabled = Boolean(mode);
}
