/** Optimizer state through safetensors, and saveCheckpoint / loadCheckpoint resuming training exactly. */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as torch from '../../lib';
import { Tensor } from '../../lib';
import {
  deserialize, loadCheckpoint, optimizerStateFromSafetensors, optimizerStateToSafetensors, save,
  saveCheckpoint, serialize, SafetensorsError, type OptimizerLike,
} from '../../lib/io';

const { nn, optim } = torch;
let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'torchlet-ckpt-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(kind: 'sgd' | 'adam'): { model: torch.nn.Sequential; opt: OptimizerLike & { step(): unknown; zeroGrad(): void } } {
  const model = new nn.Sequential(new nn.Linear(3, 5), new nn.Tanh(), new nn.Linear(5, 2));
  const opt = kind === 'sgd'
    ? new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })
    : new optim.Adam(model.parameters(), { lr: 0.01, betas: [0.8, 0.95], amsgrad: true });
  return { model, opt };
}

function train(model: torch.nn.Sequential, opt: { step(): unknown; zeroGrad(): void }, steps: number): void {
  const g = new torch.Generator(99);
  for (let i = 0; i < steps; i++) {
    const x = torch.randn([8, 3], { generator: g });
    const y = torch.randn([8, 2], { generator: g });
    opt.zeroGrad();
    new nn.MSELoss().forward(model.forward(x), y).backward();
    opt.step();
  }
}

function bytes(sd: Record<string, Tensor>): Buffer {
  return serialize(sd);
}

describe('optimizer state in safetensors', () => {
  it('puts tensors under state.<i>.<name> and the rest in __metadata__.optimizer as JSON', () => {
    torch.manualSeed(1);
    const { model, opt } = setup('sgd');
    train(model, opt, 2);
    const content = optimizerStateToSafetensors(opt.stateDict());
    expect(Object.keys(content.tensors).sort()).toEqual(['state.0.momentumBuffer', 'state.1.momentumBuffer', 'state.2.momentumBuffer', 'state.3.momentumBuffer']);
    const json = JSON.parse(content.metadata.optimizer) as { state: Record<string, unknown>; paramGroups: Record<string, unknown>[] };
    expect(json.state['0']).toEqual({ momentumBuffer: { $tensor: 'state.0.momentumBuffer' } });
    expect(json.paramGroups[0]).toMatchObject({ lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3, params: [0, 1, 2, 3] });
    const back = deserialize(serialize(content.tensors, content.metadata));
    const sd = optimizerStateFromSafetensors(back);
    expect(sd.paramGroups).toEqual(opt.stateDict().paramGroups);
    expect((sd.state[2].momentumBuffer as Tensor).toArray()).toEqual((opt.stateDict().state[2] as { momentumBuffer: Tensor }).momentumBuffer.toArray());
  });

  it('keeps scalars, nulls and non-finite numbers', () => {
    const t = torch.ones(2);
    const content = optimizerStateToSafetensors({
      state: { 0: { step: 3, buf: t, none: null, inf: Infinity, nan: NaN } },
      paramGroups: [{ lr: 0.1, params: [0], betas: [0.9, 0.99], amsgrad: false, weird: -Infinity } as { lr: number; params: number[] }],
    });
    const sd = optimizerStateFromSafetensors(deserialize(serialize(content.tensors, content.metadata)));
    expect(sd.state[0]).toMatchObject({ step: 3, none: null, inf: Infinity, nan: NaN });
    expect((sd.state[0].buf as Tensor).toArray()).toEqual([1, 1]);
    expect(sd.paramGroups[0]).toEqual({ lr: 0.1, params: [0], betas: [0.9, 0.99], amsgrad: false, weird: -Infinity });
  });

  it('says what is wrong with a broken optimizer entry', () => {
    expect(() => optimizerStateFromSafetensors({ tensors: {}, metadata: {} })).toThrow(/no "optimizer" entry/);
    expect(() => optimizerStateFromSafetensors({ tensors: {}, metadata: { optimizer: '{' } })).toThrow(SafetensorsError);
    expect(() => optimizerStateFromSafetensors({ tensors: {}, metadata: { optimizer: '[]' } })).toThrow(/must be \{"state"/);
    expect(() => optimizerStateFromSafetensors({ tensors: {}, metadata: { optimizer: '{"state":{"0":{"b":{"$tensor":"state.0.b"}}},"paramGroups":[]}' } }))
      .toThrow(/refers to tensor "state.0.b", which the file does not contain/);
  });
});

describe('saveCheckpoint / loadCheckpoint', () => {
  for (const kind of ['sgd', 'adam'] as const) {
    it(`resumes ${kind} training bit-exactly`, async () => {
      torch.manualSeed(5);
      const a = setup(kind);
      train(a.model, a.opt, 3);
      const file = path.join(dir, 'ckpt.safetensors');
      await saveCheckpoint(file, { model: a.model, optimizer: a.opt, extra: { epoch: 3, tag: 'x' } });
      train(a.model, a.opt, 4);

      torch.manualSeed(123); // different init, overwritten by the checkpoint
      const b = setup(kind);
      const ck = await loadCheckpoint(file, { model: b.model, optimizer: b.opt });
      expect(ck.extra).toEqual({ epoch: 3, tag: 'x' });
      expect(Object.keys(ck.model)).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
      train(b.model, b.opt, 4);
      expect(bytes(b.model.stateDict())).toEqual(bytes(a.model.stateDict()));
    });
  }

  it('stores model tensors as model.<key> and works with a plain state dict and no optimizer', async () => {
    const file = path.join(dir, 'c.safetensors');
    await saveCheckpoint(file, { model: { w: torch.ones(2) } });
    const ck = await loadCheckpoint(file);
    expect(Object.keys(ck.model)).toEqual(['w']);
    expect(ck.optimizer).toBeNull();
    expect(ck.extra).toBeUndefined();
    expect(ck.metadata['torchlet.checkpoint']).toBe('1');
  });

  it('refuses a file that is not a checkpoint, and a missing optimizer state when one is asked for', async () => {
    const plain = path.join(dir, 'plain.safetensors');
    await save({ w: torch.ones(1) }, plain);
    await expect(loadCheckpoint(plain)).rejects.toThrow(/is not a torchlet checkpoint/);
    const file = path.join(dir, 'c.safetensors');
    torch.manualSeed(0);
    const { model, opt } = setup('sgd');
    await saveCheckpoint(file, { model });
    await expect(loadCheckpoint(file, { model, optimizer: opt })).rejects.toThrow(/holds no optimizer state/);
  });
});
