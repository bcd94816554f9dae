/**
 * Every collective (both forms) and reduction on float32, float64 and int32,
 * against the expected values, under `mpirun -np 2`; the errors for calls
 * before init, init twice, mismatched shapes/dtypes/ops/collectives across
 * ranks and bad arguments. The checks run in scripts/collectives.mjs on each rank.
 */
import { describe, expect, it } from 'vitest';
import { hasMpirun, runMpi, skipMessage } from './mpirun';

describe.skipIf(!hasMpirun)('torch.distributed collectives under mpirun -np 2', () => {
  it('every collective and op on each dtype; clear errors on both ranks', () => {
    const r = runMpi(2, 'test/distributed/scripts/collectives.mjs');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/rank 0: ok \(\d+ checks\)/);
    expect(r.stdout).toMatch(/rank 1: ok \(\d+ checks\)/);
  });
});

if (!hasMpirun) it.skip(skipMessage, () => undefined);
