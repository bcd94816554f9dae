/**
 * The course in order: each lesson module exports `run(options)`, which
 * trains, reports through `log` and `track`, and returns its metrics, a
 * one-line `summary` and the `charts` it can draw (see ../tools/charts.mjs).
 * `torch` is the torchlet instance the lessons use (for setBackend in tests).
 */
import * as torch from 'torchlet';
import * as linearRegression from './01-linear-regression.mjs';
import * as multivariableRegression from './02-multivariable-regression.mjs';
import * as logisticRegression from './03-logistic-regression.mjs';
import * as softmaxIris from './04-softmax-iris.mjs';
import * as xor from './05-xor.mjs';
import * as mlpRegression from './06-mlp-regression.mjs';
import * as mlpRadial from './07-mlp-radial.mjs';
import * as mnistMlp from './08-mnist-mlp.mjs';
import * as mnistCnn from './09-mnist-cnn.mjs';
import * as namesGru from './10-names-gru.mjs';
import * as forecastLstm from './11-forecast-lstm.mjs';

export { torch, linearRegression, multivariableRegression, logisticRegression, softmaxIris, xor, mlpRegression, mlpRadial, mnistMlp, mnistCnn, namesGru, forecastLstm };

/** Lesson 08's short budget; lesson 09 compares against the MLP trained with it. */
const MNIST_MLP_QUICK = { epochs: 2, nTrain: 2000, nTest: 1000, hidden: [64] };

/**
 * The lessons in the order of the course, with the options `npm run demo --
 * --quick` uses (short budgets that still show the point).
 */
export const lessons = [
  { id: '01', title: 'Linear regression H(x) = wx', module: linearRegression, quick: {} },
  { id: '02', title: 'Multivariable regression H(X) = XW + b', module: multivariableRegression, quick: { epochs: 500 } },
  { id: '03', title: 'Logistic regression', module: logisticRegression, quick: { epochs: 500 } },
  { id: '04', title: 'Softmax classification on iris', module: softmaxIris, quick: { epochs: 100 } },
  { id: '05', title: 'XOR: perceptron vs MLP', module: xor, quick: { steps: 1000 } },
  { id: '06', title: 'MLP regression', module: mlpRegression, quick: { steps: 200, hidden: 32 } },
  { id: '07', title: 'MLP on radial 3-class data', module: mlpRadial, quick: { steps: 200, hidden: 32 } },
  { id: '08', title: 'MNIST MLP', module: mnistMlp, quick: MNIST_MLP_QUICK },
  { id: '09', title: 'MNIST CNN: LeNet-5', module: mnistCnn, quick: { epochs: 2, nTrain: 2000, nTest: 1000, mlp: MNIST_MLP_QUICK } },
  { id: '10', title: 'Names GRU: female or male', module: namesGru, quick: { epochs: 2 } },
  { id: '11', title: 'LSTM forecaster', module: forecastLstm, quick: { epochs: 4 } },
];
