/**
 * RMSprop and Adagrad against PyTorch 1.13 (test/fixtures/porting.json, made
 * by make_porting_fixtures.py): 10 steps of each option combination on a fixed
 * least-squares problem, through the fused step kernels and op by op, and
 * their bad options.
 */
import { describe, it, expect, afterAll } from 'vitest';
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
  optimizer: 'RMSprop' | 'Adagrad';
  options: Record<string, unknown>;
  dtype: DType;
  losses: number[];
  trajectory: { W: SavedTensor; b: SavedTensor }[];
  state: Record<string, Record<string, SavedTensor | number>>;
}
interface Fixture {
  problem: Problem;
  optim: OptimCase[];
}

const fixture = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'porting.json'), 'utf8')) as Fixture;
// float32: the js backend's GEMM sums in another order than PyTorch's BLAS, and centered RMSprop's √(v − ḡ²) amplifies that.
const tol = (dtype: DType): [number, number] => (dtype === 'float32' ? [1e-4, 1e-6] : [1e-10, 1e-12]);

function makeOptimizer(c: OptimCase, params: torch.Tensor[]): optim.Optimizer<optim.BaseOptions, object> {
  return c.optimizer === 'RMSprop' ? new optim.RMSprop(params, c.options) : new optim.Adagrad(params, c.options);
}

describeBackends('RMSprop and Adagrad match PyTorch 1.13', () => {
  afterAll(() => torch.setFusion(true));
  for (const fused of [true, false]) {
    for (const c of fixture.optim) {
      it(`${c.name} (${c.dtype}, ${fused ? 'fused step' : 'op by op'})`, () => {
        torch.setFusion(fused);
        const [rtol, atol] = tol(c.dtype);
        const opt = replay(fixture.problem, c, ({ W, b, unused }) => makeOptimizer(c, [W, b, unused]), [rtol, atol]);
        const sd = opt.stateDict();
        // PyTorch's Adagrad has state for every parameter from construction on (unused: step 0).
        const want = { ...c.state };
        if (c.optimizer === 'Adagrad') expect(Object.keys(sd.state).sort()).toEqual(['0', '1', '2']);
        else expect(Object.keys(sd.state).sort()).toEqual(Object.keys(want).sort());
        for (const [i, entry] of Object.entries(want)) {
          const mine = (sd.state as Record<string, Record<string, unknown>>)[i];
          expect(Object.keys(mine).sort()).toEqual(Object.keys(entry).sort());
          for (const [key, value] of Object.entries(entry)) {
            if (typeof value === 'number') expect(mine[key]).toBe(value);
            else expectClose((mine[key] as torch.Tensor).toArray(), value.values, rtol, atol);
          }
        }
      });
    }
  }
});

describe('RMSprop and Adagrad options', () => {
  const p = () => [torch.zeros(2, { requiresGrad: true })];
  it('rejects bad values with PyTorch\'s messages', () => {
    expect(() => new optim.RMSprop(p(), { lr: -1 })).toThrow('RMSprop: Invalid learning rate: -1');
    expect(() => new optim.RMSprop(p(), { alpha: -0.5 })).toThrow('RMSprop: Invalid alpha value: -0.5');
    expect(() => new optim.RMSprop(p(), { momentum: -0.1 })).toThrow('RMSprop: Invalid momentum value: -0.1');
    expect(() => new optim.RMSprop(p(), { eps: Number.NaN })).toThrow('RMSprop: Invalid epsilon value: NaN');
    expect(() => new optim.RMSprop(p(), { centered: 1 as unknown as boolean })).toThrow('RMSprop: centered must be a boolean');
    expect(() => new optim.Adagrad(p(), { lr: -0.1 })).toThrow('Adagrad: Invalid learning rate: -0.1');
    expect(() => new optim.Adagrad(p(), { lrDecay: -1 })).toThrow('Adagrad: Invalid lr_decay value: -1');
    expect(() => new optim.Adagrad(p(), { initialAccumulatorValue: -1 }))
      .toThrow('Adagrad: Invalid initial_accumulator_value value: -1');
    expect(() => new optim.Adagrad(p(), { weightDecay: -1 })).toThrow('Adagrad: Invalid weight_decay value: -1');
  });
  it('rejects unknown options, also in param groups', () => {
    expect(() => new optim.RMSprop(p(), { betas: [0.9, 0.9] } as never)).toThrow(/RMSprop.*betas/);
    expect(() => new optim.Adagrad([{ params: p(), lr_decay: 0.1 }] as never)).toThrow(/lr_decay/);
  });
  it('param groups keep their own options; stateDict / loadStateDict round-trip', () => {
    const [a, b] = [torch.ones(3, { requiresGrad: true }), torch.ones(2, { requiresGrad: true })];
    const opt = new optim.RMSprop([{ params: [a] }, { params: [b], momentum: 0.5, centered: true }], { lr: 0.1 });
    a.sum().backward();
    b.mul(2).sum().backward();
    opt.step();
    const sd = opt.stateDict();
    expect(Object.keys(sd.state[0]).sort()).toEqual(['squareAvg', 'step']);
    expect(Object.keys(sd.state[1]).sort()).toEqual(['gradAvg', 'momentumBuffer', 'squareAvg', 'step']);
    expect(sd.paramGroups[1]).toMatchObject({ lr: 0.1, momentum: 0.5, centered: true, alpha: 0.99 });
    const [a2, b2] = [a.detach().clone().requiresGrad_(true), b.detach().clone().requiresGrad_(true)];
    const other = new optim.RMSprop([{ params: [a2] }, { params: [b2] }], { lr: 0.1 });
    other.loadStateDict(sd);
    for (const [x, y] of [[a, a2], [b, b2]]) {
      x.grad = torch.onesLike(x);
      y.grad = torch.onesLike(y);
    }
    opt.step();
    other.step();
    expect(a2.toArray()).toEqual(a.toArray());
    expect(b2.toArray()).toEqual(b.toArray());
  });
  it('Adagrad: a param group added later gets its state at once', () => {
    const opt = new optim.Adagrad(p(), { initialAccumulatorValue: 0.25 });
    const extra = torch.zeros(3, { requiresGrad: true });
    opt.addParamGroup({ params: [extra] });
    expect(opt.state.get(extra)?.sum.toArray()).toEqual([0.25, 0.25, 0.25]);
    expect(opt.state.get(extra)?.step).toBe(0);
  });
});

