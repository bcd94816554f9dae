/** Lesson 11: an LSTM forecasts a generated seasonal series one step ahead, on a smaller budget than the demo's. */
import { it, expect } from 'vitest';
import { describeBackends, jsAndNative } from './course';

type Line = { kind: string; file: string; series: Record<string, [number, number][]> };

describeBackends('examples: 11 LSTM forecaster', (course, backend) => {
  if (backend === 'native') {
    it('4 epochs: held-out RMSE below both naive forecasts (last value, same hour yesterday); the forecast is plotted against the truth', () => {
      const r = course().forecastLstm.run({ epochs: 4 });
      expect(r.testRmse).toBeLessThan(0.9 * r.seasonalRmse);
      expect(r.testRmse).toBeLessThan(0.9 * r.lastValueRmse);
      // The noise (σ 0.2) cannot be forecast: an RMSE well below it would mean the target leaked into the inputs.
      expect(r.testRmse).toBeGreaterThan(0.15);
      expect(r.summary).toMatch(/^held-out RMSE \d\.\d{4} \(seasonal naive \d\.\d{4}\)$/);
      const chart = (r.charts as Line[]).find((c) => c.file === '11-forecast-lstm-forecast')!;
      expect(Object.keys(chart.series)).toEqual(['truth', 'LSTM', 'seasonal naive y(t−24)']);
      expect(chart.series.LSTM.map(([t]) => t)).toEqual(Array.from({ length: 200 }, (_, i) => 800 + i));
    });
  } else {
    it('trains the same network as the native backend: 300 points, 1 epoch, equal losses and forecasts (to 1e-5)', () => {
      const { js, native } = jsAndNative(course(), (c) => c.forecastLstm.run({ length: 300, nTest: 50, epochs: 1 }));
      expect(Number.isFinite(js.finalLoss)).toBe(true);
      expect(Math.abs(js.finalLoss - native.finalLoss)).toBeLessThanOrEqual(1e-5 * native.finalLoss);
      expect(js.forecast.length).toBe(50);
      expect(Math.max(...js.forecast.map((v, i) => Math.abs(v - native.forecast[i])))).toBeLessThanOrEqual(1e-5);
    });
  }
});
