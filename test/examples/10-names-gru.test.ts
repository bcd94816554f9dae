/** Lesson 10: a character-level GRU tells female from male first names, on a smaller budget than the demo's. */
import { it, expect } from 'vitest';
import { describeBackends, jsAndNative } from './course';

type Line = { kind: string; file: string; series: Record<string, [number, number][]> };

describeBackends('examples: 10 Names GRU: female or male', (course, backend) => {
  if (backend === 'native') {
    it('2 epochs: the GRU beats the last-letter rule and the majority class on the 1601 held-out names; P(female) per letter is plotted', () => {
      const r = course().namesGru.run({ epochs: 2 });
      expect(r.testAccuracy).toBeGreaterThan(r.baselineAccuracy + 0.02);
      expect(r.baselineAccuracy).toBeGreaterThan(r.majorityAccuracy);
      expect(r.summary).toMatch(/^held-out accuracy \d+\.\d\d% \(last letter \d+\.\d\d%\)$/);
      expect(r.gradNorms.length).toBe(2 * Math.ceil(6402 / 64));
      const reading = (r.charts as Line[]).find((c) => c.file === '10-names-gru-reading')!;
      const names = Object.keys(reading.series);
      expect(names.length).toBe(6);
      for (const name of names) {
        expect(reading.series[name].length).toBe(name.length);
        const p = reading.series[name].map(([, v]) => v);
        expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...p)).toBeLessThanOrEqual(1);
      }
    });
  } else {
    it('trains the same network as the native backend: 256 names, 1 epoch, equal losses and held-out accuracy', () => {
      const { js, native } = jsAndNative(course(), (c) => c.namesGru.run({ nTrain: 256, nTest: 64, epochs: 1 }));
      expect(Number.isFinite(js.finalLoss)).toBe(true);
      expect(Math.abs(js.finalLoss - native.finalLoss)).toBeLessThanOrEqual(1e-6 * native.finalLoss);
      expect(js.testAccuracy).toBe(native.testAccuracy);
      expect(js.gradNorms.length).toBe(4);
      expect(Math.max(...js.gradNorms.map((n, i) => Math.abs(n - native.gradNorms[i]) / native.gradNorms[i]))).toBeLessThanOrEqual(1e-5);
    });
  }
});
