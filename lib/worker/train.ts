/**
 * Training in a worker_threads Worker while the main thread keeps serving.
 *
 *   // train.js (the worker)
 *   const torch = require('torchlet');
 *   for (let epoch = 1; epoch <= 10; epoch++) {
 *     trainOneEpoch(model);
 *     torch.worker.postStateDict(model.stateDict(), { epoch });
 *   }
 *
 *   // main thread
 *   const training = torch.worker.trainInWorker('./train.js', { workerData: { epochs: 10 } });
 *   for await (const { info, stateDict } of training) model.loadStateDict(stateDict);
 *
 * Between requests: JavaScript runs one task at a time on the main thread, so
 * a synchronous forward pass never sees half-swapped weights; the swap
 * (`loadStateDict`, a memcpy per tensor) runs in its own task, between two
 * request handlers.
 */
import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { Tensor } from '../tensor';
import { defineOptions, rejectUnknownOptions } from '../options';
import { stateDictFromMessage, stateDictToMessage, type StateDictMessage } from './message';

/** The `type` of the messages `postStateDict` sends. */
export const STATE_DICT_MESSAGE = 'torchlet:state-dict';

/** The envelope `postStateDict` posts: your `info` and the encoded state dict. */
export interface StateDictEnvelope<Info = unknown> {
  /** Marks the message as a state dict posted by `postStateDict`. */
  type: typeof STATE_DICT_MESSAGE;
  /** What the worker sent with it (e.g. the epoch and loss). */
  info: Info;
  /** The state dict, as `stateDictToMessage` encodes it. */
  state: StateDictMessage;
}

/** Something with postMessage(value, transferList): a worker's parentPort, a MessagePort, a Worker. */
export interface PostTarget {
  /**
   * Posts `value`, transferring the buffers in `transferList`.
   *
   * @param value the message
   * @param transferList buffers to move instead of copying
   */
  postMessage(value: unknown, transferList?: readonly ArrayBuffer[]): void;
}

/** Options of `postStateDict`. */
export interface PostStateDictOptions {
  /** Where to post (default: `worker_threads.parentPort`). */
  port?: PostTarget;
  /** Copy before transferring (default true; see `stateDictToMessage`). */
  copy?: boolean;
}

const POST_STATE_DICT = defineOptions<PostStateDictOptions>('postStateDict', { port: true, copy: true });

/**
 * Worker side: posts `{ type: 'torchlet:state-dict', info, state }` with the
 * state's buffers in the transfer list, and returns those buffers (now
 * detached here: byteLength 0). By default the tensors are copied first, so
 * the model keeps training on its own storage. `info` must be structured-cloneable.
 *
 * @param stateDict the weights to post (e.g. `model.stateDict()`)
 * @param info what the main thread gets beside them (epoch, loss, ...)
 * @param options `port` (default `parentPort`), `copy` (default true)
 * @returns the transferred buffers
 *
 * @example
 * ```ts
 * torch.worker.postStateDict(model.stateDict(), { epoch, loss: loss.item() });
 * ```
 */
export function postStateDict<Info>(stateDict: Record<string, Tensor> | Map<string, Tensor>, info: Info, options: PostStateDictOptions = {}): ArrayBuffer[] {
  rejectUnknownOptions(options, POST_STATE_DICT);
  const port = options.port ?? parentPort;
  if (port === null) throw new Error('postStateDict: not in a worker thread (worker_threads.parentPort is null); pass options.port');
  const { message, transfer } = stateDictToMessage(stateDict, { copy: options.copy ?? true });
  const envelope: StateDictEnvelope<Info> = { type: STATE_DICT_MESSAGE, info, state: message };
  port.postMessage(envelope, transfer);
  return transfer;
}

/**
 * True for a message posted by `postStateDict`.
 *
 * @param value a received message
 * @returns whether it is a state dict posted by `postStateDict`
 */
export function isStateDictEnvelope(value: unknown): value is StateDictEnvelope {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === STATE_DICT_MESSAGE;
}

/** One epoch as the main thread receives it. */
export interface EpochUpdate<Info = unknown> {
  /** What the worker passed as `info` (epoch number, loss, ...). */
  info: Info;
  /** The weights, as tensors over the transferred buffers (ready for `loadStateDict`). */
  stateDict: Record<string, Tensor>;
}

/** Options of `trainInWorker`: worker_threads' WorkerOptions (workerData, env, resourceLimits, ...). */
export type TrainInWorkerOptions = WorkerOptions;

