/**
 * A rank failure never hangs the job: a rank that throws makes mpirun stop
 * the others; a rank that stalls makes the waiting rank's collective fail
 * after the group's timeout, with an error saying why. See scripts/rank-failure.mjs.
 */
import { describe, expect, it } from 'vitest';
import { hasMpirun, runMpi, skipMessage } from './mpirun';

describe.skipIf(!hasMpirun)('a failing rank under mpirun -np 2', () => {
  it('a rank that throws: the job ends with its error, well before the 60 s collective timeout', () => {
    const r = runMpi(2, 'test/distributed/scripts/rank-failure.mjs', ['throw'], 40_000);
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stderr).toContain('rank 1 fails on purpose');
    expect(r.ms).toBeLessThan(30_000);
  });

  it('a rank that stalls: the waiting rank gets a timeout error naming the collective, then the job ends', () => {
    const r = runMpi(2, 'test/distributed/scripts/rank-failure.mjs', ['stall'], 40_000);
    expect(r.status).not.toBeNull();
    expect(r.stdout).toMatch(/rank 0: error after \d+ ms: allReduce: no answer from the other ranks within 1500 ms \(a rank failed, exited, or called a different collective or none\)/);
    const waited = Number(/error after (\d+) ms/.exec(r.stdout)?.[1]);
    expect(waited).toBeGreaterThanOrEqual(1500);
    expect(waited).toBeLessThan(10_000);
    expect(r.ms).toBeLessThan(30_000);
  });
});

if (!hasMpirun) it.skip(skipMessage, () => undefined);
