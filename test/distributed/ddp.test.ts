/**
 * The issue's bar: 2-rank DistributedDataParallel, each rank on half of every
 * batch, ends with the weights of one process trained on the whole batch
 * (float64 within 1e-12, float32 within 1e-5), with SGD momentum and Adam, with
 * and without noSync gradient accumulation; the replicas stay identical and
 * start from rank 0's weights. See scripts/ddp-equivalence.mjs.
 */
import { describe, expect, it } from 'vitest';
import { hasMpirun, runMpi, skipMessage } from './mpirun';

interface Case {
  dtype: string;
  opt: string;
  accumulate: boolean;
  buckets: number;
  diff: number;
  replicas: number;
  moved: number;
}

describe.skipIf(!hasMpirun)('DistributedDataParallel under mpirun -np 2', () => {
  it('equals single-process training on the combined batch', () => {
    const r = runMpi(2, 'test/distributed/scripts/ddp-equivalence.mjs');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const cases = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Case);
    expect(cases.length).toBe(8);
    for (const c of cases) {
      const name = `${c.dtype} ${c.opt}${c.accumulate ? ' noSync' : ''}`;
      expect(c.diff, name).toBeLessThanOrEqual(c.dtype === 'float64' ? 1e-12 : 1e-5);
      expect(c.replicas, name).toBe(0);
      // Training moved the weights well beyond the tolerance, through several buckets.
      expect(c.moved, name).toBeGreaterThan(1e-2);
      expect(c.buckets, name).toBeGreaterThan(1);
    }
  });
});

if (!hasMpirun) it.skip(skipMessage, () => undefined);
