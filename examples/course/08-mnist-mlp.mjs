/**
 * Lesson 08: an MLP on real data, the MNIST digits. data.datasets.mnist()
 * returns the 10,000 digits of the `mnist` package grouped by digit, so a
 * seeded permutation picks the training images and a held-out set (by default
 * 8,000 / 2,000). Pixels are normalised with MNIST's mean and std (0.1307,
 * 0.3081); a 784-512-10 ReLU MLP with dropout 0.2 is trained with Adam
 * (lr 2e-3, cosine-annealed to 0 over the epochs) on CrossEntropyLoss in
 * shuffled mini-batches of 100 from a DataLoader.
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';
import { accuracy, curve, splitRows, trainEpochs } from './util.mjs';

/** The images as [N, 784] normalised float32 and the labels [N] int32 (read once per process). */
let cache = null;
export function loadMnist() {
  if (cache === null) {
    const { images, labels } = torch.data.datasets.mnist();
    cache = { images: images.sub(0.1307).div(0.3081), labels };
  }
  return cache;
}

/**
 * @param {{ epochs?: number, nTrain?: number, nTest?: number, batchSize?: number, lr?: number, hidden?: number[],
 *           dropout?: number, seed?: number, log?: (line: string) => void, track?: import('../tools/progress.mjs').Track }} [options]
 */
export function run({ epochs = 8, nTrain = 8000, nTest = 2000, batchSize = 100, lr = 2e-3, hidden = [512], dropout = 0.2, seed = 0,
  log = () => {}, track = silentTrack } = {}) {
  const { nn, data } = torch;
  torch.manualSeed(seed);
  const t0 = performance.now();
  const { images, labels } = loadMnist();
  const [[xTrain, yTrain], [xRest, yRest]] = splitRows([images, labels], nTrain, new torch.Generator(seed));
  const xTest = xRest.narrow(0, 0, nTest);
  const yTest = yRest.narrow(0, 0, nTest);
  log(`MNIST from the mnist package: ${images.shape[0]} digits read in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${nTrain} train / ${nTest} held-out`);

  const sizes = [784, ...hidden, 10];
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new nn.Linear(sizes[i], sizes[i + 1]));
    if (i + 2 < sizes.length) layers.push(new nn.ReLU());
    if (i + 2 < sizes.length && dropout > 0) layers.push(new nn.Dropout(dropout));
  }
  const model = new nn.Sequential(...layers);
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new torch.optim.Adam(model.parameters(), { lr });
  const schedule = new torch.optim.lrScheduler.CosineAnnealingLR(opt, epochs);
  const loader = new data.DataLoader(new data.TensorDataset(xTrain, yTrain), { batchSize, shuffle: true, generator: new torch.Generator(seed + 1) });
  log(`model ${sizes.join('-')} (ReLU${dropout > 0 ? `, dropout ${dropout}` : ''}), Adam lr ${lr} cosine-annealed, batch ${batchSize}, ${epochs} epochs`);

  const { losses, epochLog } = trainEpochs({
    model, lossFn, opt, schedule, loader, epochs, bar: track('MNIST MLP', { total: epochs, unit: 'epoch', samplesPerUnit: nTrain }),
    evaluate: () => torch.noGrad(() => accuracy(model.forward(xTest), yTest)),
  });
  for (const e of epochLog) log(`epoch ${String(e.epoch).padStart(2)}: mean training loss ${e.loss.toFixed(4)}, held-out accuracy ${(100 * e.testAccuracy).toFixed(2)}%`);
  const trainAccuracy = torch.noGrad(() => accuracy(model.forward(xTrain), yTrain));
  const testAccuracy = epochLog[epochLog.length - 1].testAccuracy;
  log(`held-out accuracy ${(100 * testAccuracy).toFixed(2)}% (${Math.round(testAccuracy * nTest)}/${nTest}); training accuracy ${(100 * trainAccuracy).toFixed(2)}%`);

  return {
    testAccuracy, trainAccuracy, finalLoss: epochLog[epochLog.length - 1].loss, epochs: epochLog,
    summary: `held-out accuracy ${(100 * testAccuracy).toFixed(2)}%`,
    charts: [
      { kind: 'line', file: '08-mnist-mlp-loss', title: `MNIST ${sizes.join('-')}: cross-entropy per mini-batch`, xTitle: 'mini-batch', yTitle: 'cross-entropy', logY: true,
        series: { 'training loss': curve(losses) } },
      { kind: 'line', file: '08-mnist-mlp-accuracy', title: 'MNIST: held-out accuracy per epoch', xTitle: 'epoch', yTitle: 'accuracy (%)',
        series: { 'held-out': epochLog.map((e) => [e.epoch, 100 * e.testAccuracy]) } },
    ],
  };
}
