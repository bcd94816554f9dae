/**
 * Modes scoped to a callback (noGrad, enableGrad, detectAnomaly) last for the
 * callback's synchronous run only: JavaScript has no context that follows an
 * `await`. An async callback would leave the mode after its first `await`
 * without a word, so it is refused.
 */
import { readable } from '../options';

function asyncCallback(where: string): TypeError {
  return new TypeError(`${where}: the callback is async (returns a Promise), but the mode it sets ends at the callback's first await; ` +
    `run only synchronous code inside, e.g. \`const x = await load(); const y = ${where}(() => model.forward(x));\`, ` +
    'or set the mode around the async code yourself (setGradEnabled(false) ... finally setGradEnabled(true))');
}

/** Throws unless `fn` is a function that is not declared async. */
export function checkScopedCallback(fn: unknown, where: string): void {
  if (typeof fn !== 'function') throw new TypeError(`${where}: expected a function to run, got ${readable(fn)}`);
  const kind = (fn as { constructor?: { name?: string } }).constructor?.name;
  if (kind === 'AsyncFunction' || kind === 'AsyncGeneratorFunction') throw asyncCallback(where);
}

/** Returns `result`, unless it is a Promise (or any thenable): then throws, as for an async callback. */
export function checkScopedResult<T>(result: T, where: string): T {
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof (result as { then?: unknown }).then === 'function') {
    // The caller gets the error; a later rejection of the refused promise must not also crash the process.
    (result as unknown as PromiseLike<unknown>).then(undefined, () => undefined);
    throw asyncCallback(where);
  }
  return result;
}
