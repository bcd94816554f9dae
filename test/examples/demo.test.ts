/** `node examples/demo.mjs --quick` runs the whole course, prints the summary table and writes the charts. */
import { it, expect, describe } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeRecords } from '../../lib/utils/tensorboard/record';
import { eventType } from '../../lib/utils/tensorboard/schema';

const root = path.resolve(__dirname, '..', '..');

describe('examples: demo', () => {
  it('--quick: 11 rows in the summary, 21 SVG charts, periodic progress lines when stdout is not a TTY, a TensorBoard run per lesson', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'torchlet-demo-'));
    try {
      const r = spawnSync(process.execPath, ['examples/demo.mjs', '--quick', '--out', out, '--tensorboard', path.join(out, 'tb')], { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const rows = r.stdout.split('\n').filter((l) => /^\| \d\d /.test(l));
      expect(rows.length).toBe(11);
      expect(r.stdout).toMatch(/perceptron [0-3]\/4, MLP 4\/4/);
      expect(r.stdout).toMatch(/MNIST MLP +100% +epoch 2\/2 +loss [\d.]+ +[\d.]+k? samples\/s/);
      expect(r.stdout).toMatch(/test-set \(t10k\) accuracy: LeNet-5 \d+\.\d\d% \(\d+\/1000\) vs lesson 08's MLP \d+\.\d\d% on the same digits/);
      expect(r.stdout).toMatch(/held-out accuracy: GRU \d+\.\d\d% vs last-letter rule \d+\.\d\d%/);
      expect(r.stdout).toMatch(/held-out RMSE: LSTM \d\.\d{4} vs last value \d\.\d{4}, seasonal naive \d\.\d{4}/);
      const files = readdirSync(out).filter((f) => f.endsWith('.svg'));
      expect(files.length).toBe(21);
      for (const f of files) expect(readFileSync(path.join(out, f), 'utf8').startsWith('<svg')).toBe(true);
      const runs = readdirSync(path.join(out, 'tb')).sort();
      expect(runs.map((r) => r.slice(0, 3))).toEqual(['01-', '02-', '03-', '04-', '05-', '06-', '07-', '08-', '09-', '10-', '11-']);
      const E = eventType('Event');
      for (const run of runs) {
        const [file] = readdirSync(path.join(out, 'tb', run));
        const events = decodeRecords(readFileSync(path.join(out, 'tb', run, file))).records.map((r) => E.toObject(E.decode(r)) as { summary?: { value: { tag: string; simple_value?: number }[] } });
        const tags = new Set(events.flatMap((e) => e.summary?.value.filter((v) => v.simple_value !== undefined).map((v) => v.tag) ?? []));
        expect([...tags].some((t) => t.endsWith('-loss') || t.includes('-loss/')), `${run}: ${[...tags].join(', ')}`).toBe(true);
        if (['03', '04', '07', '08', '09', '10'].includes(run.slice(0, 2))) expect([...tags].some((t) => /^final\/\w*[aA]ccuracy$/.test(t)), run).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('a lesson runs alone from its command line', () => {
    const r = spawnSync(process.execPath, ['examples/05-xor.mjs', '--quick', '--backend', 'js'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('js backend');
    expect(r.stdout).toMatch(/ 1 {2}1 \| {2}0 {2}\| [\d.]+ → [01] {2}\| [\d.]+ → 0/);
  });
});
