/** Every loss and option combination passes gradcheck (float64 finite differences) on both backends. */
import { it, expect } from 'vitest';
import * as torch from '../../lib';
import { functional as F, type Reduction } from '../../lib/nn';
import { describeBackends, leaf } from '../helpers';

type T = torch.Tensor;
const f64 = { dtype: 'float64' as const };
const REDUCTIONS: Reduction[] = ['mean', 'sum', 'none'];

/** A float64 leaf with values in [lo, hi). */

/** Class indices in [0, classes), with entry 1 set to `ignored` when given. */
function labels(shape: number[], classes: number, ignored?: number): T {
  const t = torch.randint(0, classes, shape);
  if (ignored !== undefined) t.data[1] = ignored;
  return t;
}

type Case = [string, () => [(...x: T[]) => T, T[]]];
const cases: Case[] = [];

for (const reduction of REDUCTIONS) {
  const o = { reduction };
  cases.push(
    [`mseLoss ${reduction}`, () => [(x, y) => F.mseLoss(x, y, o), [leaf([3, 4]), leaf([3, 4])]]],
    // Values kept apart so |x − y| has no kink within eps.
    [`l1Loss ${reduction}`, () => [(x, y) => F.l1Loss(x, y, o), [leaf([3, 4], 0.5, 1), leaf([3, 4], -1, 0)]]],
    [`binaryCrossEntropy ${reduction}`, () => [(x, y) => F.binaryCrossEntropy(x, y, o), [leaf([3, 4], 0.05, 0.95), leaf([3, 4], 0, 1)]]],
    [`binaryCrossEntropy ${reduction} weight`, () => [(x, y, w) => F.binaryCrossEntropy(x, y, { ...o, weight: w }),
      [leaf([3, 4], 0.05, 0.95), leaf([3, 4], 0, 1), leaf([4], 0.5, 2)]]],
    [`binaryCrossEntropyWithLogits ${reduction}`, () => [(x, y) => F.binaryCrossEntropyWithLogits(x, y, o), [leaf([3, 4], -4, 4), leaf([3, 4], 0, 1)]]],
    [`binaryCrossEntropyWithLogits ${reduction} weight posWeight`, () => [
      (x, y, w, pw) => F.binaryCrossEntropyWithLogits(x, y, { ...o, weight: w, posWeight: pw }),
      [leaf([3, 4], -4, 4), leaf([3, 4], 0, 1), leaf([3, 1], 0.5, 2), leaf([4], 0.2, 3)]]],
  );
  for (const [shapeName, shape] of [['2-D', [5, 3]], ['K-dim', [3, 3, 2]]] as const) {
    const targetShape = [shape[0], ...shape.slice(2)];
    for (const weighted of [false, true]) {
      for (const ignoreIndex of [undefined, 2]) {
        const name = `${shapeName} ${reduction}${weighted ? ' weight' : ''}${ignoreIndex === undefined ? ' ignored -100' : ' ignoreIndex 2'}`;
        const opts = (): object => ({ ...o, ignoreIndex, weight: weighted ? torch.tensor([0.5, 1.5, 2], f64) : undefined });
        const target = (): T => labels(targetShape, 3, ignoreIndex === undefined ? -100 : undefined);
        cases.push(
          [`nllLoss ${name}`, () => { const t = target(); const op = opts(); return [(x) => F.nllLoss(x, t, op), [leaf([...shape])]]; }],
          [`crossEntropy ${name}`, () => { const t = target(); const op = opts(); return [(x) => F.crossEntropy(x, t, op), [leaf([...shape])]]; }],
          [`crossEntropy ${name} labelSmoothing`, () => {
            const t = target();
            const op = { ...opts(), labelSmoothing: 0.2 };
            return [(x) => F.crossEntropy(x, t, op), [leaf([...shape])]];
          }],
        );
      }
      cases.push([`crossEntropy probabilities ${shapeName} ${reduction}${weighted ? ' weight' : ''} labelSmoothing`, () => {
        const op = { ...o, labelSmoothing: 0.1, weight: weighted ? torch.tensor([0.5, 1.5, 2], f64) : undefined };
        return [(x, p) => F.crossEntropy(x, p, op), [leaf([...shape]), leaf([...shape], 0, 1)]];
      }]);
    }
  }
  cases.push([`crossEntropy unbatched ${reduction}`, () => [(x) => F.crossEntropy(x, torch.tensor(1, { dtype: 'int32' }), o), [leaf([4])]]]);
}

describeBackends('loss gradcheck', () => {
  for (const [name, make] of cases) {
    it(name, () => {
      torch.manualSeed(name.length);
      const [fn, inputs] = make();
      expect(torch.autograd.gradcheck(fn, inputs)).toBe(true);
    });
  }

  it('dropout passes gradcheck with a fixed mask', () => {
    const x = leaf([4, 5]);
    expect(torch.autograd.gradcheck((a) => F.dropout(a, 0.3, true, { generator: new torch.Generator(7) }), [x])).toBe(true);
  });

  it('Linear passes gradcheck through linear()', () => {
    expect(torch.autograd.gradcheck((x, w, b) => F.linear(x, w, b), [leaf([3, 4]), leaf([2, 4]), leaf([2])])).toBe(true);
  });
});
