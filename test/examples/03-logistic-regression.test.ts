/** Lesson 03: logistic regression on the course's six points. */
import { it, expect } from 'vitest';
import { describeBackends } from './course';

describeBackends('examples: 03 Logistic regression', (course) => {
  it('classifies all 6 points; after 1001 updates W and b are PyTorch\'s (3.2530, 1.5179, −14.4819)', () => {
    const r = course().logisticRegression.run({ epochs: 1001 });
    expect(r.accuracy).toBe(1);
    // PyTorch 1.13, the course's loop (range(1000 + 1) updates, SGD lr 1, W and b from zeros).
    expect(r.W[0]).toBeCloseTo(3.252990484237671, 3);
    expect(r.W[1]).toBeCloseTo(1.517895221710205, 3);
    expect(r.b).toBeCloseTo(-14.48188591003418, 2);
    expect(r.finalCost).toBeLessThan(0.025);
  });
});
