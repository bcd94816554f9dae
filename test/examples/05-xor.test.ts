/** Lesson 05: the perceptron cannot learn XOR, the MLP can. */
import { it, expect } from 'vitest';
import { describeBackends } from './course';

describeBackends('examples: 05 XOR: perceptron vs MLP', (course) => {
  it('after 1000 steps: perceptron ≤ 3/4 (outputs ≈ 0.5), MLP 4/4', () => {
    const r = course().xor.run({ steps: 1000 });
    expect(r.perceptron.correct).toBeLessThanOrEqual(3);
    for (const p of r.perceptron.outputs) expect(Math.abs(p - 0.5)).toBeLessThan(0.05);
    expect(r.mlp.correct).toBe(4);
    r.mlp.outputs.forEach((p, i) => expect(Math.abs(p - [0, 1, 1, 0][i])).toBeLessThan(0.1));
  });
});
