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

/** Each collective returns a work handle without `done`, undefined with it. */
export interface DistributedAddon {
  distributedInit(timeoutMs: number): { group: GroupHandle; rank: number; worldSize: number };
  distributedAllReduce(g: GroupHandle, tensor: Num, op: ReduceOpName, done?: Done): WorkHandle | undefined;
  distributedBroadcast(g: GroupHandle, tensor: Num, src: number, done?: Done): WorkHandle | undefined;
  distributedAllGather(g: GroupHandle, input: Num, output: Num, done?: Done): WorkHandle | undefined;
  distributedReduceScatter(g: GroupHandle, input: Num, output: Num, op: ReduceOpName, done?: Done): WorkHandle | undefined;
  distributedBarrier(g: GroupHandle, done?: Done): WorkHandle | undefined;
  distributedWait(work: WorkHandle): void;
  distributedDestroy(g: GroupHandle): void;
}

const NAMES = [
  'distributedInit', 'distributedAllReduce', 'distributedBroadcast', 'distributedAllGather',
  'distributedReduceScatter', 'distributedBarrier', 'distributedWait', 'distributedDestroy',
] as const satisfies readonly (keyof DistributedAddon)[];

/** The addon's distributed functions; an Error when the addon predates them. */
export function distributedAddon(): DistributedAddon {
  const a = loadAddon() as unknown as Record<string, unknown>;
  const missing = NAMES.filter((n) => typeof a[n] !== 'function');
  if (missing.length > 0) {
    throw new Error(`initProcessGroup: the native addon has no MPI support (missing ${missing.join(', ')}); rebuild it (npx node-gyp rebuild)`);
  }
  return a as unknown as DistributedAddon;
}
