// Trains XOR through the installed package, CommonJS side: require('torchlet').
// Copied into the temporary project by scripts/test-package.sh; prints one JSON
// line (what info() says about the loaded addon, and the predictions).
'use strict';
const torch = require('torchlet');
const { nn, optim } = torch;

torch.manualSeed(0);
const x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = torch.tensor([[0], [1], [1], [0]]);
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
const out = torch.noGrad(() => model.forward(x).toArray()).map((r) => r[0]);
const i = torch.info();
console.log(JSON.stringify({
  api: 'require', backend: torch.getBackend(), loss: loss.item(), out,
  addon: i.addon, blas: i.blas && { vendor: i.blas.vendor, linkage: i.blas.linkage, config: i.blas.config },
  packageRoot: i.packageRoot,
}));
