/**
 * SummaryWriter: the event file is decoded back (record framing, both CRCs,
 * the Event/Summary protobufs) and compared with what was written.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as torch from '../../lib';
import { crc32c, maskedCrc32c } from '../../lib/utils/tensorboard/crc32c';
import { decodeRecords, encodeRecord } from '../../lib/utils/tensorboard/record';
import { eventType } from '../../lib/utils/tensorboard/schema';
import { makeHistogram } from '../../lib/utils/tensorboard/histogram';

const { SummaryWriter } = torch.utils.tensorboard;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torchlet-tb-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => path.join(root, `run${dirs++}`);

type Event = { wall_time: number; step: number; file_version?: string; summary?: { value: Record<string, unknown>[] } };

/** Every event of the event file at `file`, decoded with event.proto. */
function readEvents(file: string): Event[] {
  const { records, truncatedTail } = decodeRecords(fs.readFileSync(file));
  expect(truncatedTail).toBe(false);
  const E = eventType('Event');
  // proto3 leaves a zero step out of the bytes
  return records.map((r) => ({ step: 0, ...E.toObject(E.decode(r), { longs: Number }) }) as Event);
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('CRC-32C and record framing', () => {
  it('matches the published CRC-32C check values (RFC 3720 B.4 and "123456789")', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('masks as TensorFlow does: rotate right 15, add 0xa282ead8', () => {
    expect(maskedCrc32c(new Uint8Array(0))).toBe(0xa282ead8);
    const c = 0xe3069283n;
    const rotated = ((c >> 15n) | (c << 17n)) & 0xffffffffn;
    expect(BigInt(maskedCrc32c(ascii('123456789')))).toBe((rotated + 0xa282ead8n) & 0xffffffffn);
  });

  it('frames a record as u64 length, masked CRC, payload, masked CRC; a cut tail is reported, a bad CRC throws', () => {
    const payload = ascii('hello');
    const rec = encodeRecord(payload);
    const view = new DataView(rec.buffer);
    expect(rec.length).toBe(8 + 4 + 5 + 4);
    expect(Number(view.getBigUint64(0, true))).toBe(5);
    expect(view.getUint32(8, true)).toBe(maskedCrc32c(rec.subarray(0, 8)));
    expect(view.getUint32(17, true)).toBe(maskedCrc32c(payload));
    const two = new Uint8Array([...rec, ...encodeRecord(ascii('world'))]);
    for (let cut = two.length - 1; cut > rec.length; cut--) {
      const got = decodeRecords(two.subarray(0, cut));
      expect(got.records.map((r) => Buffer.from(r).toString())).toEqual(['hello']);
      expect(got.truncatedTail).toBe(true);
    }
    const bad = rec.slice();
    bad[13] ^= 1;
    expect(() => decodeRecords(bad)).toThrow(/payload CRC mismatch/);
  });
});

describe('histogram', () => {
  it('keeps numpy.histogram counts over the support plus one empty bin on the left', () => {
    const h = makeHistogram([1, 2, 2, 3], 3, 't');
    expect(h.bucket).toEqual([0, 1, 2, 1]);
    expect(h.bucket_limit).toEqual([1, 1 + 2 / 3, 1 + 4 / 3, 3]);
    expect([h.min, h.max, h.num, h.sum, h.sum_squares]).toEqual([1, 3, 4, 8, 18]);
    const e = makeHistogram([1.5, 4.5], [0, 1, 2, 3, 4, 5, 6], 't');
    expect(e.bucket).toEqual([0, 1, 0, 0, 1]);
    expect(e.bucket_limit).toEqual([1, 2, 3, 4, 5]);
  });

  it("'tensorflow' bins count every value once", () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10 ** ((i % 7) - 3));
    const h = makeHistogram(values, 'tensorflow', 't');
    expect(h.bucket.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.bucket_limit.length).toBe(h.bucket.length);
    expect(h.bucket_limit[h.bucket_limit.length - 1]).toBeGreaterThanOrEqual(h.max);
    expect(h.bucket_limit[0]).toBeLessThanOrEqual(h.min);
  });

  it('rejects empty and non-finite values', () => {
    expect(() => makeHistogram([], 'tensorflow', 'addHistogram')).toThrow(/addHistogram: values are empty/);
    expect(() => makeHistogram([1, NaN], 'tensorflow', 'addHistogram')).toThrow(/finite, got NaN at index 1/);
  });
});

