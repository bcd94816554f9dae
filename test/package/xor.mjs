// Trains XOR through the installed package, ES-module side: `import` (named
// and default imports). Copied into the temporary project by
// scripts/test-package.sh; prints one JSON line like xor.cjs.
import torch, { nn, optim, tensor, noGrad, info, manualSeed } from 'torchlet';

manualSeed(0);
const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = tensor([[0], [1], [1], [0]]);
const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Sigmoid(), new nn.Linear(8, 1), new nn.Sigmoid());
const lossFn = new nn.BCELoss();
const opt = new optim.SGD(model.parameters(), { lr: 1, momentum: 0.9 });
let loss;
for (let step = 0; step < 2000; step++) {
  opt.zeroGrad();
  loss = lossFn.forward(model.forward(x), y);
  loss.backward();
  opt.step();
}
const out = noGrad(() => model.forward(x).toArray()).map((r) => r[0]);
const i = info();
console.log(JSON.stringify({
  api: 'import', backend: torch.getBackend(), loss: loss.item(), out,
  addon: i.addon, blas: i.blas && { vendor: i.blas.vendor, linkage: i.blas.linkage, config: i.blas.config },
  packageRoot: i.packageRoot,
}));
