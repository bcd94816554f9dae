/**
 * Lesson 11: an LSTM forecasts the next value of a time series. The series is
 * generated, seeded: y(t) = 0.005 t + sin(2πt/24) + 0.4 sin(4πt/24 + 1) +
 * N(0, 0.2²) for t = 0..999 (an hourly signal with a daily cycle and a slow
 * upward trend). The first 800 points train, the last 200 are forecast one
 * step ahead. The model reads the 24 values before t (one cycle) and predicts
 * y(t); inputs and target are taken relative to the window's last value, so the
 * trend (which carries the held-out values above anything seen in training)
 * becomes a constant the network can learn. LSTM(1, 32) → the last hidden
 * state → Linear(32, 1), Adam (lr 1e-2) on MSELoss in shuffled mini-batches of
 * 32, gradients clipped to norm 1. Baselines: the last value y(t−1), and the
 * seasonal naive forecast y(t−24). The picture: the forecasts against the
 * truth over the held-out stretch.
 */
import * as torch from 'torchlet';
import { silentTrack } from '../tools/progress.mjs';
import { curve, trainEpochs } from './util.mjs';

const PERIOD = 24;

/** The series: trend + daily cycle + Gaussian noise, `n` points from `generator`. */
export function makeSeries(n, generator, noise = 0.2) {
  return Array.from({ length: n }, (_, t) =>
    0.005 * t + Math.sin((2 * Math.PI * t) / PERIOD) + 0.4 * Math.sin((4 * Math.PI * t) / PERIOD + 1) + noise * generator.normal());
}

/** Windows of `window` values before each t in [from, to), relative to y(t−1): inputs [N, window, 1] and targets [N, 1]. */
function windows(y, window, from, to) {
  const n = to - from;
  const x = new Float32Array(n * window);
  const target = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = from + i;
    for (let j = 0; j < window; j++) x[i * window + j] = y[t - window + j] - y[t - 1];
    target[i] = y[t] - y[t - 1];
  }
  return [torch.tensor(x).reshape(n, window, 1), torch.tensor(target).reshape(n, 1)];
}

/** Root mean squared difference of two arrays. */
function rmse(a, b) {
  return Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length);
}

/** LSTM → last hidden state → Linear. */
class Forecaster extends torch.nn.Module {
  constructor(hidden) {
    super();
    this.lstm = new torch.nn.LSTM(1, hidden, { batchFirst: true });
    this.head = new torch.nn.Linear(hidden, 1);
  }

  forward(x) {
    const [, [h]] = this.lstm.forward(x);
    return this.head.forward(h.select(0, 0));
  }
}

/**
 * @param {{ epochs?: number, length?: number, nTest?: number, window?: number, hidden?: number, batchSize?: number, lr?: number,
 *           maxNorm?: number, seed?: number, log?: (line: string) => void, track?: import('../tools/progress.mjs').Track }} [options]
 */
export function run({ epochs = 12, length = 1000, nTest = 200, window = PERIOD, hidden = 32, batchSize = 32, lr = 1e-2, maxNorm = 1, seed = 0,
  log = () => {}, track = silentTrack } = {}) {
  const { nn, data } = torch;
  torch.manualSeed(seed);
  const y = makeSeries(length, new torch.Generator(seed));
  const split = length - nTest;
  const [xTrain, yTrain] = windows(y, window, window, split);
  const [xTest] = windows(y, window, split, length);
  log(`generated series of ${length} points (trend + daily cycle of ${PERIOD} + noise 0.2); ${xTrain.shape[0]} training windows of ${window}, the last ${nTest} points forecast one step ahead`);

  const model = new Forecaster(hidden);
  const lossFn = new nn.MSELoss();
  const opt = new torch.optim.Adam(model.parameters(), { lr });
  const loader = new data.DataLoader(new data.TensorDataset(xTrain, yTrain), { batchSize, shuffle: true, generator: new torch.Generator(seed + 1) });
  log(`LSTM(1, ${hidden}) → Linear(${hidden}, 1), Adam lr ${lr}, gradients clipped to norm ${maxNorm}, batch ${batchSize}, ${epochs} epochs`);

  const { losses, epochLog } = trainEpochs({
    model, lossFn, opt, loader, epochs, maxNorm, bar: track('LSTM forecast', { total: epochs, unit: 'epoch', samplesPerUnit: xTrain.shape[0] }),
  });
  const finalLoss = epochLog[epochs - 1].loss;

  const delta = torch.noGrad(() => model.forward(xTest)).reshape(-1).toArray();
  const truth = y.slice(split);
  const forecast = truth.map((_, i) => y[split + i - 1] + delta[i]);
  const lastValue = truth.map((_, i) => y[split + i - 1]);
  const seasonal = truth.map((_, i) => y[split + i - PERIOD]);
  const testRmse = rmse(forecast, truth);
  const lastValueRmse = rmse(lastValue, truth);
  const seasonalRmse = rmse(seasonal, truth);
  log(`epoch ${epochs}: mean training loss ${finalLoss.toFixed(4)}`);
  log(`held-out RMSE: LSTM ${testRmse.toFixed(4)} vs last value ${lastValueRmse.toFixed(4)}, seasonal naive ${seasonalRmse.toFixed(4)} (the noise alone: 0.2)`);

  const at = (values) => values.map((v, i) => [split + i, v]);
  return {
    testRmse, lastValueRmse, seasonalRmse, finalLoss, forecast,
    summary: `held-out RMSE ${testRmse.toFixed(4)} (seasonal naive ${seasonalRmse.toFixed(4)})`,
    charts: [
      { kind: 'line', file: '11-forecast-lstm-loss', title: 'LSTM forecaster: squared error per mini-batch', xTitle: 'mini-batch', yTitle: 'MSE', logY: true,
        series: { 'training loss': curve(losses) } },
      { kind: 'line', file: '11-forecast-lstm-forecast', title: 'One-step forecasts over the held-out stretch', xTitle: 't (hours)', yTitle: 'y',
        series: { truth: at(truth), LSTM: at(forecast), 'seasonal naive y(t−24)': at(seasonal) } },
    ],
  };
}
