/** Lesson 02: H(X) = XW + b on the quiz scores; numbers as PyTorch 1.13 gives them for the same loop. */
import { it, expect } from 'vitest';
import { describeBackends } from './course';

describeBackends('examples: 02 Multivariable regression H(X) = XW + b', (course) => {
  it('2000 epochs of SGD lr 1e-5 from zeros: cost 0.7544 as in PyTorch, predictions within 2 points', () => {
    const r = course().multivariableRegression.run({ epochs: 2000 });
    // PyTorch 1.13, same data and loop: final cost 0.754378.
    expect(Math.abs(r.finalCost - 0.754378)).toBeLessThan(2e-3);
    const targets = [152, 185, 180, 196, 142];
    r.prediction.forEach((p, i) => expect(Math.abs(p - targets[i])).toBeLessThan(2));
  });
});
