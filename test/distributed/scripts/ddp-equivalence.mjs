// Run under `mpirun -np 2`: 2-rank DDP, each rank on half of every batch,
// against one process on the whole batch (rank 0 trains the reference).
// Prints one JSON line per case from rank 0: the largest parameter difference.
import * as torch from 'torchlet';

const { nn, optim, distributed: dist } = torch;
dist.initProcessGroup({ backend: 'mpi', timeout: 20_000 });
const rank = dist.getRank();
const world = dist.getWorldSize();

function makeModel(dtype) {
  torch.manualSeed(1);
  const model = new nn.Sequential(new nn.Linear(5, 8), new nn.Tanh(), new nn.Linear(8, 6), new nn.ReLU(), new nn.Linear(6, 3));
  return dtype === 'float64' ? model.double() : model;
}

function makeOptimizer(name, params) {
  return name === 'sgd' ? new optim.SGD(params, { lr: 0.1, momentum: 0.9 }) : new optim.Adam(params, { lr: 0.01 });
}

function batches(dtype) {
  const g = new torch.Generator(7);
  const out = [];
  for (let s = 0; s < 6; s++) {
    out.push([torch.randn([8, 5], { generator: g, dtype }), torch.randn([8, 3], { generator: g, dtype })]);
  }
  return out;
}

// Steps of single-process training on the whole batch, or (noSync) on two micro-batches with a summed loss.
function train(model, opt, data, part, accumulate) {
  const lossFn = new nn.MSELoss();
  for (const [x, y] of data) {
    opt.zeroGrad();
    const xs = part(x);
    const ys = part(y);
    if (accumulate) {
      const half = xs.shape[0] / 2;
      const first = () => lossFn.forward(model.forward(xs.narrow(0, 0, half)), ys.narrow(0, 0, half)).div(2).backward();
      if (model instanceof nn.parallel.DistributedDataParallel) model.noSync(first);
      else first();
      lossFn.forward(model.forward(xs.narrow(0, half, half)), ys.narrow(0, half, half)).div(2).backward();
    } else {
      lossFn.forward(model.forward(xs), ys).backward();
    }
    opt.step();
  }
}

function maxDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i].data;
    const e = b[i].data;
    for (let j = 0; j < d.length; j++) worst = Math.max(worst, Math.abs(d[j] - e[j]));
  }
  return worst;
}

for (const dtype of ['float64', 'float32']) {
  for (const optName of ['sgd', 'adam']) {
    for (const accumulate of [false, true]) {
      const data = batches(dtype);
      // Each rank starts from different weights: DDP's construction must broadcast rank 0's.
      const local = makeModel(dtype);
      if (rank !== 0) torch.noGrad(() => local.parameters().forEach((p) => p.add_(1)));
      const ddp = new nn.parallel.DistributedDataParallel(local, { bucketCapMb: 100 / (1024 * 1024) });
      const per = 8 / world;
      train(ddp, makeOptimizer(optName, ddp.parameters()), data, (t) => t.narrow(0, rank * per, per), accumulate);
      const params = local.parameters();
      const gathered = params.map((p) => [torch.zerosLike(p), torch.zerosLike(p)]);
      params.forEach((p, i) => dist.allGatherSync(gathered[i], p));
      if (rank === 0) {
        const ref = makeModel(dtype);
        train(ref, makeOptimizer(optName, ref.parameters()), data, (t) => t, accumulate);
        console.log(JSON.stringify({
          dtype, opt: optName, accumulate, buckets: ddp.bucketCount,
          diff: maxDiff(params, ref.parameters()),
          replicas: maxDiff(gathered.map((g) => g[0]), gathered.map((g) => g[1])),
          moved: maxDiff(params, makeModel(dtype).parameters()),
        }));
      }
    }
  }
}
dist.destroyProcessGroup();
