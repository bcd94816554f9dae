/**
 * PyTorch's tutorial "What is torch.nn really?", ported stage by stage the way
 * the tutorial writes it, on the data and initial weights PyTorch used in
 * test/fixtures/make_tutorial_fixtures.py: every training loss matches
 * PyTorch's to four decimals. Stages after "validation" need Conv2d and join
 * when it lands.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as torch from '../../lib';

const { nn, optim } = torch;
const F = nn.functional;
const { TensorDataset, DataLoader } = torch.data;
type Tensor = torch.Tensor;

interface Fixture {
  nTrain: number;
  nValid: number;
  stride: number;
  bs: number;
  lr: number;
  epochs: number;
  initWeights: number[];
  initLinear: { weight: number[]; bias: number[] };
  stages: {
    scratch: { first: number; losses: number[]; final: number; accuracy: number };
    functional: { losses: number[]; final: number };
    module: { names: string[]; losses: number[]; final: number };
    linear: { keys: string[]; losses: number[]; final: number };
    optim: { losses: number[]; final: number };
    dataloader: { losses: number[]; final: number };
    validation: { valLosses: number[] };
  };
}

const ref = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'tutorial.json'), 'utf8')) as Fixture;
const { bs, lr, epochs } = ref;

/** Four decimals, as the tutorial prints them. */
function expectLosses(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]), `loss ${i}: ${v} vs PyTorch's ${expected[i]}`).toBeLessThan(1e-4));
}

let xTrain: Tensor, yTrain: Tensor, xValid: Tensor, yValid: Tensor;
let n: number;
const initWeights = (): Tensor => torch.tensor(ref.initWeights).reshape(784, 10);
const initLinearState = (): Record<string, Tensor> => ({
  weight: torch.tensor(ref.initLinear.weight).reshape(10, 784),
  bias: torch.tensor(ref.initLinear.bias),
});

beforeAll(() => {
  const { images, labels } = torch.data.datasets.mnist();
  const total = images.shape[0];
  const order = Array.from({ length: ref.nTrain + ref.nValid }, (_, i) => (i * ref.stride) % total);
  const x = images.indexSelect(0, order);
  const y = labels.indexSelect(0, order);
  [xTrain, yTrain] = [x.narrow(0, 0, ref.nTrain), y.narrow(0, 0, ref.nTrain)];
  [xValid, yValid] = [x.narrow(0, ref.nTrain, ref.nValid), y.narrow(0, ref.nTrain, ref.nValid)];
  n = xTrain.shape[0];
});

/** x_train[start_i:end_i] */
const rows = (t: Tensor, start: number, end: number): Tensor => t.narrow(0, start, Math.min(end, t.shape[0]) - start);

function accuracy(out: Tensor, yb: Tensor): number {
  const preds = torch.argmax(out, 1);
  return preds.eq(yb).float().mean().item();
}

/** The tutorial's training loop over slices of x_train; `update()` is each stage's step after backward. */
function fitSlices(model: (xb: Tensor) => Tensor, lossFunc: (pred: Tensor, yb: Tensor) => Tensor, update: () => void): [number[], Tensor, Tensor] {
  const losses: number[] = [];
  let xb = xTrain;
  let yb = yTrain;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = 0; i < Math.floor((n - 1) / bs) + 1; i++) {
      const startI = i * bs;
      const endI = startI + bs;
      xb = rows(xTrain, startI, endI);
      yb = rows(yTrain, startI, endI);
      const pred = model(xb);
      const loss = lossFunc(pred, yb);
      losses.push(loss.item());
      loss.backward();
      update();
    }
  }
  return [losses, xb, yb];
}

/** Stages 1 and 2: `weights -= weights.grad * lr` etc. under noGrad, then zero the grads. */
function updateWeightsAndBias(weights: Tensor, bias: Tensor): () => void {
  return () => torch.noGrad(() => {
    weights.sub_((weights.grad as Tensor).mul(lr));
    bias.sub_((bias.grad as Tensor).mul(lr));
    (weights.grad as Tensor).zero_();
    (bias.grad as Tensor).zero_();
  });
}

