/** emptyCache(): free allocator memory goes back to the OS (glibc), a no-op elsewhere. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

function run(code: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', code], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

describe('emptyCache', () => {
  it.runIf(process.platform === 'linux')('returns the memory of collected tensors to the OS on the native backend', () => {
    // 64 tensors of 1 MB, dropped and collected: glibc keeps the memory (torchlet's
    // trim threshold is 128 MB) until emptyCache() trims it.
    const code = `
      const t = require('torchlet');
      let keep = Array.from({ length: 64 }, () => t.ones([262144]));
      keep = null;
      global.gc();
      setTimeout(() => {
        global.gc();
        const before = process.memoryUsage().rss;
        const released = t.emptyCache();
        const after = process.memoryUsage().rss;
        console.log(JSON.stringify({ released, dropMB: (before - after) / 2 ** 20 }));
      }, 200);`;
    const r = JSON.parse(run(code)) as { released: boolean; dropMB: number };
    expect(r.released).toBe(true);
    expect(r.dropMB).toBeGreaterThan(20);
  });

  it('is false on the js backend', () => {
    expect(run("console.log(require('torchlet').emptyCache())", { TORCHLET_BACKEND: 'js' })).toBe('false');
  });
});
