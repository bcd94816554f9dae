// XOR with a 2-8-1 MLP, trained by hand-written backprop-free SGD on autograd.
// (The nn/optim version arrives with the course examples.) Run: npm run demo
'use strict';
const torch = require('..');

torch.manualSeed(0);
const x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = torch.tensor([[0], [1], [1], [0]]);

// PyTorch's nn.Linear init: U(-1/sqrt(in), 1/sqrt(in)).
const init = (rows, cols, fanIn) => torch.rand(rows, cols).mul(2 / Math.sqrt(fanIn)).sub(1 / Math.sqrt(fanIn)).requiresGrad_();
const w1 = init(2, 8, 2);
const b1 = init(1, 8, 2);
const w2 = init(8, 1, 8);
const b2 = init(1, 1, 8);
const params = [w1, b1, w2, b2];
const forward = (input) => input.matmul(w1).add(b1).sigmoid().matmul(w2).add(b2).sigmoid();
const bce = (p, t) => t.mul(p.log()).add(t.neg().add(1).mul(p.neg().add(1).log())).mean().neg();

console.log(`torchlet XOR demo on the ${torch.getBackend()} backend`);
const started = process.hrtime.bigint();
for (let step = 0; step <= 2000; step++) {
  for (const p of params) p.grad = null;
  const loss = bce(forward(x), y);
  loss.backward();
  torch.noGrad(() => { for (const p of params) p.sub_(p.grad, 1.0); });
  if (step % 400 === 0) console.log(`step ${String(step).padStart(4)}  loss ${loss.item().toFixed(6)}`);
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const pred = torch.noGrad(() => forward(x));
console.log('x1 x2 | target | prediction');
const xs = x.toArray();
pred.toArray().forEach((p, i) => console.log(` ${xs[i][0]}  ${xs[i][1]} |   ${y.toArray()[i][0]}    | ${p[0].toFixed(4)}`));
const correct = pred.gt(0.5).eq(y).sum().item();
console.log(`${correct}/4 correct after 2000 steps in ${ms.toFixed(0)} ms (${(ms * 1000 / 2001).toFixed(1)} µs/step)`);
if (correct !== 4) process.exitCode = 1;
