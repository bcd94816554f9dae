/** autograd.detectAnomaly: forward output checks, backward gradient checks, creation stacks. */
import { describe, it, expect, afterEach } from 'vitest';
import * as torch from '../../lib';
import { autograd } from '../../lib';
import { AnomalyError, detectAnomaly, isAnomalyEnabled, setDetectAnomaly, withoutForwardChecks } from '../../lib/autograd/anomaly';
import { record } from '../../lib/ops/util';
import { mul } from '../../lib/ops/arith';
import { clamp, exp, log } from '../../lib/ops/unary';
import { describeBackends } from '../helpers';
import { setFusion } from '../../lib/ops/fused-switch';

const { nn, optim } = torch;

/** The AnomalyError `fn` throws (fails the test if it throws something else or nothing). */
function anomalyOf(fn: () => unknown): AnomalyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AnomalyError);
    return e as AnomalyError;
  }
  throw new Error('expected an AnomalyError, nothing was thrown');
}

/** The line number in this file of the caller. */
function lineHere(): number {
  const frame = (new Error().stack ?? '').split('\n')[2];
  return Number(/anomaly\.test\.ts:(\d+):\d+/.exec(frame)?.[1]);
}

afterEach(() => setDetectAnomaly(false));

describe('anomaly mode switches', () => {
  it('is off by default and exported on torch.autograd', () => {
    expect(isAnomalyEnabled()).toBe(false);
    expect(autograd.detectAnomaly).toBe(detectAnomaly);
    expect(autograd.setDetectAnomaly).toBe(setDetectAnomaly);
    expect(autograd.isAnomalyEnabled).toBe(isAnomalyEnabled);
    expect(autograd.AnomalyError).toBe(AnomalyError);
  });

  it('detectAnomaly runs fn with the mode on, returns its result and restores the mode', () => {
    expect(detectAnomaly(() => isAnomalyEnabled())).toBe(true);
    expect(isAnomalyEnabled()).toBe(false);
    expect(detectAnomaly(() => 42)).toBe(42);
    expect(() => detectAnomaly(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isAnomalyEnabled()).toBe(false);
    setDetectAnomaly(true);
    detectAnomaly(() => undefined);
    expect(isAnomalyEnabled()).toBe(true);
  });

  it('setDetectAnomaly takes a boolean; detectAnomaly a function', () => {
    setDetectAnomaly(true);
    expect(isAnomalyEnabled()).toBe(true);
    setDetectAnomaly(false);
    expect(isAnomalyEnabled()).toBe(false);
    expect(() => setDetectAnomaly('false' as unknown as boolean)).toThrow(TypeError);
    expect(() => detectAnomaly(42 as unknown as () => void)).toThrow(TypeError);
  });

  it('when off, nothing is checked or captured (behaviour unchanged)', () => {
    const x = torch.tensor([0, 1], { requiresGrad: true });
    const y = x.log();
    expect(y.toArray()).toEqual([-Infinity, 0]);
    expect(y.gradFn?.trace).toBeNull();
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([Infinity, 1]);
    const w = torch.tensor([1e38]);
    w.mul_(10);
    expect(w.item()).toBe(Infinity);
  });
});

describeBackends('anomaly mode: forward', () => {
  it('names the op that produced -Infinity, its inputs and the user line that called it', () => {
    const x = torch.tensor([1, 0, 2]);
    let line = 0;
    const err = anomalyOf(() => detectAnomaly(() => {
      line = lineHere() + 1;
      return x.log();
    }));
    expect(err.phase).toBe('forward');
    expect(err.op).toBe('LogBackward');
    expect(err.inputIndex).toBeNull();
    expect(err.message).toContain('log (LogBackward) produced -Infinity from finite inputs');
    expect(err.message).toContain('output: [3] float32, 1 of 3 elements non-finite (1 -Infinity), first at flat index 1');
    expect(err.message).toContain('inputs: #0 [3] float32');
    expect(err.creationStack).toContain(`anomaly.test.ts:${line}:`);
    expect(err.message).toContain(err.creationStack);
    // torchlet's own frames are left out
    expect(err.creationStack).not.toMatch(/[/\\]lib[/\\](ops|autograd|tensor)/);
  });

  it('checks ops on tensors that do not require grad, and under noGrad', () => {
    const a = torch.tensor([[1e30, 1], [1, 1]]);
    expect(anomalyOf(() => detectAnomaly(() => a.matmul(a))).message).toContain('mm (MmBackward) produced Infinity');
    expect(anomalyOf(() => detectAnomaly(() => torch.noGrad(() => a.mul(a)))).op).toBe('MulBackward');
    expect(anomalyOf(() => detectAnomaly(() => torch.tensor([-1]).sqrt())).message).toContain('produced NaN');
    expect(anomalyOf(() => detectAnomaly(() => torch.tensor([0, 0]).mean(0).div(torch.tensor(0)))).op).toBe('DivBackward');
    expect(anomalyOf(() => detectAnomaly(() => torch.tensor([1e300], { dtype: 'float64' }).to('float32'))).op).toBe('ToCopyBackward');
    expect(anomalyOf(() => detectAnomaly(() => torch.zeros(0, 3).mean())).op).toBe('MeanBackward');
  });

  it('blames the op that introduces the value, not the ops it flows through', () => {
    const x = torch.tensor([1e30, 2], { requiresGrad: true });
    const err = anomalyOf(() => detectAnomaly(() => x.mul(x).exp().sum()));
    expect(err.op).toBe('MulBackward');
    expect(err.message).toContain('inputs: #0 [2] float32, #1 [2] float32');
    // inputs that already hold NaN/Infinity: the op is not blamed
    const bad = torch.tensor([NaN, 1]);
    const out = detectAnomaly(() => bad.exp().mul(2).add(torch.tensor([1, 1e38])).mul(1e10));
    expect(out.toArray()).toEqual([NaN, Infinity]);
    // a scalar operand counts as an input
    expect(detectAnomaly(() => torch.tensor([1]).mul(Infinity)).item()).toBe(Infinity);
  });

  it('reports an op with several non-finite kinds', () => {
    const x = torch.tensor([-1, 0, 1, 2]);
    const err = anomalyOf(() => detectAnomaly(() => x.div(torch.tensor([0, 0, 0, 1]))));
    expect(err.message).toContain('3 of 4 elements non-finite (1 NaN, 1 +Infinity, 1 -Infinity), first at flat index 0');
  });

  it('checks in-place ops, and fill_ of a non-finite value is deliberate', () => {
    const w = torch.tensor([1e38, 1]);
    const err = anomalyOf(() => detectAnomaly(() => torch.noGrad(() => w.mul_(10))));
    expect(err.op).toBe('mul_');
    expect(anomalyOf(() => detectAnomaly(() => torch.tensor([1e38]).add_(torch.tensor([1e38]), 10))).op).toBe('MulBackward');
    expect(anomalyOf(() => detectAnomaly(() => torch.tensor([1]).div_(0))).op).toBe('div_');
    expect(anomalyOf(() => detectAnomaly(() => torch.zeros(2).copy_(torch.tensor([1e300], { dtype: 'float64' })))).op).toBe('copy_');
    expect(detectAnomaly(() => torch.zeros(2).fill_(NaN)).toArray()).toEqual([NaN, NaN]);
    expect(detectAnomaly(() => torch.tensor([NaN]).add_(1)).toArray()).toEqual([NaN]);
  });

  it('lets finite computations through unchanged, with a stack on every node', () => {
    const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const y = detectAnomaly(() => x.matmul(x).sigmoid().log().mean());
    expect(y.gradFn?.trace).toBeInstanceOf(Error);
    detectAnomaly(() => y.backward());
    expect(x.grad).not.toBeNull();
    const expected = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    expected.matmul(expected).sigmoid().log().mean().backward();
    expect(x.grad?.toArray()).toEqual(expected.grad?.toArray());
  });

  it('int32 results are never anomalous', () => {
    expect(detectAnomaly(() => torch.tensor([NaN, 1]).to('int32')).toArray()).toEqual([0, 1]);
    expect(detectAnomaly(() => torch.tensor([NaN, 1]).argmax()).dtype).toBe('int32');
  });
});

describeBackends('anomaly mode: backward', () => {
  it('names the backward node, the input index and where the forward op was called', () => {
    const x = torch.tensor([0, 4], { requiresGrad: true });
    let line = 0;
    const err = anomalyOf(() => detectAnomaly(() => {
      line = lineHere() + 1;
      const y = x.sqrt(); // forward is finite: sqrt(0) = 0
      y.sum().backward(); // backward: 1 / (2·0) = Infinity
    }));
    expect(err.phase).toBe('backward');
    expect(err.op).toBe('SqrtBackward');
    expect(err.inputIndex).toBe(0);
    expect(err.message).toContain("function 'SqrtBackward' returned Infinity values in its gradient for input 0");
    expect(err.message).toContain('gradient for input 0: [2] float32, 1 of 2 elements non-finite (1 +Infinity), first at flat index 0');
    expect(err.message).toContain('input 0: [2] float32; incoming gradient: [2] float32');
    expect(err.creationStack).toContain(`anomaly.test.ts:${line}:`);
    expect(err.creationStack).not.toMatch(/[/\\]lib[/\\](ops|autograd|tensor)/);
    expect(x.grad).toBeNull();
  });

  it('names LogBackward (forward recorded with the mode off: no stack, and says so)', () => {
    const x = torch.tensor([0, 1], { requiresGrad: true });
    const y = x.log().sum();
    const err = anomalyOf(() => detectAnomaly(() => y.backward()));
    expect(err.op).toBe('LogBackward');
    expect(err.message).toContain("function 'LogBackward' returned Infinity values");
    expect(err.message).toContain('not recorded');
  });

  it('checks gradients of the second input of a binary op', () => {
    const z = torch.tensor([0, 1], { requiresGrad: true });
    const e = torch.tensor([2, 2], { requiresGrad: true });
    // d/dz = e·z^(e−1) = [0, 2] is finite; d/de = z^e·log z = 0·(−Infinity) = NaN
    const err = anomalyOf(() => detectAnomaly(() => torch.pow(z, e).sum().backward()));
    expect(err.op).toBe('PowBackward');
    expect(err.inputIndex).toBe(1);
    expect(err.message).toContain("'PowBackward' returned NaN values in its gradient for input 1");
  });

  it('ops inside backward rules are not checked one by one; only node outputs are', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    // a rule whose intermediate exp(1000·g) overflows to Infinity but whose result is clamped finite
    const y = detectAnomaly(() => record(x.mul(1), 'SaturatingBackward', [x], (g) => [clamp(exp(mul(g, 1000)), 0, 1)]));
    detectAnomaly(() => y.sum().backward());
    expect(x.grad?.toArray()).toEqual([1, 1]);
    // the same rule returning the overflow is caught, as the node's output
    const x2 = torch.tensor([1, 2], { requiresGrad: true });
    const y2 = detectAnomaly(() => record(x2.mul(1), 'OverflowBackward', [x2], (g) => [exp(mul(g, 1000))]));
    expect(anomalyOf(() => detectAnomaly(() => y2.sum().backward())).op).toBe('OverflowBackward');
  });

  it('withoutForwardChecks exempts library code that clamps a non-finite intermediate', () => {
    const r = detectAnomaly(() => withoutForwardChecks(() => clamp(log(torch.tensor([0, 1])), -100)));
    expect(r.toArray()).toEqual([-100, 0]);
    // the exemption ends with the scope
    expect(anomalyOf(() => detectAnomaly(() => {
      withoutForwardChecks(() => torch.tensor([0]).log());
      return torch.tensor([0]).log();
    })).op).toBe('LogBackward');
  });

  it('backward with the mode off is unchanged even where the mode would throw', () => {
    const x = torch.tensor([0, 4], { requiresGrad: true });
    const y = detectAnomaly(() => x.sqrt());
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([Infinity, 0.25]);
  });
});

