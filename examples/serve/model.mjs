/**
 * What the serving examples share: the course's MNIST MLP (784-512-10, ReLU,
 * dropout 0.2: examples/course/08-mnist-mlp.mjs), its input normalisation, the
 * training data and one epoch of training. Inputs are raw pixel intensities in
 * [0, 1] (as the `mnist` package stores them); `normalize()` (training) and
 * the server's input parser scale them with MNIST's mean and std, as the course does.
 */
import { fileURLToPath } from 'node:url';
import * as torch from 'torchlet';

/** torch.worker: moving state dicts between threads (lib/worker). */
export const workerApi = torch.worker;

export { torch };
export const PIXELS = 784;
export const CLASSES = 10;
export const MEAN = 0.1307;
export const STD = 0.3081;
export const DEFAULT_MODEL = fileURLToPath(new URL('./model.safetensors', import.meta.url));

/** The course's MNIST MLP; state-dict keys 0.weight, 0.bias, 3.weight, 3.bias (as PyTorch's nn.Sequential). */
export function buildModel({ hidden = 512, dropout = 0.2 } = {}) {
  const { nn } = torch;
  return new nn.Sequential(new nn.Linear(PIXELS, hidden), new nn.ReLU(), new nn.Dropout(dropout), new nn.Linear(hidden, CLASSES));
}

/** Loads a model saved by train-model.mjs (strict: the keys and shapes must match). */
export async function loadModel(path = DEFAULT_MODEL) {
  const { tensors, metadata } = await torch.io.loadWithMetadata(path);
  const hidden = tensors['0.weight']?.shape[0];
  if (hidden === undefined) throw new Error(`${path}: no "0.weight" tensor; is it a model saved by examples/serve/train-model.mjs?`);
  const model = buildModel({ hidden });
  model.loadStateDict(tensors);
  model.eval();
  return { model, metadata };
}

/** The `mnist` package's 10,000 digits as raw pixels [N, 784] in [0, 1] and labels [N]; split seeded into train / held-out. */
export function mnistSplit({ nTrain = 8000, seed = 0 } = {}) {
  const { images, labels } = torch.data.datasets.mnist();
  const perm = torch.randperm(images.shape[0], { generator: new torch.Generator(seed) });
  const rows = (t, from, n) => t.indexSelect(0, perm.narrow(0, from, n));
  const nTest = images.shape[0] - nTrain;
  return {
    xTrain: rows(images, 0, nTrain), yTrain: rows(labels, 0, nTrain),
    xTest: rows(images, nTrain, nTest), yTest: rows(labels, nTrain, nTest),
  };
}

/** Normalises raw pixels with MNIST's mean and std (a new tensor). */
export function normalize(x) {
  return x.sub(MEAN).div(STD);
}

/**
 * One epoch of Adam on cross-entropy over shuffled mini-batches; returns the
 * mean loss. `xTrain` is normalised already. `pace` (torch.worker.pacer), if
 * given, runs after each step.
 */
export function trainEpoch(model, opt, loader, pace = () => {}) {
  const lossFn = new torch.nn.CrossEntropyLoss();
  model.train();
  let sum = 0;
  let n = 0;
  for (const [xb, yb] of loader) {
    const loss = lossFn.forward(model.forward(xb), yb);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    sum += loss.item();
    n++;
    pace();
  }
  model.eval();
  return sum / n;
}

/** Fraction of rows of raw pixels `x` whose argmax matches `y`. */
export function accuracy(model, x, y) {
  return torch.noGrad(() => {
    model.eval();
    const pred = model.forward(normalize(x)).argmax(1);
    return pred.eq(y).sum().item() / y.shape[0];
  });
}
