/** Lesson 01: H(x) = wx; cost(4) = 222.2; 100 GD steps, lr 0.01, from 1.4 → 345/285 = 1.2105263157894737. */
import { it, expect } from 'vitest';
import { describeBackends } from './course';

const W_STAR = 1.2105263157894737;

describeBackends('examples: 01 Linear regression H(x) = wx', (course, backend) => {
  it('float64: cost(4) = 222.2 and all three updates end at w = 1.2105263157894737 (to 1e-12)', () => {
    const r = course().linearRegression.run({ dtype: 'float64' });
    expect(r.costAt4).toBeCloseTo(222.2, 10);
    for (const w of [r.wHand, r.wAutograd, r.wSGD]) expect(Math.abs(w - W_STAR), `${backend} w = ${w}`).toBeLessThan(1e-12);
  });

  it('float32: cost(4) = 222.2 and w = 1.2105263 by hand, by autograd and by optim.SGD (to 1e-6)', () => {
    const r = course().linearRegression.run({ dtype: 'float32' });
    expect(Math.abs(r.costAt4 - 222.2)).toBeLessThan(1e-4);
    for (const w of [r.wHand, r.wAutograd, r.wSGD]) expect(Math.abs(w - W_STAR), `${backend} w = ${w}`).toBeLessThan(1e-6);
  });
});
