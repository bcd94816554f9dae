// Run under `mpirun -np N`: every collective and op on each dtype against the
// expected values, both forms, and the errors every rank must see. Prints
// "rank R: ok (C checks)" or the failures (exit code 1).
import * as torch from 'torchlet';

const dist = torch.distributed;
const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) failures.push(what);
}
function same(t, expected, what) {
  const got = Array.from(t.data);
  check(got.length === expected.length && got.every((v, i) => v === expected[i]), `${what}: got [${got}] expected [${expected}]`);
}
async function throwsLike(fn, pattern, what) {
  try {
    await fn();
    check(false, `${what}: did not throw`);
  } catch (e) {
    check(pattern.test(e.message), `${what}: message '${e.message}' does not match ${pattern}`);
  }
}

await throwsLike(() => dist.allReduceSync(torch.ones(2)), /allReduce: the default process group has not been initialized; call torch\.distributed\.initProcessGroup/, 'collective before init');
check(!dist.isInitialized(), 'isInitialized before init');
dist.initProcessGroup({ backend: 'mpi', timeout: 20_000 });
check(dist.isInitialized(), 'isInitialized after init');
await throwsLike(() => dist.initProcessGroup({ backend: 'mpi' }), /initProcessGroup: trying to initialize the default process group twice/, 'init twice');
const rank = dist.getRank();
const world = dist.getWorldSize();
check(dist.getBackend() === 'mpi', 'getBackend');
const ranks = Array.from({ length: world }, (_, r) => r);
const sum = (f) => ranks.reduce((s, r) => s + f(r), 0);
const prod = (f) => ranks.reduce((s, r) => s * f(r), 1);
// Per rank r and element i: v = (r + 1) * (i + 2) - 3 (negative values included).
const v = (r, i) => (r + 1) * (i + 2) - 3;
const n = 5;
const mine = (dtype) => torch.tensor(Array.from({ length: n }, (_, i) => v(rank, i)), { dtype });
const each = (f) => Array.from({ length: n }, (_, i) => f(i));

for (const dtype of ['float32', 'float64', 'int32']) {
  for (const sync of [true, false]) {
    const form = sync ? 'sync' : 'async';
    const allReduce = sync ? dist.allReduceSync : dist.allReduce;
    const expected = {
      sum: each((i) => sum((r) => v(r, i))),
      product: each((i) => prod((r) => v(r, i))),
      min: each((i) => Math.min(...ranks.map((r) => v(r, i)))),
      max: each((i) => Math.max(...ranks.map((r) => v(r, i)))),
      avg: each((i) => sum((r) => v(r, i)) / world),
    };
    for (const op of Object.values(dist.ReduceOp)) {
      const t = mine(dtype).reshape(1, n);
      if (op === 'avg' && dtype === 'int32') {
        await throwsLike(() => allReduce(t, { op }), /allReduce: op 'avg' needs a float32 or float64 tensor \(got int32\)/, `${form} int32 avg`);
        continue;
      }
      await allReduce(t, { op });
      same(t, expected[op].map((x) => (dtype === 'float32' ? Math.fround(x) : x)), `${form} allReduce ${op} ${dtype}`);
    }
    const b = rank === world - 1 ? mine(dtype) : torch.zeros([n], { dtype });
    await (sync ? dist.broadcastSync : dist.broadcast)(b, world - 1);
    same(b, each((i) => v(world - 1, i)), `${form} broadcast ${dtype}`);

    const list = ranks.map(() => torch.zeros([n], { dtype }));
    await (sync ? dist.allGatherSync : dist.allGather)(list, mine(dtype));
    ranks.forEach((r) => same(list[r], each((i) => v(r, i)), `${form} allGather[${r}] ${dtype}`));
    const flat = torch.zeros([world, n], { dtype });
    await (sync ? dist.allGatherIntoTensorSync : dist.allGatherIntoTensor)(flat, mine(dtype));
    same(flat, ranks.flatMap((r) => each((i) => v(r, i))), `${form} allGatherIntoTensor ${dtype}`);

    // Block b of rank r's input: v(r, i) + 10 b; rank r receives block r reduced.
    const blocks = ranks.map((blk) => torch.tensor(each((i) => v(rank, i) + 10 * blk), { dtype }));
    const out = torch.zeros([n], { dtype });
    await (sync ? dist.reduceScatterSync : dist.reduceScatter)(out, blocks, { op: 'max' });
    same(out, each((i) => Math.max(...ranks.map((r) => v(r, i))) + 10 * rank), `${form} reduceScatter max ${dtype}`);
    const out2 = torch.zeros([n], { dtype });
    await (sync ? dist.reduceScatterTensorSync : dist.reduceScatterTensor)(out2, torch.cat(blocks), { op: 'sum' });
    same(out2, each((i) => sum((r) => v(r, i) + 10 * rank)), `${form} reduceScatterTensor sum ${dtype}`);
    await (sync ? dist.barrierSync : dist.barrier)();
  }
}

