// Fused vs unfused training steps on the native backend, in one process:
// the fusion switch (TORCHLET_FUSION=0 / setFusion) is toggled between rounds
// and the median µs per step of each is reported with their ratio.
//   npm run build && node bench/fusion.js
'use strict';
const torch = require('../dist');
const { setFusion } = require('../dist/ops/fused-switch');

const { nn, optim } = torch;
torch.setBackend('native');

function xorCase() {
  torch.manualSeed(0);
  const x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = torch.tensor([[0], [1], [1], [0]]);
  const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Sigmoid(), new nn.Linear(8, 1), new nn.Sigmoid());
  const lossFn = new nn.BCELoss();
  const opt = new optim.SGD(model.parameters(), { lr: 1, momentum: 0.9 });
  return { name: 'XOR 2-8-1 sigmoid, BCELoss, SGD momentum, batch 4', steps: 2000, rounds: 7, model, x, y, lossFn, opt };
}

function xorLogitsCase() {
  const c = xorCase();
  torch.manualSeed(0);
  c.model = new nn.Sequential(new nn.Linear(2, 8), new nn.Sigmoid(), new nn.Linear(8, 1));
  c.lossFn = new nn.BCEWithLogitsLoss();
  c.opt = new optim.SGD(c.model.parameters(), { lr: 1, momentum: 0.9 });
  c.name = 'XOR 2-8-1 sigmoid, BCEWithLogitsLoss, SGD momentum, batch 4';
  return c;
}

function mlpCase() {
  torch.manualSeed(0);
  const x = torch.rand([128, 784]);
  const y = torch.randint(0, 10, [128]);
  const model = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 256), new nn.ReLU(), new nn.Linear(256, 10));
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  return { name: 'MLP 784-512-256-10 ReLU, CrossEntropyLoss, SGD momentum, batch 128', steps: 40, rounds: 7, model, x, y, lossFn, opt };
}

function step(c) {
  c.opt.zeroGrad();
  const loss = c.lossFn.forward(c.model.forward(c.x), c.y);
  loss.backward();
  c.opt.step();
  return loss;
}

/** µs per step over `steps` steps. */
function timeSteps(c, fused) {
  setFusion(fused);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < c.steps; i++) step(c);
  return Number(process.hrtime.bigint() - t0) / 1e3 / c.steps;
}

const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

const info = torch.getNumThreads ? `BLAS threads ${torch.getNumThreads()}` : '';
console.log(`torchlet fusion benchmark (native backend${info ? ', ' + info : ''})`);
for (const make of [xorCase, xorLogitsCase, mlpCase]) {
  const c = make();
  timeSteps(c, true);
  timeSteps(c, false); // warm-up both paths
  const fused = [];
  const plain = [];
  for (let r = 0; r < c.rounds; r++) {
    plain.push(timeSteps(c, false));
    fused.push(timeSteps(c, true));
  }
  const f = median(fused);
  const p = median(plain);
  console.log(`${c.name}\n  unfused ${p.toFixed(1)} µs/step   fused ${f.toFixed(1)} µs/step   speedup ×${(p / f).toFixed(2)}`);
}
setFusion(true);