/**
 * A training worker seen from the main thread: an async iterable of the
 * epochs it posts with `postStateDict` (in order, none dropped; other messages
 * are left to `worker.on('message')`). Iteration ends when the worker exits
 * with code 0 or is stopped with `terminate()`, and throws if it fails (an
 * uncaught error, any other non-zero exit, a malformed state dict). Leaving a `for await` early (break, throw) terminates
 * the worker. One consumer only.
 */
export class TrainingWorker<Info = unknown> implements AsyncIterable<EpochUpdate<Info>> {
  /** The underlying Worker (post to it, listen to its other messages). */
  readonly worker: Worker;
  /** Resolves with the exit code when the worker stops (never rejects). */
  readonly exited: Promise<number>;
  private readonly queue: StateDictEnvelope<Info>[] = [];
  private failure: Error | null = null;
  private ended = false;
  private wake: (() => void) | null = null;
  private iterating = false;
  private stopping = false;

  /** @internal Use `trainInWorker`. */
  constructor(worker: Worker) {
    this.worker = worker;
    worker.on('message', (m: unknown) => {
      if (isStateDictEnvelope(m)) {
        this.queue.push(m as StateDictEnvelope<Info>);
        this.notify();
      }
    });
    worker.on('error', (e: unknown) => {
      this.failure ??= e instanceof Error ? e : new Error(`training worker failed: ${String(e)}`);
      this.notify();
    });
    worker.on('messageerror', (e: Error) => {
      this.failure ??= new Error(`training worker: a message could not be deserialized: ${e.message}`);
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      worker.on('exit', (code: number) => {
        if (code !== 0 && !this.stopping) this.failure ??= new Error(`training worker exited with code ${code}`);
        this.ended = true;
        this.notify();
        resolve(code);
      });
    });
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    if (w !== null) w();
  }

  /** Stops the worker (iteration then ends normally, after the epochs already received); resolves with its exit code. */
  async terminate(): Promise<number> {
    this.stopping = true;
    await this.worker.terminate();
    return this.exited;
  }

  /** Yields an update per posted state dict until the worker exits; throws if it fails. */
  [Symbol.asyncIterator](): AsyncIterator<EpochUpdate<Info>> {
    if (this.iterating) throw new Error('TrainingWorker: already being iterated (one consumer only)');
    this.iterating = true;
    return {
      next: async (): Promise<IteratorResult<EpochUpdate<Info>>> => {
        for (;;) {
          if (this.failure !== null) throw this.failure;
          const m = this.queue.shift();
          if (m !== undefined) {
            try {
              return { done: false, value: { info: m.info, stateDict: stateDictFromMessage(m.state) } };
            } catch (e) {
              await this.terminate();
              throw e;
            }
          }
          if (this.ended) return { done: true, value: undefined };
          await new Promise<void>((resolve) => { this.wake = resolve; });
        }
      },
      return: async (): Promise<IteratorResult<EpochUpdate<Info>>> => {
        if (!this.ended) await this.terminate();
        return { done: true, value: undefined };
      },
    };
  }
}

/**
 * Starts `script` (a path or file: URL of a JS file that trains and calls
 * `postStateDict` after each epoch) in a worker thread. See `TrainingWorker`.
 * No PyTorch counterpart (closest: a `torch.multiprocessing` trainer).
 *
 * @param script the worker's entry file
 * @param options worker_threads' WorkerOptions (`workerData`, `env`, `resourceLimits`, ...)
 * @returns an async iterable of the posted epochs
 *
 * @example
 * ```ts
 * const training = torch.worker.trainInWorker(new URL('./train-worker.mjs', import.meta.url), { workerData: { epochs: 5 } });
 * for await (const { info, stateDict } of training) served.loadStateDict(stateDict);
 * ```
 */
export function trainInWorker<Info = unknown>(script: string | URL, options: TrainInWorkerOptions = {}): TrainingWorker<Info> {
  return new TrainingWorker<Info>(new Worker(script, options));
}

/**
 * Lowers the scheduling priority of the calling thread (Linux: its nice value,
 * through /proc/thread-self; raising niceness needs no privilege). Call it at
 * the top of a training worker so the main thread's request handlers win the
 * CPU when cores are busy; call it before the worker's first large GEMM, so
 * the helper threads of its pool (see setNumThreads), started then, inherit
 * it. Returns false where unsupported (other systems).
 *
 * @param niceness how much to lower it (default 10; 19 is the lowest priority)
 * @returns false where unsupported
 */
export function lowerThreadPriority(niceness = 10): boolean {
  if (!Number.isInteger(niceness) || niceness < 0 || niceness > 19) throw new RangeError(`lowerThreadPriority: niceness must be an integer in 0..19, got ${niceness}`);
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}
