/**
 * Gradient averaging for DistributedDataParallel, in buckets, overlapped with
 * backward. Parameters go into buckets in reverse registration order (about
 * the order backward produces their gradients), one dtype per bucket, up to
 * `bucketCapBytes` each. A post-accumulate-grad hook copies each gradient
 * into its bucket as soon as it is complete; a full bucket is handed to the
 * communication thread at once (averaging across ranks while the JS thread
 * goes on with backward), buckets always in index order so every rank
 * submits the same sequence. When the last bucket is submitted, the hook
 * waits for all of them and copies the averages back into `.grad`, so
 * `backward()` returns with averaged gradients, as in PyTorch.
 */
import type { Tensor } from '../../tensor';
import type { DType } from '../../dtype';
import type { RemovableHandle } from '../../autograd/hooks';
import type { WorkHandle } from '../../distributed/addon';
import { defaultGroup } from '../../distributed/process-group';

interface Bucket {
  params: Tensor[];
  offsets: number[];
  flat: Float32Array | Float64Array;
  /** Parameters whose gradient has not arrived in this pass. */
  pending: number;
  work: WorkHandle | null;
}

/** Splits `params` (in order) into per-dtype groups of at most `capBytes` (a larger tensor gets its own). */
function assignBuckets(params: Tensor[], capBytes: number): Tensor[][] {
  const done: Tensor[][] = [];
  const open = new Map<DType, { list: Tensor[]; bytes: number }>();
  for (const p of params) {
    const size = p.numel() * (p.dtype === 'float64' ? 8 : 4);
    let cur = open.get(p.dtype);
    if (cur !== undefined && cur.bytes + size > capBytes) {
      done.push(cur.list);
      cur = undefined;
    }
    if (cur === undefined) open.set(p.dtype, (cur = { list: [], bytes: 0 }));
    cur.list.push(p);
    cur.bytes += size;
  }
  for (const c of open.values()) done.push(c.list);
  return done;
}

/** A DDP module's gradient reduction (see the module comment). */
export class Reducer {
  private readonly buckets: Bucket[];
  private readonly place = new Map<Tensor, { bucket: Bucket; offset: number }>();
  private readonly arrived = new Set<Tensor>();
  private readonly handles: RemovableHandle[];
  private readonly names: Map<Tensor, string>;
  /** Index of the next bucket to submit. */
  private next = 0;
  /** False inside noSync: gradients only accumulate locally. */
  enabled = true;

  constructor(named: [string, Tensor][], bucketCapBytes: number) {
    this.names = new Map(named.map(([n, p]) => [p, n]));
    const params = named.map(([, p]) => p);
    this.buckets = assignBuckets(params.slice().reverse(), bucketCapBytes).map((list) => {
      const offsets: number[] = [];
      let n = 0;
      for (const p of list) {
        offsets.push(n);
        n += p.numel();
      }
      const flat = list[0].dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
      const bucket: Bucket = { params: list, offsets, flat, pending: list.length, work: null };
      list.forEach((p, i) => this.place.set(p, { bucket, offset: offsets[i] }));
      return bucket;
    });
    this.handles = params.map((p) => p.registerPostAccumulateGradHook((t) => this.ready(t)));
  }

  /** Number of buckets (for tests and the bench). */
  get bucketCount(): number {
    return this.buckets.length;
  }

  /** A parameter's gradient is complete for this pass. */
  private ready(p: Tensor): void {
    if (!this.enabled) return;
    const where = this.place.get(p);
    const grad = p._grad;
    if (where === undefined || grad === null) return;
    if (this.arrived.has(p)) {
      throw new Error(`DistributedDataParallel: parameter '${this.names.get(p)}' received its gradient twice before the reduction finished`);
    }
    this.arrived.add(p);
    where.bucket.flat.set(grad.data, where.offset);
    where.bucket.pending--;
    const g = defaultGroup('DistributedDataParallel');
    while (this.next < this.buckets.length && this.buckets[this.next].pending === 0) {
      const b = this.buckets[this.next++];
      b.work = g.addon.allReduce(g.handle, b.flat, 'avg') as WorkHandle;
    }
    if (this.next === this.buckets.length) this.finish();
  }

  /** Waits for every bucket, copies the averages into `.grad`, resets for the next pass. */
  private finish(): void {
    const g = defaultGroup('DistributedDataParallel');
    try {
      for (const b of this.buckets) {
        if (b.work !== null) g.addon.wait(b.work);
      }
      for (const b of this.buckets) {
        b.params.forEach((p, i) => {
          const grad = p._grad as Tensor;
          grad.data.set(b.flat.subarray(b.offsets[i], b.offsets[i] + p.numel()));
        });
      }
    } finally {
      this.reset(g);
    }
  }

  private reset(g: ReturnType<typeof defaultGroup>): void {
    for (const b of this.buckets) {
      if (b.work !== null) {
        // Already waited for on success; after an error the buffers must still outlive MPI's use.
        try {
          g.addon.wait(b.work);
        } catch {
          // reported by finish()
        }
      }
      b.work = null;
      b.pending = b.params.length;
    }
    this.arrived.clear();
    this.next = 0;
  }

  /**
   * Throws when the previous backward left the reduction unfinished: some
   * parameters got no gradient (every parameter must take part in the loss;
   * findUnusedParameters is not supported). Checked at each forward, as PyTorch does.
   */
  checkFinished(): void {
    if (this.arrived.size === 0) return;
    const missing = [...this.place.keys()].filter((p) => !this.arrived.has(p)).map((p) => `'${this.names.get(p)}'`);
    this.reset(defaultGroup('DistributedDataParallel'));
    throw new Error(
      `DistributedDataParallel: the previous backward did not produce gradients for ${missing.join(', ')}, so the gradient ` +
        'reduction did not finish; every parameter must take part in computing the loss (findUnusedParameters is not supported)',
    );
  }

  /** Unregisters the hooks. */
  remove(): void {
    for (const h of this.handles) h.remove();
  }
}
