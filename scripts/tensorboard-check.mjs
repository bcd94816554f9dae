// Writes a known TensorBoard run with torchlet's SummaryWriter, then has
// TensorBoard's own reader (scripts/tensorboard-check.py) read it back and
// compare. Not part of npm test (it needs Python's tensorboard):
//   python3 -m venv /tmp/tbvenv && /tmp/tbvenv/bin/pip install tensorboard
//   npm run build && node scripts/tensorboard-check.mjs /tmp/tbvenv/bin/python
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../dist/index.mjs';

const python = process.argv[2] ?? 'python3';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torchlet-tbcheck-'));
const w = new torch.utils.tensorboard.SummaryWriter(dir);
const expected = { scalars: {}, histograms: {}, texts: {} };
expected.scalars['loss/train'] = [];
for (let step = 0; step < 50; step++) {
  const v = Math.fround(Math.exp(-step / 10));
  w.addScalar('loss/train', v, step);
  expected.scalars['loss/train'].push([step, v]);
}
torch.manualSeed(0);
for (const step of [0, 10, 20]) {
  const values = torch.randn(1000).mul(1 + step / 10);
  w.addHistogram('weights', values, step);
  const data = Array.from(values.data);
  expected.histograms[`weights@${step}`] = { num: data.length, min: Math.min(...data), max: Math.max(...data), sum: data.reduce((a, b) => a + b, 0) };
}
w.addText('notes', 'trained by **torchlet**', 3);
expected.texts['notes/text_summary'] = 'trained by **torchlet**';
w.addHparams({ lr: 0.01, optimizer: 'adam' }, { 'hparam/accuracy': 0.93 }, { runName: 'session' });
w.close();
fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(expected));
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tensorboard-check.py');
process.stdout.write(execFileSync(python, [script, dir], { encoding: 'utf8' }));
fs.rmSync(dir, { recursive: true, force: true });
