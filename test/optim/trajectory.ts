/**
 * The least-squares problem the optimizer fixtures (make_optim_fixtures.py,
 * make_porting_fixtures.py) record PyTorch's trajectories on, replayed here.
 */
import { expect } from 'vitest';
import * as torch from '../../lib';
import type { DType } from '../../lib/dtype';
import { expectClose } from '../helpers';

interface SavedTensor { shape: number[]; values: number[] }

/** The problem: parameters W, b and `unused` (which never gets a gradient), data x, y. */
export interface Problem { W: number[][]; b: number[]; unused: number[]; x: number[][]; y: number[][]; steps: number }

/** What a fixture recorded after each step. */
export interface Trajectory { dtype: DType; losses: number[]; trajectory: { W: SavedTensor; b: SavedTensor }[] }

/** The parameters by name. */
export type Named = Record<'W' | 'b' | 'unused', torch.Tensor>;

/**
 * Runs `problem.steps` steps of ((x·Wᵀ + b − y)²).mean() with the optimizer
 * `make` builds, checking the loss and parameters after each against `c`
 * and that `unused` stayed as it was; returns the optimizer.
 */
export function replay<O extends { zeroGrad(): void; step(): unknown }>(problem: Problem, c: Trajectory, make: (named: Named) => O,
  [rtol, atol]: [number, number]): O {
  const dtype = c.dtype;
  const W = torch.tensor(problem.W, { dtype, requiresGrad: true });
  const b = torch.tensor(problem.b, { dtype, requiresGrad: true });
  const unused = torch.tensor(problem.unused, { dtype, requiresGrad: true });
  const x = torch.tensor(problem.x, { dtype });
  const y = torch.tensor(problem.y, { dtype });
  const opt = make({ W, b, unused });
  for (let step = 0; step < problem.steps; step++) {
    opt.zeroGrad();
    const loss = x.matmul(W.t()).add(b).sub(y).pow(2).mean();
    loss.backward();
    opt.step();
    expectClose([loss.item()], [c.losses[step]], rtol, atol);
    expectClose(W.toArray(), c.trajectory[step].W.values, rtol, atol);
    expectClose(b.toArray(), c.trajectory[step].b.values, rtol, atol);
  }
  // The param without a grad was skipped: unchanged.
  expect(unused.toArray()).toEqual(problem.unused.map((v) => (dtype === 'float32' ? Math.fround(v) : v)));
  return opt;
}
