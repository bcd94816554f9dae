/** Lesson 07: an MLP separates 3 radial classes, a linear model cannot. */
import { it, expect } from 'vitest';
import { describeBackends } from './course';

describeBackends('examples: 07 MLP on radial 3-class data', (course) => {
  it('200 steps: MLP held-out accuracy ≥ 95%, linear ≤ 60%', () => {
    const r = course().mlpRadial.run({ steps: 200, hidden: 32 });
    expect(r.mlpAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.linearAccuracy).toBeLessThanOrEqual(0.6);
  });
});