interface SchedCase {
  name: string;
  scheduler: 'LambdaLR' | 'OneCycleLR' | 'ReduceLROnPlateau';
  optimizer: 'SGD' | 'Adam' | 'RMSprop';
  options: Record<string, unknown>;
  lrs: number[][];
  momenta: number[][];
  lastLr: number[];
}
interface SchedFixture { groupLrs: number[]; metrics: number[]; schedulers: SchedCase[] }
const sched = fixture as unknown as SchedFixture;

/** The functions make_porting_fixtures.py names (LAMBDAS). */
const LAMBDAS: Record<string, optim.lrScheduler.LrLambda> = {
  exp95: (e) => 0.95 ** e,
  warmup5: (e) => Math.min(1, (e + 1) / 5),
  steps10: (e) => 0.5 ** Math.floor(e / 10),
};

type AnyGroup = { lr: number; momentum?: number; betas?: readonly [number, number] };

function makeScheduled(c: SchedCase): { opt: optim.Optimizer<optim.BaseOptions, object>; step: (i: number) => void; lastLr: () => number[] } {
  const groups = sched.groupLrs.map((lr) => ({ params: [torch.zeros(2, { requiresGrad: true })], lr }));
  const opt = c.optimizer === 'SGD' ? new optim.SGD(groups, { lr: 0.1, momentum: 0.9 })
    : c.optimizer === 'Adam' ? new optim.Adam(groups) : new optim.RMSprop(groups);
  const S = optim.lrScheduler;
  if (c.scheduler === 'LambdaLR') {
    const fns = (c.options.lambdas as string[]).map((n) => LAMBDAS[n]);
    const s = new S.LambdaLR(opt, fns.length > 1 ? fns : fns[0]);
    return { opt, step: () => s.step(), lastLr: () => s.getLastLr() };
  }
  if (c.scheduler === 'OneCycleLR') {
    const s = new S.OneCycleLR(opt, c.options as unknown as optim.lrScheduler.OneCycleLROptions);
    return { opt, step: () => s.step(), lastLr: () => s.getLastLr() };
  }
  const s = new S.ReduceLROnPlateau(opt, c.options);
  return { opt, step: (i) => s.step(sched.metrics[i]), lastLr: () => s.getLastLr() };
}

describe('LambdaLR, OneCycleLR and ReduceLROnPlateau match PyTorch 1.13 over 30 steps', () => {
  for (const c of sched.schedulers) {
    it(c.name, () => {
      const { opt, step, lastLr } = makeScheduled(c);
      const groups = opt.paramGroups as unknown as AnyGroup[];
      const momenta = (): number[] => groups.map((g) => (g.betas !== undefined ? g.betas[0] : g.momentum as number));
      const lrs = [groups.map((g) => g.lr)];
      const moms = [momenta()];
      for (let i = 0; i < c.lrs.length - 1; i++) {
        opt.step();
        step(i);
        lrs.push(groups.map((g) => g.lr));
        moms.push(momenta());
      }
      lrs.forEach((row, i) => expectClose(row, c.lrs[i], 1e-12, 1e-15));
      moms.forEach((row, i) => expectClose(row, c.momenta[i], 1e-12, 1e-15));
      expectClose(lastLr(), c.lastLr, 1e-12, 1e-15);
    });
  }
});