describe('anomaly mode on a training loop', () => {
  it('trains the XOR MLP without false alarms and catches an exploding learning rate', () => {
    torch.manualSeed(0);
    const x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = torch.tensor([[0], [1], [1], [0]]);
    const model = new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 1), new nn.Sigmoid());
    const lossFn = new nn.BCELoss();
    const opt = new optim.SGD(model.parameters(), { lr: 1, momentum: 0.9 });
    const losses = detectAnomaly(() => {
      const out: number[] = [];
      for (let step = 0; step < 50; step++) {
        opt.zeroGrad();
        const loss = lossFn.forward(model.forward(x), y);
        loss.backward();
        opt.step();
        out.push(loss.item());
      }
      return out;
    });
    expect(losses.every(Number.isFinite)).toBe(true);
    const mse = new nn.MSELoss();
    const big = new optim.SGD(model.parameters(), { lr: 1e30 });
    const err = anomalyOf(() => detectAnomaly(() => {
      for (let step = 0; step < 5; step++) {
        big.zeroGrad();
        mse.forward(model.forward(x).mul(1e20), y).backward();
        big.step();
      }
    }));
    expect(err).toBeInstanceOf(AnomalyError);
  });

  // At x = 1 (a saturated float32 sigmoid) log(1 − x) is −Infinity, clamped to
  // −100 at once: BCE (fused, or op by op inside withoutForwardChecks) must not
  // report that intermediate as an anomaly.
  it('BCELoss on saturated probabilities (exactly 0 or 1) raises no anomaly', () => {
    const p = torch.tensor([1, 0, 0.5], { requiresGrad: true });
    const loss = detectAnomaly(() => new nn.BCELoss().forward(p, torch.tensor([1, 0, 1])));
    expect(Number.isFinite(loss.item())).toBe(true);
  });
});

