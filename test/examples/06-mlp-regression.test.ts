/** Lesson 06: an MLP fits y = 2 sin(x1) + log(x2²/2) far better than a linear model. */
import { it, expect } from 'vitest';
import { describeBackends } from './course';

describeBackends('examples: 06 MLP regression', (course) => {
  it('200 steps: the MLP\'s held-out MSE < 0.05 and < 1/10 of the linear model\'s', () => {
    const r = course().mlpRegression.run({ steps: 200, hidden: 32 });
    expect(r.mlpMSE).toBeLessThan(0.05);
    expect(r.mlpMSE).toBeLessThan(r.linearMSE / 10);
  });
});
