/** The addon's process-group entry points (native/distributed.cc), typed. */
import { loadAddon } from '../backend/native';
import type { Num } from '../backend/kernels';

/** Opaque handles the addon hands out. */
export type GroupHandle = { readonly __group: unique symbol };
export type WorkHandle = { readonly __work: unique symbol };
/** Called on the JS thread when a callback-form collective is done. */
export type Done = (error: Error | null) => void;
/** The reductions MPI performs ('avg' is a sum divided by the world size). */
export type ReduceOpName = 'sum' | 'avg' | 'product' | 'min' | 'max';

/** `addon.distributed`. Each collective returns a work handle without `done`, undefined with it. */
export interface DistributedAddon {
  init(timeoutMs: number): { group: GroupHandle; rank: number; worldSize: number };
  allReduce(g: GroupHandle, tensor: Num, op: ReduceOpName, done?: Done): WorkHandle | undefined;
  broadcast(g: GroupHandle, tensor: Num, src: number, done?: Done): WorkHandle | undefined;
  allGather(g: GroupHandle, input: Num, output: Num, done?: Done): WorkHandle | undefined;
  reduceScatter(g: GroupHandle, input: Num, output: Num, op: ReduceOpName, done?: Done): WorkHandle | undefined;
  barrier(g: GroupHandle, done?: Done): WorkHandle | undefined;
  wait(work: WorkHandle): void;
  destroy(g: GroupHandle): void;
}

const NAMES = ['init', 'allReduce', 'broadcast', 'allGather', 'reduceScatter', 'barrier', 'wait', 'destroy'] as const satisfies readonly (keyof DistributedAddon)[];

/** The addon's `distributed` functions; an Error when the addon predates them. */
export function distributedAddon(): DistributedAddon {
  const d = (loadAddon() as unknown as { distributed?: Record<string, unknown> }).distributed;
  const missing = NAMES.filter((n) => typeof d?.[n] !== 'function');
  if (missing.length > 0) {
    throw new Error(`initProcessGroup: the native addon has no MPI support (missing distributed.${missing.join(', distributed.')}); rebuild it (npx node-gyp rebuild)`);
  }
  return d as unknown as DistributedAddon;
}
