/**
 * A PyTorch training script written the PyTorch way — Embedding → LSTM
 * (2 layers, dropout between them, batchFirst) → LayerNorm → Dropout → Linear
 * on the last time step, cross-entropy, Adam, clip_grad_norm_ each step,
 * ReduceLROnPlateau stepped on the loss so the lr drops — reproduced in JS from
 * the same initial weights (loaded by PyTorch's state-dict keys) gives the same
 * losses, total norms and lrs for 20 steps in float64
 * (make_lstm_porting_fixtures.py), to 1e-13 relative (measured: under 1e-15).
 *
 * Dropout: torchlet's random numbers are not PyTorch's, so the script records
 * each mask PyTorch drew (nn.Dropout's through a forward hook; the LSTM's
 * between-layer one by replaying the generator, checked against the LSTM's
 * output there) and this test replaces the functional dropout, which both
 * nn.Dropout and nn.LSTM call, by one that takes the next recorded mask and
 * returns input · (mask / (1 − p)), PyTorch's scaling. Everything else is the
 * library's own code.
 */
import { it, expect, vi, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as torch from '../../lib';
import { describeBackends, expectClose } from '../helpers';

// The masks of the current step, taken in the order the forward pass draws them.
const recorded = vi.hoisted(() => ({ masks: [] as { p: number; mask: unknown }[] }));

vi.mock('../../lib/nn/functional/dropout', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../lib/nn/functional/dropout')>();
  return {
    ...original,
    dropout(input: torch.Tensor, p = 0.5, training = true): torch.Tensor {
      if (!training || p === 0) return input;
      const next = recorded.masks.shift();
      if (next === undefined) throw new Error('dropout: no recorded mask left for this step');
      expect(next.p).toBe(p);
      const mask = next.mask as torch.Tensor;
      expect(mask.shape).toEqual(input.shape);
      return input.mul(mask.div(1 - p));
    },
  };
});

const { nn, optim } = torch;

interface SavedTensor { shape: number[]; values: number[] }
interface Step { loss: number; total: number; lr: number; masks: SavedTensor[] }
interface Fixture {
  sizes: { vocab: number; embed: number; hidden: number; classes: number };
  lstmDropout: number;
  dropout: number;
  lr: number;
  maxNorm: number;
  plateau: { patience: number; factor: number; threshold: number };
  initial: Record<string, SavedTensor>;
  tokens: number[][];
  labels: number[];
  steps: Step[];
}
const fx = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'lstm_porting.json'), 'utf8')) as Fixture;
const saved = (s: SavedTensor): torch.Tensor => torch.tensor(s.values, { dtype: 'float64' }).reshape(s.shape);

class Classifier extends nn.Module {
  embedding = new nn.Embedding(fx.sizes.vocab, fx.sizes.embed);
  lstm = new nn.LSTM(fx.sizes.embed, fx.sizes.hidden, { numLayers: 2, dropout: fx.lstmDropout, batchFirst: true });
  norm = new nn.LayerNorm(fx.sizes.hidden);
  dropout = new nn.Dropout(fx.dropout);
  fc = new nn.Linear(fx.sizes.hidden, fx.sizes.classes);
  forward(tokens: torch.Tensor): torch.Tensor {
    const [out] = this.lstm.forward(this.embedding.forward(tokens));
    const last = out.narrow(1, out.shape[1] - 1, 1).squeeze(1);
    return this.fc.forward(this.dropout.forward(this.norm.forward(last)));
  }
}

describeBackends('an Embedding + LSTM classifier training script, reproduced', () => {
  beforeEach(() => { recorded.masks.length = 0; });

  it('gives PyTorch\'s losses, total norms and lrs for 20 steps in float64', () => {
    const model = new Classifier().double();
    model.loadStateDict(Object.fromEntries(Object.entries(fx.initial).map(([k, v]) => [k, saved(v)])));
    const tokens = torch.tensor(fx.tokens, { dtype: 'int32' });
    const labels = torch.tensor(fx.labels, { dtype: 'int32' });
    const criterion = new nn.CrossEntropyLoss();
    const optimizer = new optim.Adam(model.parameters(), { lr: fx.lr });
    const scheduler = new optim.lrScheduler.ReduceLROnPlateau(optimizer, fx.plateau);
    model.train();
    const losses: number[] = [];
    const totals: number[] = [];
    const lrs: number[] = [];
    for (const step of fx.steps) {
      recorded.masks.push({ p: fx.lstmDropout, mask: saved(step.masks[0]) }, { p: fx.dropout, mask: saved(step.masks[1]) });
      optimizer.zeroGrad();
      const loss = criterion.forward(model.forward(tokens), labels);
      loss.backward();
      expect(recorded.masks).toHaveLength(0);
      totals.push(nn.utils.clipGradNorm_(model.parameters(), fx.maxNorm).item());
      optimizer.step();
      scheduler.step(loss.item());
      losses.push(loss.item());
      lrs.push(optimizer.paramGroups[0].lr);
    }
    expect(losses).toHaveLength(fx.steps.length);
    expectClose(losses, fx.steps.map((s) => s.loss), 1e-13, 0);
    expectClose(totals, fx.steps.map((s) => s.total), 1e-13, 0);
    expectClose(lrs, fx.steps.map((s) => s.lr), 1e-15, 0);
  });
});
