// torch.distributed over MPI: allreduce time per MB, and a DistributedDataParallel
// step's overhead against a plain step on the same per-rank batch.
//   npm run build && node bench/distributed.js [--np 2] [--quick]
// Started without mpirun, it relaunches itself under `mpirun -np N --oversubscribe`
// with OPENBLAS_NUM_THREADS=1 per rank.
//
// What 2 ranks on a 2-core machine can show: the cost of MPI's shared-memory
// allreduce per MB and the fixed cost DDP adds to a step (copying gradients
// into buckets, the size agreement round, waiting for the last bucket). What
// it cannot show: scaling (the ranks share the cores one process would use),
// the network between machines (TCP or InfiniBand costs far more per MB than
// shared memory), or how much of the allreduce hides behind backward (the
// communication thread competes with the computation for the same cores).
'use strict';
const { spawnSync } = require('child_process');

const args = process.argv.slice(2);
const quick = args.includes('--quick');

if (process.env.OMPI_COMM_WORLD_SIZE === undefined) {
  const np = args.includes('--np') ? args[args.indexOf('--np') + 1] : '2';
  const r = spawnSync('mpirun', ['-np', np, '--oversubscribe', '-x', 'OPENBLAS_NUM_THREADS=1', process.execPath, __filename, ...args], {
    stdio: 'inherit',
    env: { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' },
  });
  if (r.error) console.error(`bench/distributed.js: cannot start mpirun (${r.error.message}); install Open MPI: apt-get install openmpi-bin libopenmpi-dev`);
  process.exit(r.status ?? 1);
}

const torch = require('../dist');
const { nn, optim, distributed: dist } = torch;
dist.initProcessGroup({ backend: 'mpi', timeout: 120_000 });
const rank = dist.getRank();
const world = dist.getWorldSize();
const log = (line) => { if (rank === 0) console.log(line); };

function median(xs) {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

// Median over rounds of the mean ms per call of `fn`, all ranks starting each round together.
function time(fn, calls, rounds) {
  fn();
  const per = [];
  for (let r = 0; r < rounds; r++) {
    dist.barrierSync();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    per.push(Number(process.hrtime.bigint() - t0) / 1e6 / calls);
  }
  return median(per);
}

log(`torch.distributed bench: ${world} ranks (Open MPI, shared memory), OPENBLAS_NUM_THREADS=${process.env.OPENBLAS_NUM_THREADS}`);
log('\nallReduceSync (sum, float32) per call:');
log('     size |      ms | ms per MB |  GB/s (algorithm bandwidth)');
for (const kb of quick ? [4, 1024] : [4, 64, 1024, 4096, 16384]) {
  const t = torch.ones([(kb * 1024) / 4]);
  const calls = kb >= 4096 ? 5 : kb >= 1024 ? 20 : 200;
  const ms = time(() => dist.allReduceSync(t), quick ? 3 : calls, quick ? 3 : 7);
  const mb = kb / 1024;
  log(`${String(kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`).padStart(9)} | ${ms.toFixed(3).padStart(7)} | ${(ms / mb).toFixed(3).padStart(9)} | ${(mb / 1024 / (ms / 1000)).toFixed(2).padStart(5)}`);
}

// The MNIST MLP step of examples/distributed, per-rank batch 50.
function mlpStep(wrap) {
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 10));
  const net = wrap ? new nn.parallel.DistributedDataParallel(model) : model;
  const opt = new optim.Adam(net.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = torch.randn(50, 784);
  const y = torch.randint(0, 10, [50]);
  const step = () => {
    opt.zeroGrad();
    lossFn.forward(net.forward(x), y).backward();
    opt.step();
  };
  return { step, buckets: wrap ? net.bucketCount : 0, mb: model.parameters().reduce((s, p) => s + p.numel(), 0) * 4 / 2 ** 20 };
}

const plain = mlpStep(false);
const ddp = mlpStep(true);
const steps = quick ? 5 : 50;
const rounds = quick ? 3 : 7;
const tPlain = time(plain.step, steps, rounds);
const tDdp = time(ddp.step, steps, rounds);
const grads = torch.ones([Math.round((ddp.mb * 2 ** 20) / 4)]);
const tAllreduce = time(() => dist.allReduceSync(grads, { op: 'avg' }), steps, rounds);
log(`\nMNIST MLP 784-512-10, Adam, batch 50 per rank (${ddp.mb.toFixed(2)} MB of gradients, ${ddp.buckets} bucket${ddp.buckets === 1 ? '' : 's'}), ms per step:`);
log(`  plain step, every rank at once : ${tPlain.toFixed(3)}`);
log(`  DDP step                       : ${tDdp.toFixed(3)}  (+${(tDdp - tPlain).toFixed(3)} ms, ${((tDdp / tPlain - 1) * 100).toFixed(0)}%)`);
log(`  one allreduce of the gradients : ${tAllreduce.toFixed(3)}`);
dist.destroyProcessGroup();
