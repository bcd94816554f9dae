/**
 * Trains the course's MNIST MLP (784-512-10) on the `mnist` package's digits
 * and saves it for server.mjs as safetensors (PyTorch-compatible keys).
 *
 *   node examples/serve/train-model.mjs                  # 3 epochs → examples/serve/model.safetensors
 *   node examples/serve/train-model.mjs --epochs 1 --out /tmp/m.safetensors
 *
 * Seeded (split, init, shuffling): the same machine writes the same file.
 * 8,000 digits train, the other 2,000 are held out (≈ 95% after 3 epochs).
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { torch, buildModel, mnistSplit, normalize, trainEpoch, accuracy, DEFAULT_MODEL } from './model.mjs';

/** Trains and saves; returns { path, testAccuracy, seconds }. */
export async function trainModel({ epochs = 3, out = DEFAULT_MODEL, seed = 0, lr = 2e-3, log = console.log } = {}) {
  const t0 = performance.now();
  torch.manualSeed(seed);
  const { xTrain, yTrain, xTest, yTest } = mnistSplit({ seed });
  const model = buildModel();
  const opt = new torch.optim.Adam(model.parameters(), { lr });
  const loader = new torch.data.DataLoader(new torch.data.TensorDataset(normalize(xTrain), yTrain),
    { batchSize: 100, shuffle: true, generator: new torch.Generator(seed + 1) });
  let testAccuracy = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const loss = trainEpoch(model, opt, loader);
    testAccuracy = accuracy(model, xTest, yTest);
    log(`epoch ${epoch}/${epochs}: mean loss ${loss.toFixed(4)}, held-out accuracy ${(100 * testAccuracy).toFixed(2)}%`);
  }
  await torch.save(model.stateDict(), out, {
    architecture: '784-512-10 ReLU MLP (examples/course/08-mnist-mlp.mjs)',
    input: 'raw pixels in [0, 1], normalised inside with mean 0.1307, std 0.3081',
    epochs: String(epochs), heldOutAccuracy: testAccuracy.toFixed(4),
  });
  const seconds = (performance.now() - t0) / 1000;
  log(`saved ${out} (held-out accuracy ${(100 * testAccuracy).toFixed(2)}%, ${seconds.toFixed(1)} s)`);
  return { path: out, testAccuracy, seconds };
}

if (fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { epochs: { type: 'string', default: '3' }, out: { type: 'string', default: DEFAULT_MODEL } } });
  const epochs = Number(values.epochs);
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`--epochs: expected a positive integer, got ${values.epochs}`);
  await trainModel({ epochs, out: values.out });
}
