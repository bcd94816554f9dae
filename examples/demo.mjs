// The whole course in order (npm run demo): a progress bar on every training
// loop, a summary table at the end, and the loss curves and decision
// boundaries as SVG files in demo-output/ (or --out DIR).
// Flags: --quick (short budgets), --backend native|js, --out DIR, --tensorboard DIR
// (every lesson's losses and accuracies as TensorBoard scalars, one run per lesson).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from 'torchlet';
import { lessons } from './course/index.mjs';
import { parseFlags } from './tools/cli.mjs';
import { createTrack } from './tools/progress.mjs';
import { writeCharts } from './tools/charts.mjs';
import { logLesson } from './tools/tensorboard.mjs';

const flags = parseFlags();
const outDir = path.resolve(flags.out ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'demo-output'));
const track = createTrack();
const began = performance.now();

console.log(`torchlet course demo: ${lessons.length} examples on the ${torch.getBackend()} backend, ` +
  `${torch.getNumThreads()} kernel thread(s), Node ${process.versions.node}${flags.quick ? ', quick budgets' : ''}`);

const rows = [];
const charts = [];
for (const lesson of lessons) {
  console.log(`\n[${lesson.id}/${String(lessons.length).padStart(2, '0')}] ${lesson.title}`);
  const started = performance.now();
  const result = lesson.module.run({ ...(flags.quick ? lesson.quick : {}), log: (line) => console.log(`  ${line}`), track });
  const seconds = (performance.now() - started) / 1000;
  rows.push([lesson.id, lesson.title, result.summary, seconds.toFixed(2)]);
  charts.push(...result.charts);
  if (flags.tensorboard !== undefined) logLesson(flags.tensorboard, lesson, result);
}

const chartsStarted = performance.now();
const files = await writeCharts(charts, outDir);
const chartSeconds = (performance.now() - chartsStarted) / 1000;
const total = (performance.now() - began) / 1000;

const header = ['#', 'example', 'final loss / accuracy', 'time (s)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const fmt = (cells) => `| ${cells.map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
console.log(`\nSummary (${torch.getBackend()} backend)\n`);
console.log(fmt(header));
console.log(`|${widths.map((w, i) => (i === 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
for (const row of rows) console.log(fmt(row));
console.log(`\n${files.length} charts (loss curves, decision boundaries, filters and digits) written to ${outDir}/ in ${chartSeconds.toFixed(1)} s:`);
console.log(`  ${files.map((f) => path.basename(f)).join('\n  ')}`);
if (flags.tensorboard !== undefined) console.log(`\nTensorBoard runs (losses, accuracies) in ${path.resolve(flags.tensorboard)}/: tensorboard --logdir ${flags.tensorboard}`);
console.log(`\ntotal ${total.toFixed(1)} s`);
