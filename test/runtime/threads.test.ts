/** BLAS threads: OPENBLAS_NUM_THREADS is honoured at load; setNumThreads changes it. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

function run(code: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

describe('BLAS threads', () => {
  it('honours OPENBLAS_NUM_THREADS and setNumThreads', () => {
    const code = "const t = require('torchlet'); const a = t.getNumThreads(); t.setNumThreads(2); console.log(a, t.getNumThreads())";
    expect(run(code, { OPENBLAS_NUM_THREADS: '1' })).toBe('1 2');
  });

  it('rejects a bad thread count with a clear error', () => {
    expect(() => run("require('torchlet').setNumThreads(0)", {})).toThrow(/setNumThreads: expected a positive integer, got 0/);
  });

  it('is 1 on the js backend', () => {
    expect(run("console.log(require('torchlet').getNumThreads())", { TORCHLET_BACKEND: 'js' })).toBe('1');
  });
});
