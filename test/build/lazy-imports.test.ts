/**
 * `require('torchlet')` loads no optional machinery: protobufjs (ONNX export,
 * TensorBoard) is loaded on first use only.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

function loaded(code: string): boolean {
  const probe = `${code}; console.log(Object.keys(require.cache).some((k) => k.includes('${path.sep}protobufjs${path.sep}')))`;
  const r = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim() === 'true';
}

describe('lazy imports', () => {
  it('require does not load protobufjs; writing a TensorBoard event does', () => {
    expect(loaded("require('torchlet')")).toBe(false);
    const write = "const os = require('os'), fs = require('fs'), p = require('path'); const d = fs.mkdtempSync(p.join(os.tmpdir(), 'tl-lazy-'));" +
      "const w = new (require('torchlet').utils.tensorboard.SummaryWriter)(d); w.addScalar('x', 1, 0); w.close(); fs.rmSync(d, { recursive: true, force: true })";
    expect(loaded(write)).toBe(true);
  });
});
