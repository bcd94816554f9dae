/**
 * The fused ops as wired in: linearAct passes gradcheck and equals
 * act(linear(x, w, b)); nn.Sequential's fused forward equals the unfused one
 * (outputs and parameter grads) with the module structure unchanged; the fused
 * losses equal the composite ones; the one-pass optimizer steps equal the
 * op-by-op updates over 5 steps (float64 within 1e-12, float32 within 1e-6 relative).
 */
import { afterEach, expect, it } from 'vitest';
import * as torch from '../../lib';
import { nn, optim } from '../../lib';
import { functional as F } from '../../lib/nn';
import { linearAct, linearActComposite, type LinearActivation } from '../../lib/ops/fused-linear';
import { setFusion } from '../../lib/ops/fused-switch';
import { gradcheck } from '../../lib/autograd/gradcheck';
import { describeBackends } from '../helpers';

type T = torch.Tensor;
type DT = 'float32' | 'float64';
const ACTS: LinearActivation[] = ['none', 'relu', 'leakyRelu', 'sigmoid', 'tanh'];

afterEach(() => {
  setFusion(true);
});

const tol = (dt: DT): number => (dt === 'float32' ? 1e-6 : 1e-12);

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i] - b[i]) <= rtol * Math.max(1, Math.abs(b[i]));
    expect(ok, `${what}[${i}]: ${a[i]} vs ${b[i]}`).toBe(true);
  }
}

function leaf(shape: number[], dt: DT, lo = -2, hi = 2): T {
  return torch.rand(shape, { dtype: dt }).mul(hi - lo).add(lo).detach().requiresGrad_();
}

/** Runs f with fresh grads on `params`, returning [output data, grads data...]. */
function run(f: () => T, params: T[]): Float64Array[] {
  for (const p of params) p.grad = null;
  const y = f();
  torch.manualSeed(99);
  const g = torch.randn(y.shape, { dtype: y.dtype });
  y.backward(y.ndim === 0 ? undefined : torch.ones(y.shape, { dtype: y.dtype }).mul(g.abs().add(0.5)));
  return [Float64Array.from(y.data), ...params.map((p) => Float64Array.from(p.grad!.data))];
}

