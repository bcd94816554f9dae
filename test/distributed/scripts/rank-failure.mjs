// Run under `mpirun -np 2`: rank 1 fails ('throw', 'exit') or stalls ('stall')
// while rank 0 waits in an allReduce. The job must end, never hang: mpirun
// stops the survivors of a rank that exits, and a collective that gets no
// answer within the group's timeout fails on the waiting rank.
import * as torch from 'torchlet';

const mode = process.argv[2];
const dist = torch.distributed;
dist.initProcessGroup({ backend: 'mpi', timeout: mode === 'stall' || mode === 'exit0' ? 1500 : 60_000 });
const t0 = Date.now();
if (dist.getRank() === 1) {
  if (mode === 'throw') throw new Error('rank 1 fails on purpose');
  if (mode === 'exit') process.exit(3);
  if (mode === 'exit0') process.exit(0);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
} else {
  try {
    await dist.allReduce(torch.ones([1000]));
    console.log('rank 0: allReduce returned (unexpected)');
  } catch (e) {
    console.log(`rank 0: error after ${Date.now() - t0} ms: ${e.message}`);
    process.exitCode = 2;
  }
}
