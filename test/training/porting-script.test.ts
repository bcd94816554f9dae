/**
 * A PyTorch training script written the PyTorch way — a model holding a
 * ModuleList and a ModuleDict, cross-entropy, clip_grad_norm_ or
 * clip_grad_value_ between backward and step, RMSprop / Adagrad / Adam with
 * ReduceLROnPlateau / LambdaLR / OneCycleLR — reproduced in JS from the same
 * initial weights (loaded by PyTorch's state-dict keys) gives the same losses,
 * total norms and lrs for 20 steps in float64, to 1e-12 (make_porting_fixtures.py).
 */
import { it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as torch from '../../lib';
import { describeBackends, expectClose } from '../helpers';

const { nn, optim } = torch;
const F = nn.functional;

interface SavedTensor { shape: number[]; values: number[] }
interface TrainingCase {
  name: string;
  optimizer: 'RMSprop' | 'Adagrad' | 'Adam';
  options: Record<string, unknown>;
  clip: { kind: 'norm' | 'value'; limit: number; normType: number | 'Infinity' | null };
  scheduler: 'ReduceLROnPlateau' | 'LambdaLR' | 'OneCycleLR';
  schedulerOptions: Record<string, unknown>;
  initial: Record<string, SavedTensor>;
  x: SavedTensor;
  y: number[];
  losses: number[];
  totals: number[];
  lrs: number[];
}
const { training } = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'porting.json'), 'utf8')) as { training: TrainingCase[] };

class Net extends nn.Module {
  layers = new nn.ModuleList([new nn.Linear(4, 16), new nn.Linear(16, 16)]);
  heads = new nn.ModuleDict({ out: new nn.Linear(16, 3) });
  forward(x: torch.Tensor): torch.Tensor {
    for (const layer of this.layers) x = layer.forward(x).tanh();
    return this.heads.get('out').forward(x);
  }
}

const saved = (s: SavedTensor): torch.Tensor => torch.tensor(s.values, { dtype: 'float64' }).reshape(s.shape);

describeBackends('a PyTorch training script with the porting helpers, reproduced', () => {
  for (const c of training) {
    it(c.name, () => {
      const net = new Net().double();
      net.loadStateDict(Object.fromEntries(Object.entries(c.initial).map(([k, v]) => [k, saved(v)])));
      const x = saved(c.x);
      const y = torch.tensor(c.y, { dtype: 'int32' });
      const params = net.parameters();
      const opt = c.optimizer === 'RMSprop' ? new optim.RMSprop(params, c.options)
        : c.optimizer === 'Adagrad' ? new optim.Adagrad(params, c.options) : new optim.Adam(params, c.options);
      const S = optim.lrScheduler;
      const plateau = c.scheduler === 'ReduceLROnPlateau' ? new S.ReduceLROnPlateau(opt, c.schedulerOptions) : null;
      const sched = c.scheduler === 'LambdaLR' ? new S.LambdaLR(opt, (e) => 0.95 ** e)
        : c.scheduler === 'OneCycleLR' ? new S.OneCycleLR(opt, c.schedulerOptions as unknown as torch.optim.lrScheduler.OneCycleLROptions) : null;
      const losses: number[] = [];
      const totals: number[] = [];
      const lrs: number[] = [];
      for (let step = 0; step < 20; step++) {
        opt.zeroGrad();
        const loss = F.crossEntropy(net.forward(x), y);
        loss.backward();
        if (c.clip.kind === 'norm') {
          const normType = c.clip.normType === 'Infinity' ? Infinity : c.clip.normType as number;
          totals.push(nn.utils.clipGradNorm_(net.parameters(), c.clip.limit, { normType }).item());
        } else {
          nn.utils.clipGradValue_(net.parameters(), c.clip.limit);
        }
        opt.step();
        if (plateau !== null) plateau.step(loss.item());
        else sched?.step();
        losses.push(loss.item());
        lrs.push(opt.paramGroups[0].lr);
      }
      expectClose(losses, c.losses, 1e-12, 0);
      expectClose(totals, c.totals, 1e-12, 0);
      expect(totals.length).toBe(c.totals.length);
      expectClose(lrs, c.lrs, 1e-12, 1e-15);
    });
  }
});
