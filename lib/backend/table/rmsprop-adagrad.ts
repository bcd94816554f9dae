/**
 * Checks and random-call fixes of the RMSprop and Adagrad step kernels: the
 * state buffers an option needs must be given (the texts are the addon's).
 */
import type { Float } from '../kernels';
import { rangeError, typeError } from './messages';

/** rmspropStep: gradAvg is needed when centered, momentumBuf when momentum > 0. */
export function checkRmspropStep(this: string, _p: Float, _g: Float, _sq: Float, gradAvg: Float | null, buf: Float | null,
  _lr: number, _alpha: number, _eps: number, _wd: number, momentum: number, centered: boolean): void {
  if (centered && gradAvg === null) {
    throw typeError(this, 'gradAvg must be a Float32Array or Float64Array when centered is true (got null)');
  }
  if (momentum > 0 && buf === null) {
    throw typeError(this, 'momentumBuf must be a Float32Array or Float64Array when momentum > 0 (got null)');
  }
}

/** A random rmspropStep call only asks for the state buffers it was given. */
export function fixRmspropDraw(v: Record<string, unknown>): void {
  if (v.gradAvg === null) v.centered = false;
  if (v.momentumBuf === null) v.momentum = 0;
}

/** adagradStep: `step` counts this update, so it is at least 1. */
export function checkAdagradStep(this: string, _p: Float, _g: Float, _sum: Float, step: number): void {
  if (step < 1) throw rangeError(this, 'step must be at least 1 (the count after this update)');
}
