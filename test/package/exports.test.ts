/** The built package loads with both `require` and `import`, by its own name. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

function node(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout.trim();
}

describe('package entry points', () => {
  it('dist/ has been built with type declarations (npm test builds it first)', () => {
    for (const f of ['index.js', 'index.mjs', 'index.d.ts', 'index.d.mts']) {
      expect(existsSync(path.join(root, 'dist', f)), `dist/${f}`).toBe(true);
    }
  });

  it('require("torchlet") works', () => {
    const out = node(['-e', "const t = require('torchlet'); console.log(t.tensor([1, 2]).add(1).toArray().join(','), t.getBackend())"]);
    expect(out).toBe('2,3 native');
  });

  it('import from "torchlet" works, named and default, sharing one instance with require', () => {
    const src = [
      "import * as torch from 'torchlet';",
      "import def, { tensor } from 'torchlet';",
      "import { createRequire } from 'node:module';",
      "const cjs = createRequire(import.meta.url)('torchlet');",
      "console.log(tensor([3]).mul(2).item(), def.Tensor === cjs.Tensor, torch.Tensor === cjs.Tensor, typeof torch.autograd.gradcheck);",
    ].join('\n');
    expect(node(['--input-type=module', '-e', src])).toBe('6 true true function');
  });

  it('TORCHLET_BACKEND=js selects the pure-TypeScript backend', () => {
    expect(node(['-e', "console.log(require('torchlet').getBackend())"], { TORCHLET_BACKEND: 'js' })).toBe('js');
  });

  it('an unknown TORCHLET_BACKEND is a clear error', () => {
    const r = spawnSync(process.execPath, ['-e', "require('torchlet').tensor([1]).add(1)"], {
      cwd: root, encoding: 'utf8', env: { ...process.env, TORCHLET_BACKEND: 'gpu' },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/TORCHLET_BACKEND: unknown backend "gpu"; expected 'native' or 'js'/);
  });
});