describe('scheduler options and state', () => {
  const sgd = (groups = 1) => new optim.SGD(Array.from({ length: groups }, () => ({ params: [torch.zeros(1, { requiresGrad: true })] })), { lr: 0.1, momentum: 0.9 });
  const S = optim.lrScheduler;
  it('rejects bad options with clear errors', () => {
    expect(() => new S.ReduceLROnPlateau(sgd(), { mode: 'maximum' as 'max' })).toThrow(`ReduceLROnPlateau: mode "maximum" is unknown! Expected 'min' or 'max'`);
    expect(() => new S.ReduceLROnPlateau(sgd(), { thresholdMode: 'pct' as 'rel' })).toThrow(/threshold mode "pct" is unknown/);
    expect(() => new S.ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow('ReduceLROnPlateau: Factor should be < 1.0, got 1');
    expect(() => new S.ReduceLROnPlateau(sgd(2), { minLr: [0.1] })).toThrow('ReduceLROnPlateau: expected 2 minLrs, got 1');
    expect(() => new S.ReduceLROnPlateau(sgd(), { patience: -1 })).toThrow(/patience must be an integer >= 0/);
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 0.1 })).toThrow('OneCycleLR: You must define either totalSteps OR (epochs AND stepsPerEpoch)');
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 0 })).toThrow('OneCycleLR: Expected positive integer totalSteps, but got number 0');
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 5, annealStrategy: 'exp' as 'cos' }))
      .toThrow(`OneCycleLR: annealStrategy must be one of 'cos' or 'linear', instead got "exp"`);
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 5, pctStart: 1.5 })).toThrow(/pctStart between 0 and 1/);
    expect(() => new S.OneCycleLR(sgd(2), { maxLr: [0.1], totalSteps: 5 })).toThrow('OneCycleLR: expected 2 values for maxLr, got 1');
    expect(() => new S.OneCycleLR(new optim.Adagrad([torch.zeros(1, { requiresGrad: true })]), { maxLr: 0.1, totalSteps: 5 }))
      .toThrow(/optimizer must support momentum/);
    expect(() => new S.LambdaLR(sgd(2), [() => 1])).toThrow('LambdaLR: Expected 2 lrLambdas, but got 1');
    expect(() => new S.LambdaLR(sgd(), 0.5 as never)).toThrow(/LambdaLR: lrLambda must be a function/);
  });
  it('OneCycleLR refuses to step past totalSteps', () => {
    const opt = sgd();
    const s = new S.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 3 });
    for (let i = 0; i < 3; i++) { opt.step(); s.step(); }
    expect(() => s.step()).toThrow('OneCycleLR: Tried to step 5 times. The specified number of total steps is 3');
  });
  it('stateDict / loadStateDict resume OneCycleLR and ReduceLROnPlateau where they were', () => {
    const run = (resumeAt: number): number[] => {
      let opt = sgd();
      let s = new S.OneCycleLR(opt, { maxLr: 0.5, totalSteps: 20, threePhase: true, annealStrategy: 'linear' });
      let p = new S.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) {
        if (i === resumeAt) {
          const saved = [opt.stateDict(), s.stateDict(), p.stateDict()] as const;
          opt = sgd();
          opt.loadStateDict(saved[0]);
          s = new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 99, lastEpoch: 0 });
          s.loadStateDict(saved[1]);
          p = new S.ReduceLROnPlateau(opt);
          p.loadStateDict(saved[2]);
        }
        opt.step();
        s.step();
        p.step(10 - (i % 3));
        out.push(opt.paramGroups[0].lr, opt.paramGroups[0].momentum);
      }
      return out;
    };
    expect(run(7)).toEqual(run(-1));
  });
});

describe('ReduceLROnPlateau.step', () => {
  it('takes a one-element tensor as the metric and rejects anything else', () => {
    const opt = new optim.SGD([torch.zeros(1, { requiresGrad: true })], { lr: 1 });
    const s = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    s.step(torch.tensor(2));
    s.step(torch.tensor([3], { dtype: 'float64' }));
    expect(opt.paramGroups[0].lr).toBe(0.5);
    expect(s.getLastLr()).toEqual([0.5]);
    expect(() => s.step('0.1' as never)).toThrow('ReduceLROnPlateau.step: metric must be a number or a one-element Tensor, got "0.1"');
  });
});
