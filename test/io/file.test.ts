/** save / load on disk: round trip, atomic replacement, size cap, truncation. */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as torch from '../../lib';
import { Tensor } from '../../lib';
import { load, loadWithMetadata, save, serialize, SafetensorsError } from '../../lib/io';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'torchlet-io-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A tensor whose data cannot be read: serialisation throws once the temp file is open. */
function poisoned(): Tensor {
  const t = torch.ones(4);
  Object.defineProperty(t, 'data', { get() { throw new Error('disk on fire'); } });
  return t;
}

describe('save / load', () => {
  it('round-trips a model state dict through a file, identical to serialize()', async () => {
    torch.manualSeed(3);
    const model = new torch.nn.Sequential(new torch.nn.Linear(4, 8), new torch.nn.ReLU(), new torch.nn.Linear(8, 3));
    const file = path.join(dir, 'mlp.safetensors');
    await save(model.stateDict(), file, { epoch: '1' });
    expect(readFileSync(file)).toEqual(serialize(model.stateDict(), { epoch: '1' }));
    const loaded = await load(file);
    expect(Object.keys(loaded)).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    const copy = new torch.nn.Sequential(new torch.nn.Linear(4, 8), new torch.nn.ReLU(), new torch.nn.Linear(8, 3));
    copy.loadStateDict(loaded);
    const x = torch.randn(5, 4);
    expect(torch.noGrad(() => copy.forward(x).toArray())).toEqual(torch.noGrad(() => model.forward(x).toArray()));
    expect((await loadWithMetadata(file)).metadata).toEqual({ epoch: '1' });
    expect(readdirSync(dir)).toEqual(['mlp.safetensors']);
  });

  it('accepts a Map and overwrites an existing file', async () => {
    const file = path.join(dir, 'm.safetensors');
    await save({ a: torch.ones(1) }, file);
    await save(new Map([['b', torch.zeros(2)]]), file);
    expect(Object.keys(await load(file))).toEqual(['b']);
    expect(readdirSync(dir)).toEqual(['m.safetensors']);
  });

  it('keeps the old file and leaves no temp file when serialisation fails mid-save', async () => {
    const file = path.join(dir, 'keep.safetensors');
    await save({ w: torch.full([3], 7) }, file);
    const before = readFileSync(file);
    await expect(save({ a: torch.ones(2), z: poisoned() }, file)).rejects.toThrow('disk on fire');
    expect(readFileSync(file)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['keep.safetensors']);
  });

  it('keeps the target and leaves no temp file when the rename fails (target is a non-empty directory)', async () => {
    const target = path.join(dir, 'occupied');
    mkdirSync(target);
    writeFileSync(path.join(target, 'x'), 'x');
    await expect(save({ a: torch.ones(2) }, target)).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(readdirSync(dir)).toEqual(['occupied']);
    expect(readdirSync(target)).toEqual(['x']);
  });

  it('fails cleanly in a directory that does not exist', async () => {
    await expect(save({ a: torch.ones(1) }, path.join(dir, 'nope', 'f.safetensors'))).rejects.toThrow(/ENOENT/);
  });

  it('validates its arguments before creating any file', async () => {
    await expect(save({ a: 'x' as unknown as Tensor }, path.join(dir, 'f'))).rejects.toThrow(TypeError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the mode of the file it replaces', async () => {
    const file = path.join(dir, 'mode.safetensors');
    await save({ a: torch.ones(1) }, file);
    chmodSync(file, 0o600);
    await save({ a: torch.ones(2) }, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses files above maxBytes before reading them (default 4 GiB)', async () => {
    const file = path.join(dir, 'big.safetensors');
    await save({ a: torch.zeros(1000) }, file);
    await expect(load(file, { maxBytes: 1000 })).rejects.toThrow(SafetensorsError);
    await expect(load(file, { maxBytes: 1000 })).rejects.toThrow(/is 4\d{3} bytes, above the 1000-byte limit/);
    expect((await load(file, { maxBytes: 4096 + 80 })).a.numel()).toBe(1000);
    await expect(load(file, { maxBytes: -1 })).rejects.toThrow(TypeError);
  });

  it('reports malformed and truncated files with SafetensorsError', async () => {
    const good = serialize({ a: torch.ones(4) });
    const cases: [Buffer, RegExp][] = [
      [good.subarray(0, 5), /shorter than the 8-byte/],
      [good.subarray(0, 20), /runs past the end/],
      [good.subarray(0, good.length - 1), /run past the end of the 15-byte data buffer/],
    ];
    for (const [bytes, message] of cases) {
      const file = path.join(dir, 'bad.safetensors');
      writeFileSync(file, bytes);
      await expect(load(file)).rejects.toThrow(message);
      await expect(load(file)).rejects.toBeInstanceOf(SafetensorsError);
    }
  });

  it('rejects a missing file with the fs error', async () => {
    await expect(load(path.join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});
