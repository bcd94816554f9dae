/** lr schedulers: bookkeeping, state dicts and errors (values vs PyTorch are in reference.test.ts). */
import { it, expect, vi } from 'vitest';
import * as torch from '../../lib';
import * as optim from '../../lib/optim';
import { describeBackends, expectClose } from '../helpers';

const { StepLR, ExponentialLR, CosineAnnealingLR } = optim.lrScheduler;

function sgd(lr = 0.1): optim.SGD {
  return new optim.SGD([torch.zeros(2, { requiresGrad: true })], { lr });
}

describeBackends('lr schedulers', () => {
  it('StepLR follows base·γ^⌊epoch/stepSize⌋, writes paramGroups and counts epochs', () => {
    const opt = sgd(1);
    const s = new StepLR(opt, 2, { gamma: 0.5 });
    expect(s.lastEpoch).toBe(0);
    expect(opt.paramGroups[0].initialLr).toBe(1);
    const lrs = [s.getLastLr()[0]];
    for (let e = 0; e < 6; e++) {
      opt.step();
      s.step();
      lrs.push(s.getLastLr()[0]);
      expect(opt.paramGroups[0].lr).toBe(lrs[lrs.length - 1]);
    }
    expect(lrs).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]);
    expect(s.lastEpoch).toBe(6);
  });

  it('is chainable: an lr changed by hand between steps is carried on', () => {
    const opt = sgd(1);
    const s = new ExponentialLR(opt, 0.5);
    opt.step();
    s.step();
    opt.paramGroups[0].lr = 10;
    opt.step();
    s.step();
    expect(s.getLastLr()).toEqual([5]);
  });

  it('CosineAnnealingLR reaches etaMin at tMax and comes back', () => {
    const opt = sgd(0.1);
    const s = new CosineAnnealingLR(opt, 10, { etaMin: 0.001 });
    const lrs = [s.getLastLr()[0]];
    for (let e = 0; e < 20; e++) { opt.step(); s.step(); lrs.push(s.getLastLr()[0]); }
    const closed = lrs.map((_, e) => 0.001 + (0.1 - 0.001) * (1 + Math.cos(Math.PI * e / 10)) / 2);
    expectClose(lrs, closed, 1e-12, 1e-15);
    expect(lrs[10]).toBeCloseTo(0.001, 15);
  });

  it('stateDict()/loadStateDict() round trip continues the schedule', () => {
    const opt = sgd(0.1);
    const s = new CosineAnnealingLR(opt, 7, { etaMin: 0.01 });
    for (let e = 0; e < 3; e++) { opt.step(); s.step(); }
    const sd = s.stateDict();
    expect(sd).toMatchObject({ tMax: 7, etaMin: 0.01, lastEpoch: 3, stepCount: 4, baseLrs: [0.1] });
    const optSd = opt.stateDict();
    expect(optSd.paramGroups[0].initialLr).toBe(0.1);

    const opt2 = sgd(0.5);
    opt2.loadStateDict(optSd);
    const s2 = new CosineAnnealingLR(opt2, 99);
    s2.loadStateDict(sd);
    expect(s2.tMax).toBe(7);
    for (let e = 0; e < 5; e++) {
      opt.step(); s.step();
      opt2.step(); s2.step();
      expect(s2.getLastLr()).toEqual(s.getLastLr());
    }
    expect(() => s2.loadStateDict({ ...sd, baseLrs: [0.1, 0.2] })).toThrow(/one per param group/);
    expect(() => s2.loadStateDict({ ...sd, tMax: 'x' as unknown as number })).toThrow(TypeError);
  });

  it('resuming with lastEpoch needs initialLr in every group', () => {
    expect(() => new StepLR(sgd(), 3, { lastEpoch: 4 })).toThrow(/param 'initialLr' is not specified in paramGroups\[0\]/);
    const opt = sgd(0.1);
    opt.paramGroups[0].initialLr = 0.1;
    const s = new StepLR(opt, 3, { lastEpoch: 4 });
    expect(s.lastEpoch).toBe(5);
  });

  it('rejects bad arguments', () => {
    expect(() => new StepLR({} as unknown as optim.SGD, 3)).toThrow(/is not an Optimizer/);
    expect(() => new StepLR(sgd(), 0)).toThrow(/stepSize must be an integer >= 1/);
    expect(() => new StepLR(sgd(), 2.5)).toThrow(/stepSize/);
    expect(() => new CosineAnnealingLR(sgd(), 0)).toThrow(/tMax must be an integer >= 1/);
    expect(() => new ExponentialLR(sgd(), 'x' as unknown as number)).toThrow(TypeError);
    expect(() => new StepLR(sgd(), 2, { lastEpoch: -2 })).toThrow(/lastEpoch/);
  });

  it('warns once when scheduler.step() runs before optimizer.step()', () => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const s = new StepLR(sgd(), 2);
      s.step();
      s.step();
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0][0])).toMatch(/before optimizer.step\(\)/);
    } finally {
      spy.mockRestore();
    }
  });
});
