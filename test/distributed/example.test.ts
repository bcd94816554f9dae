/** examples/distributed/mnist.mjs --quick under mpirun -np 2: trains to > 80% held-out accuracy. */
import { describe, expect, it } from 'vitest';
import { hasMpirun, runMpi, skipMessage } from './mpirun';

describe.skipIf(!hasMpirun)('examples/distributed/mnist.mjs', () => {
  it('trains the MNIST MLP on 2 ranks', () => {
    const r = runMpi(2, 'examples/distributed/mnist.mjs', ['--quick'], 120_000);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('2 ranks, 2000 training digits (1000 per rank), global batch 100 (50 per rank)');
    const acc = Number(/held-out accuracy ([\d.]+)%/.exec(r.stdout)?.[1]);
    expect(acc).toBeGreaterThan(80);
  });
});

if (!hasMpirun) it.skip(skipMessage, () => undefined);