describeBackends('fused wiring', () => {
  for (const act of ACTS) {
    it(`linearAct(${act}) passes gradcheck (float64), with and without bias`, () => {
      torch.manualSeed(1);
      const x = leaf([4, 3], 'float64');
      const w = leaf([5, 3], 'float64');
      const b = leaf([5], 'float64');
      // Keep pre-activations away from relu's kink.
      expect(gradcheck((xi, wi, bi) => linearAct(xi, wi, bi, act, 0.1), [x, w, b])).toBe(true);
      expect(gradcheck((xi, wi) => linearAct(xi, wi, null, act, 0.1), [x, w])).toBe(true);
    });

    for (const dt of ['float32', 'float64'] as DT[]) {
      it(`linearAct(${act}) equals act(linear(x, w, b)) in ${dt}, forward and grads; one tape node`, () => {
        torch.manualSeed(2);
        const x = leaf([2, 3, 6], dt);
        const w = leaf([4, 6], dt);
        const b = leaf([4], dt);
        const fused = run(() => linearAct(x, w, b, act, 0.2), [x, w, b]);
        const plain = run(() => linearActComposite(x, w, b, act, 0.2), [x, w, b]);
        fused.forEach((a, i) => expectAllClose(a, plain[i], tol(dt), `${act} ${i}`));
        expect(linearAct(x, w, b, act, 0.2).gradFn!.name).toBe('LinearActBackward');
      });
    }
  }

  it('linearAct with a negative leaky slope falls back to the composite and stays correct', () => {
    const x = leaf([3, 2], 'float64');
    const w = leaf([2, 2], 'float64');
    expect(gradcheck((xi, wi) => linearAct(xi, wi, null, 'leakyRelu', -0.5), [x, w])).toBe(true);
  });

  for (const dt of ['float32', 'float64'] as DT[]) {
    it(`Sequential fuses Linear+activation: equal outputs and grads to the unfused forward (${dt}), same structure`, () => {
      torch.manualSeed(3);
      const model = new nn.Sequential(
        new nn.Linear(5, 8, { dtype: dt }), new nn.ReLU(), new nn.Linear(8, 6, { dtype: dt }), new nn.LeakyReLU(0.05),
        new nn.Linear(6, 4, { dtype: dt }), new nn.Tanh(), new nn.Linear(4, 3, { dtype: dt }), new nn.Sigmoid(),
        new nn.Linear(3, 2, { dtype: dt }),
      );
      const keys = Object.keys(model.stateDict());
      const repr = String(model);
      const x = torch.randn([7, 5], { dtype: dt });
      const params = [...model.parameters()];
      setFusion(true);
      const fused = run(() => model.forward(x), params);
      const head = new nn.Sequential(new nn.Linear(5, 3, { dtype: dt }), new nn.Sigmoid());
      expect(head.forward(x).gradFn!.name).toBe('LinearActBackward');
      setFusion(false);
      const plain = run(() => model.forward(x), params);
      fused.forEach((a, i) => expectAllClose(a, plain[i], tol(dt), `sequential ${i}`));
      expect(Object.keys(model.stateDict())).toEqual(keys);
      expect(String(model)).toBe(repr);
      expect(model.length).toBe(9);
    });
  }

  for (const dt of ['float32', 'float64'] as DT[]) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      it(`crossEntropy fused == composite (${dt}, ${reduction}, weights, ignoreIndex)`, () => {
        torch.manualSeed(4);
        const x = leaf([6, 5], dt, -5, 5);
        const y = torch.tensor([0, 4, 2, 2, 1, 3], { dtype: 'int32' });
        const weight = torch.rand([5], { dtype: dt }).add(0.5);
        for (const o of [{ reduction }, { reduction, weight }, { reduction, weight, ignoreIndex: 2 }, { reduction, ignoreIndex: 4 }]) {
          setFusion(true);
          const fused = run(() => F.crossEntropy(x, y, o), [x]);
          expect(F.crossEntropy(x, y, o).gradFn!.name).toBe('SoftmaxCrossEntropyBackward');
          setFusion(false);
          const plain = run(() => F.crossEntropy(x, y, o), [x]);
          fused.forEach((a, i) => expectAllClose(a, plain[i], tol(dt), `ce ${i}`));
        }
      });

      it(`binaryCrossEntropyWithLogits fused == composite (${dt}, ${reduction}, posWeight)`, () => {
        torch.manualSeed(5);
        const x = leaf([4, 3], dt, -20, 20);
        const y = torch.rand([4, 3], { dtype: dt });
        for (const o of [{ reduction }, { reduction, posWeight: torch.tensor([0.5, 2, 3], { dtype: dt }) },
          { reduction, posWeight: torch.tensor([1.5], { dtype: dt }) }]) {
          setFusion(true);
          const fused = run(() => F.binaryCrossEntropyWithLogits(x, y, o), [x]);
          expect(F.binaryCrossEntropyWithLogits(x, y, o).gradFn!.name).toBe('SigmoidBCEBackward');
          setFusion(false);
          const plain = run(() => F.binaryCrossEntropyWithLogits(x, y, o), [x]);
          fused.forEach((a, i) => expectAllClose(a, plain[i], tol(dt), `bce ${i}`));
        }
      });
    }
  }

  for (const dt of ['float32', 'float64'] as DT[]) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      it(`binaryCrossEntropy on probabilities fused == composite (${dt}, ${reduction}), including 0 and 1`, () => {
        torch.manualSeed(7);
        const x = leaf([5, 3], dt, 0.001, 0.999);
        x.data[0] = 0;
        x.data[7] = 1;
        const y = torch.rand([5, 3], { dtype: dt });
        y.data[3] = 1;
        setFusion(true);
        const fused = run(() => F.binaryCrossEntropy(x, y, { reduction }), [x]);
        expect(F.binaryCrossEntropy(x, y, { reduction }).gradFn!.name).toBe('BinaryCrossEntropyBackward');
        setFusion(false);
        const plain = run(() => F.binaryCrossEntropy(x, y, { reduction }), [x]);
        fused.forEach((a, i) => expectAllClose(a, plain[i], tol(dt), `bce ${i}`));
      });
    }
  }

  it('binaryCrossEntropy: the fused path passes gradcheck and names a bad input as the composite does', () => {
    torch.manualSeed(8);
    const x = leaf([3, 2], 'float64', 0.05, 0.95);
    const y = torch.rand([3, 2], { dtype: 'float64' });
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expect(gradcheck((a) => F.binaryCrossEntropy(a, y, { reduction }), [x])).toBe(true);
    }
    const bad = torch.tensor([0.5, 0.2, 1.5, NaN]);
    const t = torch.zeros([4]);
    const messages = [true, false].map((on) => {
      setFusion(on);
      try {
        F.binaryCrossEntropy(bad, t);
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        return (e as Error).message;
      }
      return 'no error';
    });
    expect(messages[0]).toMatch(/^binaryCrossEntropy: all elements of input should be between 0 and 1, got 1.5 at flat index 2/);
    expect(messages[0]).toBe(messages[1]);
    setFusion(true);
    expect(() => F.binaryCrossEntropy(torch.tensor([0.5, NaN]), torch.zeros([2]))).toThrow(/got NaN at flat index 1/);
  });

  it('crossEntropy: out-of-range targets keep their descriptive error on the fused path', () => {
    const x = torch.randn([2, 3]);
    expect(() => F.crossEntropy(x, torch.tensor([0, 3], { dtype: 'int32' }))).toThrow(/out of bounds for 3 classes/);
  });

  type MakeOpt = (params: T[]) => optim.Optimizer<optim.BaseOptions, never>;
  const OPTIMIZERS: [string, MakeOpt][] = [
    ['SGD', (p) => new optim.SGD(p, { lr: 0.1 }) as never],
    ['SGD momentum', (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }) as never],
    ['SGD momentum dampening wd maximize', (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.01, maximize: true }) as never],
    ['SGD nesterov wd', (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1 }) as never],
    ['Adam', (p) => new optim.Adam(p, { lr: 0.01 }) as never],
    ['Adam amsgrad wd', (p) => new optim.Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.05 }) as never],
    ['Adam maximize', (p) => new optim.Adam(p, { lr: 0.01, maximize: true, betas: [0.8, 0.99] }) as never],
    ['AdamW', (p) => new optim.AdamW(p, { lr: 0.01 }) as never],
    ['AdamW amsgrad', (p) => new optim.AdamW(p, { lr: 0.02, amsgrad: true, weightDecay: 0.1 }) as never],
  ];
  for (const dt of ['float32', 'float64'] as DT[]) {
    for (const [name, make] of OPTIMIZERS) {
      it(`${name}: the one-pass step equals the op-by-op update over 5 steps (${dt})`, () => {
        torch.manualSeed(6);
        const init = [torch.randn([3, 4], { dtype: dt }), torch.randn([4], { dtype: dt })];
        const grads = Array.from({ length: 5 }, () => init.map((t) => torch.randn(t.shape, { dtype: dt })));
        const train = (fused: boolean): T[] => {
          setFusion(fused);
          const params = init.map((t) => t.clone().detach().requiresGrad_());
          const opt = make(params);
          for (const step of grads) {
            params.forEach((p, i) => { p.grad = step[i].clone(); });
            const versions = params.map((p) => p._version);
            opt.step();
            params.forEach((p, i) => expect(p._version).toBeGreaterThan(versions[i]));
          }
          return params;
        };
        const fused = train(true);
        const plain = train(false);
        fused.forEach((p, i) => expectAllClose(p.data, plain[i].data, tol(dt), `${name} param ${i}`));
      });
    }
  }
});
