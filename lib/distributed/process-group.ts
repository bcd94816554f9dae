/**
 * The default process group (torch.distributed's init_process_group and
 * friends), over MPI: one per process, its ranks and world size those of
 * `mpirun`'s MPI_COMM_WORLD.
 */
import { distributedAddon, type DistributedAddon, type GroupHandle } from './addon';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of `initProcessGroup` (PyTorch's keywords). */
export interface InitProcessGroupOptions {
  /** The only backend: 'mpi' (Open MPI, loaded at run time). Default 'mpi'. */
  backend?: 'mpi';
  /**
   * Milliseconds a collective may wait for the other ranks before it fails
   * (a rank crashed, exited or called another collective). Default 30 min,
   * PyTorch's default.
   */
  timeout?: number;
}

interface DefaultGroup {
  addon: DistributedAddon;
  handle: GroupHandle;
  rank: number;
  worldSize: number;
}

const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;
let current: DefaultGroup | null = null;

const INIT_PROCESS_GROUP = defineOptions<InitProcessGroupOptions>('initProcessGroup', { backend: true, timeout: true });

/**
 * Starts MPI and makes the default process group (PyTorch's
 * `init_process_group(backend='mpi')`). Launch the script with
 * `mpirun -np N node script.js`; rank and world size come from mpirun, so
 * there is no `rank`/`worldSize`/`initMethod` to pass. Once per process: MPI
 * cannot start again after `destroyProcessGroup`.
 *
 * @param options `backend` ('mpi'), `timeout` in ms (default 30 min)
 */
export function initProcessGroup(options: InitProcessGroupOptions = {}): void {
  rejectUnknownOptions(options, INIT_PROCESS_GROUP);
  const backend = options.backend ?? 'mpi';
  if (backend !== 'mpi') {
    throw new RangeError(`initProcessGroup: backend '${String(backend)}' is not available; torchlet has 'mpi' only (no gloo or nccl)`);
  }
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout)) {
    throw new RangeError(`initProcessGroup: timeout must be a positive number of milliseconds (got ${String(timeout)})`);
  }
  if (current !== null) throw new Error('initProcessGroup: trying to initialize the default process group twice!');
  const addon = distributedAddon();
  const { group, rank, worldSize } = addon.init(timeout);
  current = { addon, handle: group, rank, worldSize };
}

/** Whether the default process group is initialized. */
export function isInitialized(): boolean {
  return current !== null;
}

/** @internal The default group, or an Error naming `where` when there is none. */
export function defaultGroup(where: string): DefaultGroup {
  if (current === null) {
    throw new Error(`${where}: the default process group has not been initialized; call torch.distributed.initProcessGroup({ backend: 'mpi' }) first, in a script launched with mpirun`);
  }
  return current;
}

/** This process's rank in the default group (0 ... worldSize - 1). */
export function getRank(): number {
  return defaultGroup('getRank').rank;
}

/** The number of processes in the default group. */
export function getWorldSize(): number {
  return defaultGroup('getWorldSize').worldSize;
}

/** The default group's backend: 'mpi'. */
export function getBackend(): 'mpi' {
  defaultGroup('getBackend');
  return 'mpi';
}

/**
 * Finishes the collectives in flight, then shuts MPI down (MPI_Finalize).
 * Call it at the end of every rank's script, as in PyTorch; the group cannot
 * be initialized again in the same process.
 */
export function destroyProcessGroup(): void {
  const g = defaultGroup('destroyProcessGroup');
  current = null;
  g.addon.destroy(g.handle);
}
