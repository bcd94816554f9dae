/** Lesson 04: softmax(XW + b) with cross-entropy on iris. */
import { it, expect } from 'vitest';
import { describeBackends } from './course';

describeBackends('examples: 04 Softmax classification on iris', (course) => {
  it('200 epochs: held-out accuracy ≥ 90%, training accuracy ≥ 95%', () => {
    const r = course().softmaxIris.run({ epochs: 200 });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(r.trainAccuracy).toBeGreaterThanOrEqual(0.95);
  });
});
