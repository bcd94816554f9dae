/**
 * Small MLPs trained 50 steps from PyTorch's initial weights and data follow
 * PyTorch's loss at every step (float32, 1e-4 relative), with and without
 * fused kernels, on both backends. Fixtures: test/fixtures/make_training_fixtures.py.
 */
import { it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as torch from '../../lib';
import { setFusion } from '../../lib/ops/fused-switch';
import { describeBackends } from '../helpers';

const { nn, optim } = torch;

interface Stored { shape: number[]; values: number[] }
interface Case {
  name: string;
  init: Record<string, Stored>;
  x: Stored;
  y: Stored;
  y_dtype: 'int32' | 'float32';
  losses: number[];
  final: Record<string, Stored>;
}

const fixture = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'training.json'), 'utf8')) as { torch_version: string; cases: Case[] };

const toTensor = (s: Stored, dtype: torch.DType = 'float32') => torch.tensor(s.values, { dtype }).reshape(s.shape);

/** The same architecture, loss and optimizer as the Python script builds for each case. */
function setup(name: string): [torch.nn.Sequential, (p: torch.Tensor, t: torch.Tensor) => torch.Tensor, (params: Iterable<torch.Tensor>) => torch.optim.Optimizer] {
  switch (name) {
    case 'relu_mlp_crossentropy_sgd_momentum':
      return [new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3)),
        (p, t) => new nn.CrossEntropyLoss().forward(p, t),
        (params) => new optim.SGD(params, { lr: 0.1, momentum: 0.9 })];
    case 'sigmoid_mlp_bce_adam':
      return [new nn.Sequential(new nn.Linear(2, 8), new nn.Sigmoid(), new nn.Linear(8, 1), new nn.Sigmoid()),
        (p, t) => new nn.BCELoss().forward(p, t),
        (params) => new optim.Adam(params, { lr: 0.05 })];
    case 'tanh_mlp_mse_sgd_nesterov_weight_decay':
      return [new nn.Sequential(new nn.Linear(3, 12), new nn.Tanh(), new nn.Linear(12, 12), new nn.LeakyReLU(0.1), new nn.Linear(12, 1)),
        (p, t) => new nn.MSELoss().forward(p, t),
        (params) => new optim.SGD(params, { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 1e-3 })];
    case 'logits_mlp_bcewithlogits_adamw':
      return [new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1)),
        (p, t) => new nn.BCEWithLogitsLoss().forward(p, t),
        (params) => new optim.AdamW(params, { lr: 0.05 })];
    default:
      throw new Error(`no torchlet setup for fixture case ${name}`);
  }
}

afterEach(() => { setFusion(true); });

describeBackends(`50 training steps against PyTorch ${fixture.torch_version}`, () => {
  for (const c of fixture.cases) {
    for (const fused of [true, false]) {
      it(`${c.name} (${fused ? 'fused' : 'unfused'})`, () => {
        setFusion(fused);
        const [model, lossFn, makeOpt] = setup(c.name);
        const sd: Record<string, torch.Tensor> = {};
        for (const [k, v] of Object.entries(c.init)) sd[k] = toTensor(v);
        model.loadStateDict(sd);
        const x = toTensor(c.x);
        const y = toTensor(c.y, c.y_dtype);
        const opt = makeOpt(model.parameters());
        c.losses.forEach((expected, step) => {
          opt.zeroGrad();
          const loss = lossFn(model.forward(x), y);
          loss.backward();
          opt.step();
          const got = loss.item();
          expect(Math.abs(got - expected) <= 1e-4 * Math.abs(expected) + 1e-7, `step ${step}: torchlet ${got}, PyTorch ${expected}`).toBe(true);
        });
        for (const [k, v] of Object.entries(c.final)) {
          const mine = model.stateDict()[k].data;
          v.values.forEach((e, i) => {
            expect(Math.abs(mine[i] - e) <= 1e-3 * Math.abs(e) + 1e-4, `${k}[${i}]: ${mine[i]} vs ${e}`).toBe(true);
          });
        }
      });
    }
  }
});
