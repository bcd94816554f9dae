/**
 * `--tensorboard DIR` of the demo: each lesson's training curves (the line
 * charts over steps, epochs or mini-batches) and final losses and accuracies
 * as TensorBoard scalars, one run per lesson (`DIR/<id>-<lesson>`), and its
 * summary line as text. Then: `tensorboard --logdir DIR`.
 */
import path from 'node:path';
import * as torch from 'torchlet';

/** Chart x axes that count training progress (the others, such as cost over w, are not curves in time). */
const PROGRESS = new Set(['step', 'epoch', 'mini-batch']);
/** Result fields that are a lesson's final losses and accuracies. */
const FINAL = /accuracy|loss|cost|mse/i;

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * Writes one lesson's run; returns the path of its event file.
 * @param {string} dir the log dir of the whole demo
 * @param {{ id: string, title: string }} lesson
 * @param {{ summary: string, charts: { kind: string, file: string, xTitle?: string, series?: Record<string, [number, number][]> }[] }} result
 */
export function logLesson(dir, lesson, result) {
  const writer = new torch.utils.tensorboard.SummaryWriter(path.join(dir, `${lesson.id}-${slug(lesson.title)}`));
  try {
    for (const chart of result.charts) {
      if (chart.kind !== 'line' || !PROGRESS.has(chart.xTitle)) continue;
      const name = chart.file.replace(/^\d+-/, '');
      for (const [series, points] of Object.entries(chart.series)) {
        for (const [x, y] of points) writer.addScalar(`${name}/${slug(series)}`, y, x);
      }
    }
    for (const [key, value] of Object.entries(result)) {
      if (typeof value === 'number' && FINAL.test(key)) writer.addScalar(`final/${key}`, value, 0);
    }
    writer.addText('summary', result.summary);
    return writer.filePath;
  } finally {
    writer.close();
  }
}
