/**
 * The command line shared by the examples:
 *   --backend native|js   choose the backend (default: native, or TORCHLET_BACKEND)
 *   --quick               the short budget the tests and `demo --quick` use
 *   --charts DIR          also write the example's charts as SVG into DIR
 *   --tensorboard DIR     (demo) also log every lesson's losses and accuracies for TensorBoard into DIR
 */
import { parseArgs } from 'node:util';
import * as torch from 'torchlet';
import { createTrack } from './progress.mjs';

/** Parses the shared flags; exits with a usage line on an unknown one. */
export function parseFlags(argv = process.argv.slice(2)) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { backend: { type: 'string' }, quick: { type: 'boolean', default: false }, charts: { type: 'string' }, out: { type: 'string' }, tensorboard: { type: 'string' } },
    });
    if (values.backend !== undefined) torch.setBackend(values.backend);
    return values;
  } catch (e) {
    console.error(`${e.message}\nusage: node ${process.argv[1]} [--backend native|js] [--quick] [--charts DIR]`);
    process.exit(2);
  }
}

/**
 * Runs one lesson from the command line: prints what it shows, a progress
 * bar per training loop, its summary and time; writes its charts if asked.
 * @param {{ id: string, title: string, module: { run: (options: object) => any }, quick: object }} lesson
 */
export async function runLesson(lesson) {
  const flags = parseFlags();
  console.log(`${lesson.id}. ${lesson.title}  [torchlet, ${torch.getBackend()} backend]`);
  const started = performance.now();
  const result = lesson.module.run({ ...(flags.quick ? lesson.quick : {}), log: (line) => console.log(`  ${line}`), track: createTrack() });
  const seconds = (performance.now() - started) / 1000;
  console.log(`=> ${result.summary} (${seconds.toFixed(2)} s)`);
  if (flags.charts !== undefined) {
    const { writeCharts } = await import('./charts.mjs');
    for (const file of await writeCharts(result.charts, flags.charts)) console.log(`wrote ${file}`);
  }
  return result;
}
