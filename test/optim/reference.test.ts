/**
 * Replays PyTorch 1.13's trajectories (test/fixtures/optim.json, made by
 * make_optim_fixtures.py): 5 steps of each optimizer configuration on a fixed
 * least-squares problem, and 12 epochs of each lr schedule.
 */
import { it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as torch from '../../lib';
import * as optim from '../../lib/optim';
import type { DType } from '../../lib/dtype';
import { describeBackends, expectClose } from '../helpers';
import { replay, type Problem } from './trajectory';

interface SavedTensor { shape: number[]; values: number[] }
interface OptimCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  options: Record<string, unknown>;
  groups: ({ params: string[] } & Record<string, unknown>)[] | null;
  dtype: DType;
  losses: number[];
  trajectory: { W: SavedTensor; b: SavedTensor }[];
  state: Record<string, Record<string, SavedTensor | number | null>>;
}
interface SchedCase {
  name: string;
  scheduler: 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR';
  args: number[];
  options: Record<string, number>;
  groupLrs: number[];
  initialLr: number[] | null;
  lastEpoch: number;
  lrs: number[][];
}
interface Fixture {
  problem: Problem;
  optim: OptimCase[];
  schedulers: SchedCase[];
}

const fixture = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'optim.json'), 'utf8')) as Fixture;
const tol = (dtype: DType): [number, number] => (dtype === 'float32' ? [1e-5, 1e-6] : [1e-10, 1e-12]);

function makeOptimizer(c: OptimCase, named: Record<string, torch.Tensor>): optim.Optimizer<optim.BaseOptions, object> {
  const params = c.groups === null
    ? [named.W, named.b, named.unused]
    : c.groups.map(({ params: names, ...rest }) => ({ ...rest, params: names.map((n) => named[n]) }));
  switch (c.optimizer) {
    case 'SGD': return new optim.SGD(params as optim.ParamGroupInput<optim.SGDGroupOptions>[], c.options);
    case 'Adam': return new optim.Adam(params as torch.Tensor[], c.options);
    case 'AdamW': return new optim.AdamW(params as torch.Tensor[], c.options);
  }
}

describeBackends('optimizers match PyTorch 1.13', () => {
  for (const c of fixture.optim) {
    it(`${c.name} (${c.dtype})`, () => {
      const [rtol, atol] = tol(c.dtype);
      const opt = replay(fixture.problem, c, (named) => makeOptimizer(c, named), [rtol, atol]);
      const sd = opt.stateDict();
      expect(Object.keys(sd.state).sort()).toEqual(Object.keys(c.state).sort());
      for (const [i, entry] of Object.entries(c.state)) {
        const mine = (sd.state as Record<string, Record<string, unknown>>)[i];
        expect(Object.keys(mine).sort()).toEqual(Object.keys(entry).sort());
        for (const [key, want] of Object.entries(entry)) {
          const got = mine[key];
          if (want === null || typeof want === 'number') expect(got).toBe(want);
          else expectClose((got as torch.Tensor).toArray(), want.values, rtol, atol);
        }
      }
    });
  }
});

describeBackends('lr schedulers match PyTorch 1.13', () => {
  for (const c of fixture.schedulers) {
    it(c.name, () => {
      const groups = c.groupLrs.map((lr) => ({ params: [torch.zeros(2, { requiresGrad: true })], lr }));
      const opt = new optim.SGD(groups, { lr: c.groupLrs[0] });
      if (c.initialLr !== null) opt.paramGroups.forEach((g, i) => { g.initialLr = (c.initialLr as number[])[i]; });
      const s = c.scheduler === 'StepLR' ? new optim.lrScheduler.StepLR(opt, c.args[0], c.options)
        : c.scheduler === 'ExponentialLR' ? new optim.lrScheduler.ExponentialLR(opt, c.args[0], c.options)
          : new optim.lrScheduler.CosineAnnealingLR(opt, c.args[0], c.options);
      const lrs = [s.getLastLr()];
      for (let epoch = 0; epoch < c.lrs.length - 1; epoch++) {
        opt.step();
        s.step();
        lrs.push(s.getLastLr());
      }
      expect(s.lastEpoch).toBe(c.lastEpoch);
      expect(lrs.length).toBe(c.lrs.length);
      lrs.forEach((row, epoch) => expectClose(row, c.lrs[epoch], 1e-12, 1e-15));
      expect(opt.paramGroups.map((g) => g.lr)).toEqual(lrs[lrs.length - 1]);
    });
  }
});
