// A strict TypeScript training script: two interleaved spirals, an MLP, Adam
// with a step schedule, a DataLoader, evaluation without casts, and a
// safetensors round trip. `npm test` typechecks it against the built package
// with tsconfig.json here (as a project that depends on torchlet would) and runs it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from 'torchlet';
import { nn, optim, data, type Tensor } from 'torchlet';

/** `n` points per class on two spirals, with int32 labels 0 and 1. */
function spirals(n: number, generator: torch.Generator): { x: Tensor; y: Tensor } {
  const t = torch.rand(n, { generator }).mul(2 * Math.PI).add(0.5);
  const noise = (): Tensor => torch.randn(n, { generator }).mul(0.03);
  const arm = (sign: 1 | -1): Tensor => torch.stack([
    t.cos().mul(t).mul(sign / 10).add(noise()),
    t.sin().mul(t).mul(sign / 10).add(noise()),
  ], 1);
  const x = torch.cat([arm(1), arm(-1)]);
  const y = torch.cat([torch.zeros(n, { dtype: 'int32' }), torch.ones(n, { dtype: 'int32' })]);
  return { x, y };
}

/** Share of rows of `logits` whose argmax is the label. */
function accuracy(logits: Tensor, labels: Tensor): number {
  const predicted: number[] = logits.argmax(1).toArray(1);   // typed by the rank: no cast
  const truth: number[] = labels.toArray(1);
  return predicted.filter((p, i) => p === truth[i]).length / truth.length;
}

torch.manualSeed(0);
const generator = new torch.Generator(1);
const { x, y } = spirals(300, generator);
const [train, test] = data.randomSplit(new data.TensorDataset(x, y), [0.8, 0.2], { generator });
const loader = new data.DataLoader(train, { batchSize: 32, shuffle: true, generator });

const model = new nn.Sequential(
  new nn.Linear(2, 64), new nn.Tanh(),
  new nn.Linear(64, 64), new nn.Tanh(),
  new nn.Linear(64, 2),
);
const lossFn = new nn.CrossEntropyLoss();
const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
const scheduler = new optim.lrScheduler.StepLR(opt, 60, { gamma: 0.5 });

let last = Infinity;
for (let epoch = 0; epoch < 100; epoch++) {
  model.train();
  let total = 0;
  for (const [xb, yb] of loader) {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(xb), yb);
    loss.backward();
    opt.step();
    total += loss.item() * xb.shape[0];
  }
  scheduler.step();
  last = total / train.length;
}

model.eval();
const [xTest, yTest] = data.defaultCollate(Array.from({ length: test.length }, (_, i) => test.get(i)));
const testAccuracy = torch.noGrad(() => accuracy(model.forward(xTest), yTest));
console.log(`train loss ${last.toFixed(4)}, held-out accuracy ${(100 * testAccuracy).toFixed(1)}%`);

// Save the weights, load them into a fresh model, and check it predicts the same.
const dir = mkdtempSync(join(tmpdir(), 'torchlet-ts-'));
try {
  const file = join(dir, 'spirals.safetensors');
  await torch.save(model.stateDict(), file, { epochs: '100' });
  const copy = new nn.Sequential(new nn.Linear(2, 64), new nn.Tanh(), new nn.Linear(64, 64), new nn.Tanh(), new nn.Linear(64, 2));
  copy.loadStateDict(await torch.load(file));
  const same = torch.noGrad(() => copy.forward(xTest).eq(model.forward(xTest)).min().item());
  if (same !== 1) throw new Error('the loaded model predicts differently');
  if (testAccuracy < 0.9) throw new Error(`held-out accuracy ${testAccuracy} is below 90%`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
