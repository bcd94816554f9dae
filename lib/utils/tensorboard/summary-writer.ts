/** torch.utils.tensorboard.SummaryWriter: training curves for TensorBoard, without TensorFlow. */
import * as os from 'node:os';
import * as path from 'node:path';
import { Tensor } from '../../tensor';
import { defineOptions, readable, rejectUnknownOptions } from '../../options';
import { EventFile } from './event-file';
import { makeHistogram, type HistogramBins } from './histogram';
import { histogramValue, hparamsValues, scalarValue, textValue, type HparamValue, type SummaryValue } from './summary';

/** Options of `SummaryWriter` (PyTorch's keywords). */
export interface SummaryWriterOptions {
  /** Seconds between automatic flushes to disk (default 120): a crash loses at most this much. */
  flushSecs?: number;
  /** Events queued before a write to disk (default 10). */
  maxQueue?: number;
  /** Appended to the event file's name (default ''). */
  filenameSuffix?: string;
}

/** Options of `SummaryWriter.addHparams`. */
export interface AddHparamsOptions {
  /** Sub-directory of the log dir the session is written to (default: the current time in seconds). */
  runName?: string;
}

const WRITER = defineOptions<SummaryWriterOptions>('SummaryWriter', { flushSecs: true, maxQueue: true, filenameSuffix: true });
const ADD_HPARAMS = defineOptions<AddHparamsOptions>('SummaryWriter.addHparams', { runName: true });

/** A number, or a tensor of one element. */
export type ScalarLike = number | Tensor;

/** PyTorch's default log dir: runs/<Mon DD_HH-MM-SS>_<host>. */
function defaultLogDir(): string {
  const d = new Date();
  const month = d.toLocaleString('en-US', { month: 'short' });
  const two = (n: number): string => String(n).padStart(2, '0');
  return path.join('runs', `${month}${two(d.getDate())}_${two(d.getHours())}-${two(d.getMinutes())}-${two(d.getSeconds())}_${os.hostname()}`);
}

/**
 * Writes TensorBoard event files into `logDir` (created if missing), as
 * PyTorch's `torch.utils.tensorboard.SummaryWriter` does; then run
 * `tensorboard --logdir runs`. Each writer makes one new event file (and
 * one per `addScalars` key, in sub-directories, as PyTorch's). Events reach
 * the disk every `flushSecs`, every `maxQueue` events, on `flush()` and `close()`.
 *
 * @example
 * ```ts
 * const writer = new torch.utils.tensorboard.SummaryWriter('runs/mnist');
 * for (let step = 0; step < 100; step++) {
 *   writer.addScalar('Loss/train', loss.item(), step);
 * }
 * writer.addHistogram('fc1.weight', model.fc1.weight, 100);
 * writer.close();
 * ```
 */
export class SummaryWriter {
  /** The directory the event files go to. */
  readonly logDir: string;
  private readonly settings: Required<SummaryWriterOptions>;
  private readonly file: EventFile;
  private readonly scalarsFiles = new Map<string, EventFile>();

  /**
   * @param logDir the directory to write to (default `runs/<Mon DD_HH-MM-SS>_<host>`, as PyTorch's)
   * @param options `flushSecs` (default 120), `maxQueue` (default 10) and `filenameSuffix` (default '')
   */
  constructor(logDir?: string, options: SummaryWriterOptions = {}) {
    rejectUnknownOptions(options, WRITER);
    const { flushSecs = 120, maxQueue = 10, filenameSuffix = '' } = options;
    if (logDir !== undefined && (typeof logDir !== 'string' || logDir === '')) throw new TypeError(`SummaryWriter: logDir must be a non-empty string, got ${readable(logDir)}`);
    if (typeof flushSecs !== 'number' || !(flushSecs > 0) || !Number.isFinite(flushSecs)) throw new RangeError(`SummaryWriter: flushSecs must be a positive number, got ${readable(flushSecs)}`);
    if (!Number.isInteger(maxQueue) || maxQueue < 1) throw new RangeError(`SummaryWriter: maxQueue must be a positive integer, got ${readable(maxQueue)}`);
    if (typeof filenameSuffix !== 'string') throw new TypeError(`SummaryWriter: filenameSuffix must be a string, got ${readable(filenameSuffix)}`);
    this.logDir = logDir ?? defaultLogDir();
    this.settings = { flushSecs, maxQueue, filenameSuffix };
    this.file = new EventFile(this.logDir, this.settings);
  }

