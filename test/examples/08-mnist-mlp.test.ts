/** Lesson 08: an MLP on MNIST, on a smaller budget than the demo's. */
import { it, expect } from 'vitest';
import { describeBackends } from './course';

describeBackends('examples: 08 MNIST MLP', (course) => {
  it('784-64-10, 3000 training images, 6 epochs: ≥ 90% on 1000 held-out digits', () => {
    const r = course().mnistMlp.run({ nTrain: 3000, nTest: 1000, hidden: [64], epochs: 6, batchSize: 50, dropout: 0 });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
