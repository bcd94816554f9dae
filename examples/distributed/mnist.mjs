// Data-parallel training of the MNIST MLP (lesson 08) over MPI.
//   mpirun -np 2 node examples/distributed/mnist.mjs [--epochs N] [--quick]
// (as root add --allow-run-as-root; on a 2-core machine add --oversubscribe.)
// Each rank trains on its DistributedSampler share of every epoch with a
// local batch of 100 / worldSize, DistributedDataParallel averages the
// gradients, so every step is one step on a global batch of 100. See README.md
// here for several machines.
import * as torch from 'torchlet';
import { loadMnist } from '../course/08-mnist-mlp.mjs';
import { accuracy, splitRows } from '../course/util.mjs';

const { nn, optim, data, distributed: dist } = torch;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const epochsAt = args.indexOf('--epochs');
const epochs = epochsAt >= 0 ? Number(args[epochsAt + 1]) : quick ? 1 : 4;
const nTrain = quick ? 2000 : 8000;
const nTest = 2000;
const globalBatch = 100;

dist.initProcessGroup({ backend: 'mpi' });
const rank = dist.getRank();
const world = dist.getWorldSize();
const log = (line) => { if (rank === 0) console.log(line); };
if (globalBatch % world !== 0) throw new Error(`the global batch of ${globalBatch} must divide by the ${world} ranks`);

// Every rank reads the same split; the sampler gives each its share.
torch.manualSeed(0);
const { images, labels } = loadMnist();
const [[xTrain, yTrain], [xRest, yRest]] = splitRows([images, labels], nTrain, new torch.Generator(0));
const xTest = xRest.narrow(0, 0, nTest);
const yTest = yRest.narrow(0, 0, nTest);
const train = new data.TensorDataset(xTrain, yTrain);
const sampler = new data.DistributedSampler(train, { shuffle: true, seed: 1 });
const loader = new data.DataLoader(train, { batchSize: globalBatch / world, sampler });

const model = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(512, 10));
// Rank 0's initial weights reach every rank here; dropout masks then differ per rank.
const ddp = new nn.parallel.DistributedDataParallel(model);
torch.manualSeed(100 + rank);
const lossFn = new nn.CrossEntropyLoss();
const opt = new optim.Adam(ddp.parameters(), { lr: 2e-3 });
const schedule = new optim.lrScheduler.CosineAnnealingLR(opt, epochs);
log(`${world} ranks, ${nTrain} training digits (${sampler.length} per rank), global batch ${globalBatch} (${globalBatch / world} per rank), ${epochs} epochs`);

const t0 = performance.now();
for (let epoch = 1; epoch <= epochs; epoch++) {
  sampler.setEpoch(epoch);
  ddp.train();
  const stats = torch.zeros([2], { dtype: 'float64' });  // loss sum, batches
  for (const [xb, yb] of loader) {
    opt.zeroGrad();
    const loss = lossFn.forward(ddp.forward(xb), yb);
    loss.backward();  // returns with gradients averaged over the ranks
    opt.step();
    stats.data[0] += loss.item();
    stats.data[1] += 1;
  }
  schedule.step();
  await dist.allReduce(stats);  // the mean training loss over all ranks
  ddp.eval();
  const acc = torch.noGrad(() => accuracy(ddp.forward(xTest), yTest));
  log(`epoch ${epoch}: mean training loss ${(stats.data[0] / stats.data[1]).toFixed(4)}, held-out accuracy ${(100 * acc).toFixed(2)}%`);
}
log(`${((performance.now() - t0) / 1000).toFixed(1)} s of training on ${world} ranks`);
dist.destroyProcessGroup();
