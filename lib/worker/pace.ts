/**
 * A duty cycle for a training worker: after each step it sleeps in proportion
 * to the time the step took, so the thread computes at most a given fraction
 * of the time. Niceness alone does not keep a busy worker from slowing the
 * main thread's requests: on two cores the worker, the request handlers, V8's
 * GC threads (which run at normal priority for the worker's heap too) and the
 * clients share the CPU, caches and memory bandwidth.
 */
import { isMainThread } from 'node:worker_threads';

/** Call after each unit of work (a training step); it sleeps so that work is at most `duty` of the time. */
export type Pacer = () => void;

/**
 * Returns a pacer for this worker thread that keeps its busy time at most
 * `duty` (0 < duty ≤ 1) of the wall time: each call sleeps (Atomics.wait)
 * (1/duty − 1) × the time since the previous call returned. duty 1 never
 * sleeps. Throws on the main thread, whose event loop a sleep would block.
 *
 *   const pace = torch.worker.pacer(0.25);
 *   for (const [x, y] of loader) { step(x, y); pace(); }
 *
 * @param duty the fraction of wall time spent computing, in (0, 1]
 * @returns call it after each step
 */
export function pacer(duty: number): Pacer {
  if (typeof duty !== 'number' || !(duty > 0 && duty <= 1)) {
    throw new RangeError(`pacer: duty must be a number in (0, 1], got ${String(duty)}`);
  }
  if (isMainThread && duty < 1) {
    throw new Error('pacer: call it in a worker thread; sleeping on the main thread would block its event loop');
  }
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const factor = 1 / duty - 1;
  let since = performance.now();
  return () => {
    const busy = performance.now() - since;
    if (factor > 0 && busy > 0) Atomics.wait(cell, 0, 0, busy * factor);
    since = performance.now();
  };
}
