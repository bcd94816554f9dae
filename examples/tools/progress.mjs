/**
 * Progress reporting for the training loops of the course.
 *
 * A course function takes `track(name, { total, unit, samplesPerUnit })` and
 * calls `update(done, loss)` after each step or epoch, then `stop()`.
 * - `silentTrack` does nothing (tests).
 * - `createTrack()` draws a cli-progress bar (epoch, loss, samples/s) on a
 *   TTY; when stdout is not a TTY (CI, a pipe) it prints a plain line at
 *   each quarter of the run instead: the loops are synchronous, so
 *   cli-progress's timer-driven non-TTY mode would stay silent.
 */
import cliProgress from 'cli-progress';

/** @typedef {{ update(done: number, loss?: number): void, stop(): void }} Tracker */
/** @typedef {(name: string, options: { total: number, unit?: string, samplesPerUnit?: number }) => Tracker} Track */

/** @type {Track} */
export const silentTrack = () => ({ update() {}, stop() {} });

/** Samples per second as a short string: 1234 → "1.2k". */
export function formatRate(rate) {
  if (!Number.isFinite(rate)) return '-';
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(1)}M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)}k`;
  return rate.toFixed(0);
}

const formatLoss = (loss) => (loss === undefined || !Number.isFinite(loss) ? '-' : loss.toPrecision(4));

/**
 * Returns a Track that writes to `stream`.
 * @param {{ stream?: NodeJS.WriteStream, interactive?: boolean }} [options]
 * @returns {Track}
 */
export function createTrack({ stream = process.stdout, interactive = Boolean(stream.isTTY) } = {}) {
  return (name, { total, unit = 'epoch', samplesPerUnit = 0 }) => {
    const started = performance.now();
    const payload = (done, loss) => {
      const seconds = (performance.now() - started) / 1000;
      return { task: name.padEnd(24), unit, loss: formatLoss(loss), rate: formatRate((done * samplesPerUnit) / seconds) };
    };
    if (interactive) {
      const bar = new cliProgress.SingleBar({
        stream,
        format: '{task} {bar} {unit} {value}/{total} | loss {loss} | {rate} samples/s | {duration_formatted}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        fps: 15,
      }, cliProgress.Presets.shades_classic);
      bar.start(total, 0, payload(0));
      let lastDone = 0;
      let lastLoss;
      return {
        update(done, loss) {
          lastDone = done;
          lastLoss = loss;
          bar.update(done, payload(done, loss));
        },
        // The last update may have been throttled: draw the final state before stopping.
        stop() {
          bar.update(lastDone, payload(lastDone, lastLoss));
          bar.render();
          bar.stop();
        },
      };
    }
    // Not a TTY: a line at each quarter and at the end.
    let nextQuarter = 1;
    let lastDone = 0;
    let lastLoss;
    const line = (done, loss) => {
      const p = payload(done, loss);
      const pct = String(Math.round((100 * done) / total)).padStart(3);
      stream.write(`${p.task} ${pct}%  ${unit} ${done}/${total}  loss ${p.loss}  ${p.rate} samples/s\n`);
    };
    return {
      update(done, loss) {
        lastDone = done;
        lastLoss = loss;
        if (done >= (nextQuarter * total) / 4 && done < total) {
          line(done, loss);
          while (done >= (nextQuarter * total) / 4) nextQuarter++;
        }
      },
      stop() { if (lastDone > 0) line(lastDone, lastLoss); },
    };
  };
}