describe('tutorial "What is torch.nn really?" reproduces PyTorch', () => {
  it('from scratch: log_softmax, nll, the update under noGrad', () => {
    const weights = initWeights();
    weights.requiresGrad_();
    const bias = torch.zeros(10, { requiresGrad: true });
    const logSoftmax = (x: Tensor): Tensor => x.sub(x.exp().sum(-1).log().unsqueeze(-1));
    const model = (xb: Tensor): Tensor => logSoftmax(xb.matmul(weights).add(bias));
    const nll = (input: Tensor, target: Tensor): Tensor => input.gather(1, target.unsqueeze(1)).mean().neg();
    const lossFunc = nll;

    const first = lossFunc(model(rows(xTrain, 0, bs)), rows(yTrain, 0, bs)).item();
    expect(first).toBeCloseTo(ref.stages.scratch.first, 4);
    const [losses, xb, yb] = fitSlices(model, lossFunc, updateWeightsAndBias(weights, bias));
    expectLosses(losses, ref.stages.scratch.losses);
    expect(lossFunc(model(xb), yb).item()).toBeCloseTo(ref.stages.scratch.final, 4);
    expect(accuracy(model(xb), yb)).toBeCloseTo(ref.stages.scratch.accuracy, 4);
  });

  it('torch.nn.functional: F.crossEntropy', () => {
    const lossFunc = F.crossEntropy;
    const weights = initWeights().requiresGrad_();
    const bias = torch.zeros(10, { requiresGrad: true });
    const model = (xb: Tensor): Tensor => xb.matmul(weights).add(bias);
    const [losses, xb, yb] = fitSlices(model, lossFunc, updateWeightsAndBias(weights, bias));
    expectLosses(losses, ref.stages.functional.losses);
    expect(lossFunc(model(xb), yb).item()).toBeCloseTo(ref.stages.functional.final, 4);
  });

  /** The tutorial's fit() of stages 3 and 4: `for p in model.parameters(): p -= p.grad * lr`, then `model.zero_grad()`. */
  function fitByHand(model: torch.nn.Module): number[] {
    const update = (): void => torch.noGrad(() => {
      for (const p of model.parameters()) p.sub_((p.grad as Tensor).mul(lr));
      model.zeroGrad();
    });
    return fitSlices((xb) => model.forward(xb), F.crossEntropy, update)[0];
  }

  it('nn.Module with nn.Parameter properties (registered by assignment)', () => {
    class MnistLogistic extends nn.Module {
      weights: Tensor;
      bias: Tensor;
      constructor() {
        super();
        this.weights = nn.Parameter(initWeights());
        this.bias = nn.Parameter(torch.zeros(10));
      }

      forward(xb: Tensor): Tensor {
        return xb.matmul(this.weights).add(this.bias);
      }
    }
    const model = new MnistLogistic();
    expect(model.namedParameters().map(([name]) => name)).toEqual(ref.stages.module.names);
    expectLosses(fitByHand(model), ref.stages.module.losses);
  });

  class MnistLinear extends nn.Module {
    lin: torch.nn.Linear;
    constructor() {
      super();
      this.lin = new nn.Linear(784, 10);
    }

    forward(xb: Tensor): Tensor {
      return this.lin.forward(xb);
    }
  }

  it('nn.Linear as a property', () => {
    const model = new MnistLinear();
    model.lin.loadStateDict(initLinearState());
    expect(Object.keys(model.stateDict())).toEqual(ref.stages.linear.keys);
    expectLosses(fitByHand(model), ref.stages.linear.losses);
  });

  function getModel(): [MnistLinear, torch.optim.SGD] {
    const model = new MnistLinear();
    model.lin.loadStateDict(initLinearState());
    return [model, new optim.SGD(model.parameters(), { lr })];
  }

  it('optim.SGD: opt.step(), opt.zeroGrad()', () => {
    const [model, opt] = getModel();
    const [losses] = fitSlices((xb) => model.forward(xb), F.crossEntropy, () => {
      opt.step();
      opt.zeroGrad();
    });
    expectLosses(losses, ref.stages.optim.losses);
  });

  it('TensorDataset and DataLoader', () => {
    const lossFunc = F.crossEntropy;
    const trainDs = new TensorDataset(xTrain, yTrain);
    const trainDl = new DataLoader(trainDs, { batchSize: bs });
    const [model, opt] = getModel();
    const losses: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const [xb, yb] of trainDl) {
        const loss = lossFunc(model.forward(xb), yb);
        losses.push(loss.item());
        loss.backward();
        opt.step();
        opt.zeroGrad();
      }
    }
    expectLosses(losses, ref.stages.dataloader.losses);
  });

  it('validation: getData, lossBatch, fit with train() / eval()', () => {
    const lossFunc = F.crossEntropy;
    const trainDs = new TensorDataset(xTrain, yTrain);
    const validDs = new TensorDataset(xValid, yValid);
    const getData = (train: typeof trainDs, valid: typeof validDs, size: number) =>
      [new DataLoader(train, { batchSize: size }), new DataLoader(valid, { batchSize: size * 2 })] as const;
    const lossBatch = (model: torch.nn.Module, lf: typeof lossFunc, xb: Tensor, yb: Tensor, opt?: torch.optim.SGD): [number, number] => {
      const loss = lf(model.forward(xb), yb);
      if (opt !== undefined) {
        loss.backward();
        opt.step();
        opt.zeroGrad();
      }
      return [loss.item(), xb.shape[0]];
    };
    const fit = (nEpochs: number, model: torch.nn.Module, lf: typeof lossFunc, opt: torch.optim.SGD,
      trainDl: ReturnType<typeof getData>[0], validDl: ReturnType<typeof getData>[1]): number[] => {
      const valLosses: number[] = [];
      for (let epoch = 0; epoch < nEpochs; epoch++) {
        model.train();
        for (const [xb, yb] of trainDl) lossBatch(model, lf, xb, yb, opt);
        model.eval();
        const results = torch.noGrad(() => [...validDl].map(([xb, yb]) => lossBatch(model, lf, xb, yb)));
        const total = results.reduce((s, [l, k]) => s + l * k, 0);
        valLosses.push(total / results.reduce((s, [, k]) => s + k, 0));
      }
      return valLosses;
    };
    const [trainDl, validDl] = getData(trainDs, validDs, bs);
    const [model, opt] = getModel();
    expectLosses(fit(epochs, model, lossFunc, opt, trainDl, validDl), ref.stages.validation.valLosses);
  });
});
