/**
 * One event file: `events.out.tfevents.<seconds>.<host>.<pid>.<n><suffix>` in
 * its log dir, opened for appending. Records queue in memory and reach the
 * file (and the disk: fsync) when the queue holds `maxQueue` events, every
 * `flushSecs` seconds, on `flush()` and on `close()`, so a crash loses at most
 * the events of the last `flushSecs`. A crash in the middle of a write leaves
 * a truncated last record, which TensorBoard's reader skips.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeRecord } from './record';
import { encodeMessage } from './schema';

/** How often and when an EventFile writes its queue. */
export interface EventFileOptions {
  flushSecs: number;
  maxQueue: number;
  filenameSuffix: string;
}

let fileCounter = 0;

/** Appends Event records to one new file. */
export class EventFile {
  /** Absolute path of the file. */
  readonly path: string;
  private fd: number | null;
  private queue: Uint8Array[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(logDir: string, private readonly options: EventFileOptions) {
    fs.mkdirSync(logDir, { recursive: true });
    const seconds = String(Math.floor(Date.now() / 1000)).padStart(10, '0');
    const name = `events.out.tfevents.${seconds}.${os.hostname()}.${process.pid}.${fileCounter++}${options.filenameSuffix}`;
    this.path = path.resolve(logDir, name);
    this.fd = fs.openSync(this.path, 'a');
    this.write({ wall_time: Date.now() / 1000, file_version: 'brain.Event:2' });
    this.flush();
    this.timer = setInterval(() => this.flush(), options.flushSecs * 1000);
    this.timer.unref(); // the writer never keeps the process alive
  }

  /** True once closed. */
  get closed(): boolean {
    return this.fd === null;
  }

  /** Queues one Event (object form of event.proto); writes the queue when it is full. */
  write(event: Record<string, unknown>): void {
    if (this.fd === null) throw new Error(`SummaryWriter: the writer of ${this.path} is closed`);
    this.queue.push(encodeRecord(encodeMessage('Event', event)));
    if (this.queue.length >= this.options.maxQueue) this.flush();
  }

  /** Writes the queued records and syncs the file to disk. */
  flush(): void {
    if (this.fd === null || this.queue.length === 0) return;
    const bytes = Buffer.concat(this.queue);
    this.queue = [];
    for (let off = 0; off < bytes.length;) off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
    fs.fsyncSync(this.fd);
  }

  /** Flushes and closes the file; later writes are errors, a second close does nothing. */
  close(): void {
    if (this.fd === null) return;
    clearInterval(this.timer);
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}
