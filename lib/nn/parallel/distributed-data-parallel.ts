/**
 * nn.parallel.DistributedDataParallel over torch.distributed's MPI group:
 * every rank runs the same model on its own part of each batch, and backward
 * averages the gradients across ranks (see reducer.ts), so an optimizer step
 * on each rank keeps the replicas equal.
 */
import type { Tensor } from '../../tensor';
import { Module, type AnyModule } from '../module';
import { broadcastSync } from '../../distributed/collectives';
import { defaultGroup } from '../../distributed/process-group';
import { Reducer } from './reducer';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of DistributedDataParallel (PyTorch's keywords). */
export interface DistributedDataParallelOptions {
  /** Bucket size in MiB for the gradient allreduce (default 25, PyTorch's). */
  bucketCapMb?: number;
  /** Broadcast rank 0's buffers (e.g. BatchNorm's running stats) before each forward (default true). */
  broadcastBuffers?: boolean;
}

const DDP_OPTIONS = defineOptions<DistributedDataParallelOptions>('DistributedDataParallel', { bucketCapMb: true, broadcastBuffers: true });

/**
 * Wraps `module` for data-parallel training (PyTorch's
 * `DistributedDataParallel`). At construction every rank receives rank 0's
 * parameters and buffers; `forward` calls the module; `backward()` on the
 * loss returns with each gradient averaged across ranks, the allreduce of a
 * bucket running while backward computes the rest. The state dict keys gain
 * the `module.` prefix, as PyTorch's.
 *
 *   torch.distributed.initProcessGroup({ backend: 'mpi' });
 *   const ddp = new nn.parallel.DistributedDataParallel(model);
 *   const loss = lossFn.forward(ddp.forward(xLocal), yLocal);
 *   loss.backward();          // gradients averaged over the ranks
 *   opt.step();
 */
export class DistributedDataParallel<Args extends unknown[] = Tensor[], Out = Tensor> extends Module<Args, Out> {
  /** The wrapped module. */
  readonly module: Module<Args, Out>;
  private readonly reducer: Reducer;
  private readonly broadcastBuffers: boolean;

  /**
   * @param module the model to replicate (rank 0's weights are broadcast)
   * @param options `bucketCapMb` (default 25), `broadcastBuffers` (default true)
   */
  constructor(module: Module<Args, Out>, options: DistributedDataParallelOptions = {}) {
    super();
    if (!(module instanceof Module)) throw new TypeError('DistributedDataParallel: module must be an nn.Module');
    rejectUnknownOptions(options, DDP_OPTIONS);
    const capMb = options.bucketCapMb ?? 25;
    if (typeof capMb !== 'number' || !(capMb > 0)) throw new RangeError(`DistributedDataParallel: bucketCapMb must be a positive number (got ${String(capMb)})`);
    defaultGroup('DistributedDataParallel');
    this.module = module;
    this.registerModule('module', module as unknown as AnyModule);
    this.broadcastBuffers = options.broadcastBuffers ?? true;
    for (const t of [...module.parameters(), ...module.buffers()]) broadcastSync(t, 0);
    const named = module.namedParameters().filter(([, p]) => p.requiresGrad);
    this.reducer = new Reducer(named, capMb * 1024 * 1024);
  }

  /**
   * Runs the module; first checks the last backward's reduction finished and syncs buffers.
   *
   * @param inputs what the wrapped module's `forward` takes
   * @returns what it returns
   */
  forward(...inputs: Args): Out {
    this.reducer.checkFinished();
    if (this.broadcastBuffers) for (const t of this.module.buffers()) broadcastSync(t, 0);
    return this.module.forward(...inputs);
  }

  /**
   * Runs `fn` with gradient averaging off (PyTorch's `no_sync()` context):
   * backward passes inside only accumulate local gradients; the first
   * backward outside averages the accumulated sums.
   *
   * @param fn the code whose backward passes accumulate gradients without averaging
   * @returns what `fn` returns
   */
  noSync<T>(fn: () => T): T {
    const before = this.reducer.enabled;
    this.reducer.enabled = false;
    try {
      return fn();
    } finally {
      this.reducer.enabled = before;
    }
  }

  /** Number of gradient buckets (one allreduce each per backward). */
  get bucketCount(): number {
    return this.reducer.bucketCount;
  }
}