  /** The directory the event files go to (PyTorch's `get_logdir()`). */
  getLogdir(): string {
    return this.logDir;
  }

  /** Path of this writer's own event file. */
  get filePath(): string {
    return this.file.path;
  }

  /**
   * Logs one scalar under `tag` at `globalStep` (default 0); `walltime` in seconds (default now).
   *
   * @param tag the chart's name, e.g. 'Loss/train'
   * @param scalarValue a number or a one-element tensor
   * @param globalStep the step the value belongs to (default 0)
   * @param walltime the event's time in seconds since the epoch (default now)
   */
  addScalar(tag: string, scalarValue: ScalarLike, globalStep?: number, walltime?: number): void {
    this.addValue(this.file, 'addScalar', scalarValue_(tag, scalarValue, 'addScalar'), globalStep, walltime);
  }

  /**
   * Logs several scalars on one chart: each `tagScalarDict` key goes to its
   * own run `<logDir>/<mainTag>_<key>` under the tag `mainTag`, as PyTorch's.
   *
   * @param mainTag the chart's name
   * @param tagScalarDict one scalar (a number or a one-element tensor) per run name
   * @param globalStep the step the value belongs to (default 0)
   * @param walltime the event's time in seconds since the epoch (default now)
   */
  addScalars(mainTag: string, tagScalarDict: Record<string, ScalarLike>, globalStep?: number, walltime?: number): void {
    checkTag(mainTag, 'addScalars');
    if (tagScalarDict === null || typeof tagScalarDict !== 'object') throw new TypeError(`SummaryWriter.addScalars: tagScalarDict must be an object of scalars, got ${readable(tagScalarDict)}`);
    for (const [key, v] of Object.entries(tagScalarDict)) {
      const dir = path.join(this.logDir, `${mainTag.replace(/\//g, '_')}_${key}`);
      let file = this.scalarsFiles.get(dir);
      if (file === undefined) {
        this.checkOpen('addScalars');
        file = new EventFile(dir, this.settings);
        this.scalarsFiles.set(dir, file);
      }
      this.addValue(file, 'addScalars', scalarValue_(mainTag, v, 'addScalars'), globalStep, walltime);
    }
  }

  /**
   * Logs the histogram of `values` (a tensor or numbers). `bins`: 'tensorflow'
   * (default, PyTorch's exponential buckets), a number of equal-width bins, or the edges.
   *
   * @param tag the histogram's name
   * @param values a tensor or an array of numbers
   * @param globalStep the step the values belong to (default 0)
   * @param bins 'tensorflow' (default), a number of equal-width bins, or the bin edges
   * @param walltime the event's time in seconds since the epoch (default now)
   */
  addHistogram(tag: string, values: Tensor | ArrayLike<number>, globalStep?: number, bins: HistogramBins = 'tensorflow', walltime?: number): void {
    checkTag(tag, 'addHistogram');
    const data = values instanceof Tensor ? values.data : values;
    if (data === null || typeof data !== 'object' || typeof data.length !== 'number') throw new TypeError(`SummaryWriter.addHistogram: values must be a Tensor or an array of numbers, got ${readable(values)}`);
    this.addValue(this.file, 'addHistogram', histogramValue(tag, makeHistogram(data, bins, `SummaryWriter.addHistogram('${tag}')`)), globalStep, walltime);
  }