// The async form leaves the event loop running: timers fire while collectives are queued.
let ticks = 0;
const timer = setInterval(() => ticks++, 0);
const big = torch.ones([1 << 20]);
const pending = [];
for (let k = 0; k < 20; k++) pending.push(dist.allReduce(big));
await Promise.all(pending);
clearInterval(timer);
check(big.data[0] === Math.fround(world ** 20) && big.data[(1 << 20) - 1] === Math.fround(world ** 20), `20 queued in-place allReduces: got ${big.data[0]}`);
check(ticks > 0, 'no timer fired while 20 async allReduces of 4 MB ran');

// Mismatches across ranks: an error on every rank (naming the collective and this rank's tensor), then the group still works.
await throwsLike(() => dist.allReduceSync(torch.ones([2 + rank, 3])), /allReduce: the tensors' sizes differ across ranks \(this rank: \d+ elements; the ranks have 6 to \d+\).*rank \d: tensor of shape \[\d, 3\], float32/, 'shape mismatch');
await throwsLike(() => dist.broadcastSync(torch.ones([3], { dtype: rank === 0 ? 'float32' : 'float64' }), 0), /broadcast: the tensors' dtypes differ across ranks/, 'dtype mismatch');
await throwsLike(() => dist.allReduceSync(torch.ones([3]), { op: rank === 0 ? 'sum' : 'max' }), /allReduce: the ranks passed different ops/, 'op mismatch');
await throwsLike(() => (rank === 0 ? dist.barrierSync() : dist.allReduceSync(torch.ones([1]))), /the ranks called different collectives/, 'collective mismatch');
const after = torch.ones([4]);
dist.allReduceSync(after);
same(after, [world, world, world, world], 'allReduce after the mismatches');
// Bad arguments: clear errors before anything is sent.
await throwsLike(() => dist.broadcastSync(torch.ones([2]), world), new RegExp(`broadcast: src must be a rank in \\[0, ${world - 1}\\] \\(got ${world}\\)`), 'src out of range');
await throwsLike(() => dist.allReduceSync(torch.ones([2]), { op: 'mean' }), /allReduce: op must be one of 'sum', 'avg', 'product', 'min', 'max' \(got mean\)/, 'unknown op');
await throwsLike(() => dist.allReduce([1, 2]), /allReduce: tensor must be a Tensor/, 'not a tensor (async form rejects)');
await throwsLike(() => dist.allGatherSync([torch.ones(2)], torch.ones(2)), /allGather: tensorList must be an array of worldSize/, 'short tensorList');
await throwsLike(() => dist.allGatherIntoTensorSync(torch.ones([3]), torch.ones([2])), /allGatherIntoTensor: output has shape \[3\], float32; expected worldSize/, 'allGatherIntoTensor size');

dist.destroyProcessGroup();
check(!dist.isInitialized(), 'isInitialized after destroy');
await throwsLike(() => dist.initProcessGroup(), /initProcessGroup: MPI was already started in this process/, 'init after destroy');
if (failures.length > 0) {
  console.log(`rank ${rank}: ${failures.length} of ${checks} checks failed:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log(`rank ${rank}: ok (${checks} checks)`);
}
