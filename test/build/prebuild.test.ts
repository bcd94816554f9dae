/**
 * The prebuilt binary (`npm run prebuilds` → prebuilds/<platform>-<arch>/*.node):
 * OpenBLAS linked in statically with its symbols hidden. Checked only when a
 * prebuild exists — prebuilding (≈ 1–2 minutes) is too slow for `npm test`, and
 * prebuilds/ is not in git. On Linux: `ldd` shows no shared BLAS or gfortran,
 * `nm -D --defined-only` shows only the N-API entry points, and the only
 * unversioned undefined symbols are napi_* (resolved by Node). With
 * PREBUILDS_ONLY=1 the package loads it, info() says so, and XOR trains.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const dir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.node')).map((f) => path.join(dir, f)) : [];
const NAPI_EXPORT = /^(napi_register_module_v\d+|node_api_module_get_api_version_v\d+)$/;

/** Whether any native source is newer than the binary (then it may lack new kernels). */
function stale(file: string): boolean {
  const built = statSync(file).mtimeMs;
  const nativeDir = path.join(root, 'native');
  return readdirSync(nativeDir).some((f) => /\.(cc|h|json)$/.test(f) && statSync(path.join(nativeDir, f)).mtimeMs > built);
}

if (files.length === 0) {
  describe('prebuilt binary', () => {
    it.skip(`skipped: no ${path.relative(root, dir)}/*.node — run \`npm run prebuilds\` to make one (too slow to build inside npm test)`, () => {});
  });
} else {
  describe.each(files.map((f) => [path.relative(root, f), f]))('prebuilt binary %s', (_name, file) => {
    it.skipIf(process.platform !== 'linux')('depends on no shared BLAS or gfortran (ldd)', () => {
      const ldd = execFileSync('ldd', [file], { encoding: 'utf8' });
      expect(ldd).not.toMatch(/libopenblas|libgfortran|libblas|liblapack|libcblas/);
      expect(ldd).toMatch(/libc\.so/);
    });

    it.skipIf(process.platform !== 'linux')('exports only the N-API entry points (nm -D --defined-only)', () => {
      const nm = execFileSync('nm', ['-D', '--defined-only', file], { encoding: 'utf8' });
      const names = nm.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/).pop()!);
      expect(names.filter((n) => !NAPI_EXPORT.test(n))).toEqual([]);
      expect(names).toContain('napi_register_module_v1');
    });

    it.skipIf(process.platform !== 'linux')('leaves nothing but napi_* unresolved (no gfortran or BLAS symbols)', () => {
      const nm = execFileSync('nm', ['-D', '--undefined-only', file], { encoding: 'utf8' });
      const unversioned = nm.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/))
        .filter(([kind, name]) => kind === 'U' && !name!.includes('@')).map(([, name]) => name!);
      expect(unversioned.filter((n) => !/^(napi|node_api)_/.test(n))).toEqual([]);
    });

    it('loads with PREBUILDS_ONLY=1, reports itself as prebuilt with its BLAS linked in, and trains XOR', (ctx) => {
      if (stale(file)) ctx.skip(`${path.relative(root, file)} is older than native/ — run \`npm run prebuilds\` again`);
      const code = [
        "const { info } = require('./dist/runtime/info');",
        "const { trainXor } = require('./test/runtime/fixtures/xor-worker.js');",
        'const i = info();',
        'const r = trainXor(0, 1500);',
        'console.log(JSON.stringify({ addon: i.addon, linkage: i.blas && i.blas.linkage, out: r.out, backend: r.backend }));',
      ].join('\n');
      const env: NodeJS.ProcessEnv = { ...process.env, PREBUILDS_ONLY: '1' };
      delete env.TORCHLET_BACKEND;
      const r = spawnSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.addon).toMatchObject({ loaded: true, source: 'prebuilt', path: file });
      // macOS links the system's Accelerate framework (shared); elsewhere OpenBLAS is linked in.
      expect(j.linkage).toBe(process.platform === 'darwin' ? 'shared' : 'static');
      expect(j.backend).toBe('native');
      expect(j.out.map((p: number) => (p > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    });
  });
}