describe('SummaryWriter', () => {
  it('writes file_version first, then every scalar, histogram and text with its step and wall time', () => {
    const dir = freshDir();
    const w = new SummaryWriter(dir, { filenameSuffix: '.test' });
    expect(path.basename(w.filePath)).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${os.hostname().replace(/\./g, '\\.')}\\.${process.pid}\\.\\d+\\.test$`));
    for (let step = 0; step < 25; step++) w.addScalar('loss/train', 1 / (step + 1), step, 1000 + step);
    w.addScalar('acc', torch.tensor(0.75), 7);
    w.addHistogram('weights', torch.tensor([1, 2, 2, 3]), 3, 3);
    w.addText('note', 'hello **world**', 4);
    w.close();
    const events = readEvents(w.filePath);
    expect(events[0].file_version).toBe('brain.Event:2');
    const scalars = events.slice(1, 26);
    expect(scalars.map((e) => e.step)).toEqual([...Array(25).keys()]);
    expect(scalars.map((e) => e.wall_time)).toEqual([...Array(25).keys()].map((s) => 1000 + s));
    expect(scalars.map((e) => e.summary?.value[0].simple_value)).toEqual([...Array(25).keys()].map((s) => Math.fround(1 / (s + 1))));
    expect(scalars.every((e) => e.summary?.value[0].tag === 'loss/train')).toBe(true);
    expect(events[26].summary?.value[0]).toEqual({ tag: 'acc', simple_value: 0.75 });
    expect(events[27].step).toBe(3);
    expect(events[27].summary?.value[0].histo).toEqual({ min: 1, max: 3, num: 4, sum: 8, sum_squares: 18, bucket_limit: [1, 1 + 2 / 3, 1 + 4 / 3, 3], bucket: [0, 1, 2, 1] });
    const text = events[28].summary?.value[0] as { tag: string; tensor: { dtype: number; string_val: Uint8Array[] }; metadata: { plugin_data: { plugin_name: string } } };
    expect(text.tag).toBe('note/text_summary');
    expect(text.metadata.plugin_data.plugin_name).toBe('text');
    expect(Buffer.from(text.tensor.string_val[0]).toString()).toBe('hello **world**');
    expect(events.length).toBe(29);
  });

  it('reaches the disk every flushSecs and every maxQueue events, not before', async () => {
    const w = new SummaryWriter(freshDir(), { flushSecs: 0.2, maxQueue: 1000 });
    w.addScalar('a', 1, 1);
    expect(readEvents(w.filePath).length).toBe(1); // only file_version so far
    await new Promise((r) => setTimeout(r, 500));
    expect(readEvents(w.filePath).length).toBe(2);
    w.close();
    const q = new SummaryWriter(freshDir(), { maxQueue: 3 });
    q.addScalar('a', 1, 1);
    q.addScalar('a', 2, 2);
    expect(readEvents(q.filePath).length).toBe(1);
    q.addScalar('a', 3, 3);
    expect(readEvents(q.filePath).length).toBe(4);
    q.close();
  });

  it('addScalars writes one run per key under the main tag, as PyTorch', () => {
    const dir = freshDir();
    const w = new SummaryWriter(dir);
    w.addScalars('loss/both', { train: 0.5, test: 0.25 }, 1);
    w.addScalars('loss/both', { train: 0.4, test: 0.2 }, 2);
    w.close();
    for (const [key, values] of [['train', [0.5, 0.4]], ['test', [0.25, 0.2]]] as const) {
      const sub = path.join(dir, `loss_both_${key}`);
      const files = fs.readdirSync(sub);
      expect(files.length).toBe(1);
      const events = readEvents(path.join(sub, files[0])).slice(1);
      expect(events.map((e) => [e.step, e.summary?.value[0].tag, e.summary?.value[0].simple_value])).toEqual(values.map((v, i) => [i + 1, 'loss/both', Math.fround(v)]));
    }
  });

  it('addHparams writes the experiment, the session and the metrics into the run dir', () => {
    const dir = freshDir();
    const w = new SummaryWriter(dir);
    w.addHparams({ lr: 0.1, optimizer: 'sgd', nesterov: true }, { 'hparam/accuracy': 0.9 }, { runName: 'trial' });
    w.close();
    const files = fs.readdirSync(path.join(dir, 'trial'));
    const events = readEvents(path.join(dir, 'trial', files[0]));
    expect(events.map((e) => e.summary?.value[0].tag)).toEqual([undefined, '_hparams_/experiment', '_hparams_/session_start_info', '_hparams_/session_end_info', 'hparam/accuracy']);
    const P = eventType('HParamsPluginData');
    const content = (i: number): Record<string, unknown> => P.toObject(P.decode((events[i].summary?.value[0].metadata as { plugin_data: { content: Uint8Array } }).plugin_data.content), { enums: String });
    expect(content(1)).toEqual({ experiment: {
      hparam_infos: [{ name: 'lr', type: 'DATA_TYPE_FLOAT64' }, { name: 'optimizer', type: 'DATA_TYPE_STRING' }, { name: 'nesterov', type: 'DATA_TYPE_BOOL' }],
      metric_infos: [{ name: { tag: 'hparam/accuracy' } }],
    } });
    expect(content(2)).toEqual({ session_start_info: { hparams: { lr: { number_value: 0.1 }, optimizer: { string_value: 'sgd' }, nesterov: { bool_value: true } } } });
    expect(content(3)).toEqual({ session_end_info: { status: 'STATUS_SUCCESS' } });
    expect(events[4].summary?.value[0].simple_value).toBeCloseTo(0.9, 6);
  });

  it('rejects bad arguments and writes after close', () => {
    expect(() => new SummaryWriter(freshDir(), { flush_secs: 1 } as object)).toThrow(/unknown option 'flush_secs'; did you mean 'flushSecs'/);
    expect(() => new SummaryWriter(freshDir(), { flushSecs: 0 })).toThrow(/flushSecs must be a positive number/);
    const w = new SummaryWriter(freshDir());
    expect(() => w.addScalar('', 1)).toThrow(/addScalar: tag must be a non-empty string/);
    expect(() => w.addScalar('x', torch.ones(2))).toThrow(/'x' must be a number or a one-element tensor, got a tensor of shape \[2\]/);
    expect(() => w.addScalar('x', 1, 1.5)).toThrow(/globalStep must be an integer/);
    expect(() => w.addHparams({ a: [1] as unknown as number }, {})).toThrow(/hparam 'a' must be a number, string or boolean/);
    w.close();
    w.close();
    expect(() => w.addScalar('x', 1)).toThrow(/addScalar: the writer is closed/);
  });
});
