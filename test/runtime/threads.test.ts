/**
 * Threads: the pool that splits large GEMMs and optimizer steps starts at
 * TORCHLET_NUM_THREADS, OPENBLAS_NUM_THREADS or the core count; setNumThreads
 * changes it; helpers never keep a process or a worker from ending.
 */
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

  it('prefers TORCHLET_NUM_THREADS, else OPENBLAS_NUM_THREADS', () => {
    const code = "console.log(require('torchlet').getNumThreads())";
    expect(run(code, { TORCHLET_NUM_THREADS: '3', OPENBLAS_NUM_THREADS: '1' })).toBe('3');
    expect(run(code, { TORCHLET_NUM_THREADS: '', OPENBLAS_NUM_THREADS: '2' })).toBe('2');
  });

  it('exits cleanly after split GEMMs in the main thread and in workers that are terminated mid-run', () => {
    const code = `
      const t = require('torchlet');
      const { Worker } = require('node:worker_threads');
      t.setNumThreads(3);
      const a = t.randn([300, 200]), b = t.randn([200, 250]);
      const ref = t.matmul(a, b);
      t.setNumThreads(1);
      const one = t.matmul(a, b);
      if (Math.max(...ref.sub(one).abs().toArray().flat()) > 1e-3) throw new Error('split and single GEMM differ');
      const src = "const t = require('torchlet'); t.setNumThreads(2); const a = t.randn([256, 256]); " +
        "for (;;) t.matmul(a, a);";
      const workers = Array.from({ length: 3 }, () => new Worker(src, { eval: true }));
      setTimeout(() => Promise.all(workers.map((w) => w.terminate())).then(() => console.log('done')), 300);
    `;
    expect(run(code, {})).toBe('done');
  });

  it('rejects a bad thread count with a clear error', () => {
    expect(() => run("require('torchlet').setNumThreads(0)", {})).toThrow(/setNumThreads: expected a positive integer, got 0/);
  });

  it('is 1 on the js backend', () => {
    expect(run("console.log(require('torchlet').getNumThreads())", { TORCHLET_BACKEND: 'js' })).toBe('1');
  });
});
