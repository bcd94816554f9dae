/**
 * Interop with PyTorch 1.13 (fixtures from test/fixtures/make-torchlet-mlp.mjs
 * then test/fixtures/make_safetensors_fixtures.py):
 * - torch_mlp.safetensors, written by PyTorch, loads into the same torchlet
 *   nn.Sequential with bit-exact weights and reproduces PyTorch's output;
 * - torchlet_mlp.safetensors, written by torchlet, is byte-identical to what
 *   torchlet writes today, PyTorch loaded it (strict) with bit-exact weights,
 *   and PyTorch's output equals torchlet's forward.
 * Float32 outputs may differ by rounding order only: |Δ| ≤ 1e-6.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as torch from '../../lib';
import { Tensor } from '../../lib';
import { deserialize, load, serialize } from '../../lib/io';
import { describeBackends, flat } from '../helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
interface Fixture { input: number[][]; output: number[][]; weights_hex: Record<string, string>; metadata?: Record<string, string> }
const readJson = (name: string): Fixture => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Fixture;

/** Same construction and seed as make-torchlet-mlp.mjs. */
function torchletMlp(seed: number | null): torch.nn.Sequential {
  if (seed !== null) torch.manualSeed(seed);
  return new torch.nn.Sequential(new torch.nn.Linear(4, 8), new torch.nn.ReLU(), new torch.nn.Linear(8, 3));
}

function hex(t: Tensor): string {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
}

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

describeBackends('PyTorch → torchlet (torch_mlp.safetensors)', () => {
  const fx = readJson('torch_mlp.json');

  it('loads with bit-exact weights and reproduces PyTorch\'s output', async () => {
    const sd = await load(path.join(FIXTURES, 'torch_mlp.safetensors'));
    expect(Object.keys(sd)).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    for (const [k, h] of Object.entries(fx.weights_hex)) expect(hex(sd[k]), k).toBe(h);
    const model = torchletMlp(null);
    model.loadStateDict(sd, { strict: true });
    const out = torch.noGrad(() => model.forward(torch.tensor(fx.input)));
    expect(out.dtype).toBe('float32');
    expect(maxAbsDiff(flat(out.toArray()), flat(fx.output))).toBeLessThanOrEqual(1e-6);
  });

  it('has the header torchlet would write for the same tensors', () => {
    const raw = readFileSync(path.join(FIXTURES, 'torch_mlp.safetensors'));
    const { tensors, metadata } = deserialize(raw);
    expect(metadata).toEqual({ format: 'pt', producer: 'pytorch' });
    expect(serialize(tensors, metadata)).toEqual(raw);
  });
});

describeBackends('torchlet → PyTorch (torchlet_mlp.safetensors)', () => {
  const fx = readJson('torchlet_mlp_in_torch.json');
  const file = path.join(FIXTURES, 'torchlet_mlp.safetensors');

  it('the committed file is what torchlet writes for manualSeed(1234) (reproducible)', () => {
    const model = torchletMlp(1234);
    expect(serialize(model.stateDict(), { format: 'pt', producer: 'torchlet' })).toEqual(readFileSync(file));
  });

  it('PyTorch loaded bit-exact weights, and its output equals torchlet\'s forward', () => {
    const model = torchletMlp(1234);
    const sd = model.stateDict();
    expect(Object.keys(fx.weights_hex).sort()).toEqual(Object.keys(sd).sort());
    for (const [k, h] of Object.entries(fx.weights_hex)) expect(h, k).toBe(hex(sd[k]));
    expect(fx.metadata).toEqual({ format: 'pt', producer: 'torchlet' });
    const out = torch.noGrad(() => model.forward(torch.tensor(fx.input)));
    expect(maxAbsDiff(flat(out.toArray()), flat(fx.output))).toBeLessThanOrEqual(1e-6);
  });
});