  /**
   * Logs text (shown with markdown in TensorBoard's Text tab).
   *
   * @param tag the text's name
   * @param textString the text, markdown allowed
   * @param globalStep the step the value belongs to (default 0)
   * @param walltime the event's time in seconds since the epoch (default now)
   */
  addText(tag: string, textString: string, globalStep?: number, walltime?: number): void {
    checkTag(tag, 'addText');
    if (typeof textString !== 'string') throw new TypeError(`SummaryWriter.addText: textString must be a string, got ${readable(textString)}`);
    this.addValue(this.file, 'addText', textValue(tag, textString), globalStep, walltime);
  }

  /**
   * Logs one session for TensorBoard's HParams tab: the hyperparameters
   * (numbers, strings, booleans) and final metrics, in the sub-directory
   * `runName` (default the current time), as PyTorch's `add_hparams`.
   *
   * @param hparamDict the hyperparameters by name: numbers, strings or booleans
   * @param metricDict the final metrics by name: numbers or one-element tensors
   * @param options `runName`: the sub-directory of the log dir (default the current time in seconds)
   */
  addHparams(hparamDict: Record<string, HparamValue>, metricDict: Record<string, ScalarLike>, options: AddHparamsOptions = {}): void {
    rejectUnknownOptions(options, ADD_HPARAMS);
    this.checkOpen('addHparams');
    for (const [name, dict] of [['hparamDict', hparamDict], ['metricDict', metricDict]] as const) {
      if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) throw new TypeError(`SummaryWriter.addHparams: ${name} must be an object, got ${readable(dict)}`);
    }
    for (const [k, v] of Object.entries(hparamDict)) {
      if (!['number', 'string', 'boolean'].includes(typeof v)) throw new TypeError(`SummaryWriter.addHparams: hparam '${k}' must be a number, string or boolean, got ${readable(v)}`);
    }
    const { runName = String(Date.now() / 1000) } = options;
    const file = new EventFile(path.join(this.logDir, runName), this.settings);
    try {
      for (const value of hparamsValues(hparamDict, Object.keys(metricDict))) this.addValue(file, 'addHparams', value);
      for (const [k, v] of Object.entries(metricDict)) this.addValue(file, 'addHparams', scalarValue_(k, v, 'addHparams'));
    } finally {
      file.close();
    }
  }

  /** Writes every queued event to disk now. */
  flush(): void {
    this.file.flush();
    for (const f of this.scalarsFiles.values()) f.flush();
  }

  /** Flushes and closes the event files; later `add*` calls are errors. */
  close(): void {
    this.file.close();
    for (const f of this.scalarsFiles.values()) f.close();
  }

  private checkOpen(where: string): void {
    if (this.file.closed) throw new Error(`SummaryWriter.${where}: the writer is closed`);
  }

  private addValue(file: EventFile, where: string, value: SummaryValue, globalStep?: number, walltime?: number): void {
    this.checkOpen(where);
    if (globalStep !== undefined && !Number.isSafeInteger(globalStep)) throw new TypeError(`SummaryWriter.${where}: globalStep must be an integer, got ${readable(globalStep)}`);
    if (walltime !== undefined && !Number.isFinite(walltime)) throw new TypeError(`SummaryWriter.${where}: walltime must be a finite number of seconds, got ${readable(walltime)}`);
    file.write({ wall_time: walltime ?? Date.now() / 1000, step: globalStep ?? 0, summary: { value: [value] } });
  }
}

function checkTag(tag: string, where: string): void {
  if (typeof tag !== 'string' || tag === '') throw new TypeError(`SummaryWriter.${where}: tag must be a non-empty string, got ${readable(tag)}`);
}

/** The scalar summary value of `v` (a number or a one-element tensor). */
function scalarValue_(tag: string, v: ScalarLike, where: string): SummaryValue {
  checkTag(tag, where);
  if (v instanceof Tensor) {
    if (v.numel() !== 1) throw new TypeError(`SummaryWriter.${where}: '${tag}' must be a number or a one-element tensor, got a tensor of shape [${v.shape.join(', ')}]`);
    return scalarValue(tag, v.item());
  }
  if (typeof v !== 'number') throw new TypeError(`SummaryWriter.${where}: '${tag}' must be a number or a one-element tensor, got ${readable(v)}`);
  return scalarValue(tag, v);
}