describeBackends('anomaly mode on the fused optimizer steps', () => {
  // The step itself overflows float32 from finite values (SGD: lr · grad;
  // Adam, RMSprop, Adagrad: the squared-gradient state grad²), so the step is the op named, fused or not.
  const cases: [string, (p: torch.Tensor) => { step(): void }, number, string][] = [
    ['SGD with momentum', (p) => new optim.SGD([p], { lr: 1e30, momentum: 0.9 }), 1e9, 'sgdStep'],
    ['Adam', (p) => new optim.Adam([p], { lr: 1e-3 }), 1e30, 'adamStep'],
    ['RMSprop', (p) => new optim.RMSprop([p]), 1e30, 'rmspropStep'],
    ['Adagrad', (p) => new optim.Adagrad([p]), 1e30, 'adagradStep'],
  ];
  for (const [name, make, grad, fusedOp] of cases) {
    for (const fused of [true, false]) {
      it(`${name} (${fused ? 'fused' : 'op by op'}): the step that makes a non-finite value throws`, () => {
        const previous = setFusion(fused);
        try {
          const p = torch.tensor([1e9, 2], { requiresGrad: true });
          p.grad = torch.tensor([grad, 1]);
          const opt = make(p);
          const before = p._version;
          const err = anomalyOf(() => detectAnomaly(() => opt.step()));
          expect(err.phase).toBe('forward');
          expect(err.message).toMatch(/Infinity from finite inputs/);
          if (fused) {
            expect(err.op).toBe(fusedOp);
            expect(p._version).toBe(before + 1);
          }
          // With the mode off the same step goes through unchecked.
          expect(() => opt.step()).not.toThrow();
        } finally {
          setFusion(previous);
        }
      });
    }
  }
});
