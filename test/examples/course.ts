/**
 * Loads the course examples (plain ES modules in examples/course/) for the
 * tests, and runs a suite once per backend on the torchlet instance the
 * examples themselves import ('torchlet', i.e. dist/: `npm test` builds it).
 */
import { describe, beforeAll, afterAll } from 'vitest';
import { createRequire } from 'node:module';

type Options = Record<string, unknown>;
/** A lesson: `run(options)` trains and returns its metrics. */
export interface Lesson<R> {
  run(options?: Options): R & { summary: string; charts: unknown[] };
}
export interface Course {
  torch: { setBackend(name: string): void; getBackend(): string };
  linearRegression: Lesson<{ costAt4: number; wHand: number; wAutograd: number; wSGD: number }>;
  multivariableRegression: Lesson<{ finalCost: number; prediction: number[] }>;
  logisticRegression: Lesson<{ accuracy: number; finalCost: number; W: number[]; b: number }>;
  softmaxIris: Lesson<{ trainAccuracy: number; testAccuracy: number; finalLoss: number }>;
  xor: Lesson<{ perceptron: { correct: number; outputs: number[] }; mlp: { correct: number; outputs: number[] } }>;
  mlpRegression: Lesson<{ linearMSE: number; mlpMSE: number }>;
  mlpRadial: Lesson<{ linearAccuracy: number; mlpAccuracy: number }>;
  mnistMlp: Lesson<{ testAccuracy: number; trainAccuracy: number; epochs: { epoch: number; loss: number; testAccuracy: number }[] }>;
  mnistCnn: Lesson<{ testAccuracy: number; mlpAccuracy: number | null; official: boolean; finalLoss: number; mistakes: number; epochs: { epoch: number; loss: number; testAccuracy?: number }[] }>;
  namesGru: Lesson<{ testAccuracy: number; baselineAccuracy: number; majorityAccuracy: number; finalLoss: number; gradNorms: number[]; readings: Record<string, number[]> }>;
  forecastLstm: Lesson<{ testRmse: number; lastValueRmse: number; seasonalRmse: number; finalLoss: number; forecast: number[] }>;
}

/**
 * The course module (examples/course/index.mjs), loaded by Node itself
 * (require of an ES module, Node ≥ 20.19) rather than through vitest's module
 * runner: under Vite's CommonJS interop, dist/index.mjs's
 * `import torch from './index.js'` yields the CJS `exports.default` (undefined
 * members), so 'torchlet' imported inside vitest has no functions.
 */
export function loadCourse(): Course {
  return createRequire(__filename)('../../examples/course/index.mjs') as Course;
}

export const BACKENDS = ['native', 'js'] as const;

/** Declares `body` once per backend, switching the examples' torchlet backend around it. */
export function describeBackends(name: string, body: (course: () => Course, backend: string) => void): void {
  for (const backend of BACKENDS) {
    describe(`${name} [${backend}]`, () => {
      let course: Course;
      let previous: string;
      beforeAll(() => {
        course = loadCourse();
        previous = course.torch.getBackend();
        course.torch.setBackend(backend);
      });
      afterAll(() => course.torch.setBackend(previous));
      body(() => course, backend);
    });
  }
}

/** `run` on the js backend (the suite's), then on the native one, the suite's backend restored: both results, to compare. */
export function jsAndNative<R>(course: Course, run: (course: Course) => R): { js: R; native: R } {
  const js = run(course);
  const previous = course.torch.getBackend();
  course.torch.setBackend('native');
  try {
    return { js, native: run(course) };
  } finally {
    course.torch.setBackend(previous);
  }
}
