/**
 * The logic of bench/train.js's PyTorch columns: which interpreters it runs
 * (bench/pythons.js), how a column is named from torch.__version__, and how
 * the issues' bars are checked against a run's ratios (bench/bars.js).
 */
import { describe, it, expect } from 'vitest';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(__filename);

interface Peer { id: string; major: number; python: string; missing: string | null }
const { torchPeers, torchLabel, versionMismatch, torch2VenvDir } = require('../../bench/pythons.js') as {
  torchPeers: (env: Record<string, string | undefined>, exists: (p: string) => boolean) => Peer[];
  torchLabel: (version: string | null, major: number) => string;
  versionMismatch: (version: string | null | undefined, major: number) => string | null;
  torch2VenvDir: (env: Record<string, string | undefined>) => string;
};

interface Result { median?: number; nativeOverThis?: number | null; error?: string }
interface Bar { text: string; status: string; ratio: number | null; against: string | null; missing: string[]; several: boolean }
interface Spec { id: string; bars?: { peers: string[]; max: number }[] }
const { checkBars, formatBar } = require('../../bench/bars.js') as {
  checkBars: (spec: Spec, results: Record<string, Result>, labelOf?: (id: string) => string) => Bar[];
  formatBar: (b: Bar, labelOf?: (id: string) => string) => string;
};
const { WORKLOADS, workloadKind } = require('../../bench/workloads.js') as {
  WORKLOADS: (Spec & { layers: { type: string }[] })[];
  workloadKind: (spec: Spec) => string;
};

const spec = (id: string): Spec => WORKLOADS.find((w) => w.id === id) as Spec;
const LABELS: Record<string, string> = { pytorch: 'PyTorch 1.13', pytorch2: 'PyTorch 2.13', js: 'torchlet js' };
const labelOf = (id: string): string => LABELS[id] ?? id;

describe('bench: the PyTorch interpreters', () => {
  it('are Debian\'s python3 and the venv of `npm run bench:setup` under TORCHLET_CACHE', () => {
    const peers = torchPeers({ TORCHLET_CACHE: '/c' }, () => true);
    expect(peers.map((p) => [p.id, p.major, p.python, p.missing])).toEqual([
      ['pytorch', 1, '/usr/bin/python3', null],
      ['pytorch2', 2, path.join('/c', 'torch2-venv', 'bin', 'python'), null],
    ]);
    expect(torch2VenvDir({})).toMatch(/\.cache[/\\]torchlet[/\\]torch2-venv$/);
  });

  it('follow TORCHLET_BENCH_PYTHON and TORCHLET_BENCH_PYTHON2', () => {
    const peers = torchPeers({ TORCHLET_BENCH_PYTHON: '/a/py', TORCHLET_BENCH_PYTHON2: '/b/py' }, () => true);
    expect(peers.map((p) => p.python)).toEqual(['/a/py', '/b/py']);
  });

  it('say how to get one that is absent', () => {
    const [one, two] = torchPeers({ TORCHLET_CACHE: '/c' }, (p) => p === '/usr/bin/python3');
    expect(one.missing).toBeNull();
    expect(two.missing).toContain('npm run bench:setup');
    expect(torchPeers({}, () => false)[0].missing).toContain('python3-torch');
  });

  it('name their column from torch.__version__, or by the major version expected', () => {
    expect(torchLabel('2.13.0+cpu', 2)).toBe('PyTorch 2.13');
    expect(torchLabel('1.13.0a0', 1)).toBe('PyTorch 1.13');
    expect(torchLabel(null, 2)).toBe('PyTorch 2.x');
    expect(torchLabel(null, 1)).toBe('PyTorch 1.13');
  });

  it('refuse a torch of the other major version', () => {
    expect(versionMismatch('2.13.0+cpu', 2)).toBeNull();
    expect(versionMismatch('1.13.0a0', 1)).toBeNull();
    expect(versionMismatch('1.13.0a0', 2)).toBe('has torch 1.13.0a0, this column is PyTorch 2.x');
    expect(versionMismatch('2.13.0+cpu', 1)).toBe('has torch 2.13.0+cpu, this column is PyTorch 1.x');
    expect(versionMismatch(undefined, 2)).toMatch(/cannot read/);
  });
});

describe('bench: the bars of W6–W8', () => {
  const times = (r1: number, r2: number): Record<string, Result> => ({
    pytorch: { median: 0.01, nativeOverThis: r1 }, pytorch2: { median: 0.004, nativeOverThis: r2 }, js: { median: 1, nativeOverThis: 0.01 },
  });

  it('W6 is against the faster PyTorch: the one with the smaller median, whose ratio is the larger', () => {
    const [b] = checkBars(spec('W6'), times(0.3, 0.85), labelOf);
    expect([b.status, b.ratio, b.against]).toEqual(['MISS', 0.85, 'pytorch2']);
    expect(formatBar(b, labelOf)).toBe('bar ≤ 0.8× the faster of PyTorch 1.13 / PyTorch 2.13: MISS (0.85 against PyTorch 2.13)');
    expect(checkBars(spec('W6'), times(0.3, 0.75), labelOf)[0].status).toBe('met');
  });

  it('W6 falls back to the PyTorch that was measured, and says which was not', () => {
    const [b] = checkBars(spec('W6'), { ...times(0.7, 0.9), pytorch2: { error: 'not found' } }, labelOf);
    expect([b.status, b.against, b.missing]).toEqual(['met', 'pytorch', ['pytorch2']]);
    expect(formatBar(b, labelOf)).toBe('bar ≤ 0.8× the faster of PyTorch 1.13 / PyTorch 2.13: met (0.70 against PyTorch 1.13); PyTorch 2.13 not measured');
  });

  it('W7 has one bar per PyTorch and one against torchlet js', () => {
    const bars = checkBars(spec('W7'), times(0.95, 1.3), labelOf);
    expect(bars.map((b) => [b.text, b.status])).toEqual([
      ['≤ 1.0× PyTorch 1.13', 'met'],
      ['≤ 1.25× PyTorch 2.13', 'MISS'],
      ['native ≥ 30× torchlet js', 'met'],
    ]);
  });

  it('W8: ≤ 0.8× PyTorch 1.13 and ≤ 1.0× PyTorch 2.x; a column that did not run is "not measured"', () => {
    const bars = checkBars(spec('W8'), { pytorch: { median: 0.01, nativeOverThis: 0.81 }, pytorch2: { error: 'absent' } }, labelOf);
    expect(bars.map((b) => [b.text, b.status])).toEqual([['≤ 0.8× PyTorch 1.13', 'MISS'], ['≤ 1.0× PyTorch 2.13', 'not measured']]);
    expect(formatBar(bars[1], labelOf)).toBe('bar ≤ 1.0× PyTorch 2.13: not measured');
  });

  it('W8 is the LSTM kind, probed on its own', () => {
    expect(WORKLOADS.map((w) => `${w.id}:${workloadKind(w)}`)).toEqual(expect.arrayContaining(['W2-b128:mlp', 'W6:conv', 'W7:conv', 'W8:rnn']));
  });
});
