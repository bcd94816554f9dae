/**
 * torchlet.info() and `npx torchlet doctor`: the runtime report users paste
 * into bug reports. The doctor tests run the built package (npm test builds
 * dist/ first) in child processes.
 */
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { info, addonSource, parseBlasConfig } from '../../lib/runtime/info';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'torchlet.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root) {
  const full: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete full[k];
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: full, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('info()', () => {
  it('describes the native backend, the addon, BLAS, SIMD, Node and the platform', () => {
    const i = info();
    expect(i.backend).toBe('native');
    expect(i.backendError).toBeNull();
    expect(i.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(i.packageRoot).toBe(root);

    expect(i.addon.loaded).toBe(true);
    expect(i.addon.error).toBeNull();
    expect(i.addon.path).toMatch(/\.node$/);
    expect(existsSync(i.addon.path!)).toBe(true);
    expect(i.addon.source).toBe(addonSource(i.addon.path!));
    expect(['source', 'prebuilt']).toContain(i.addon.source);

    expect(i.blas).not.toBeNull();
    const b = i.blas!;
    expect(b.vendor).toBe('OpenBLAS');
    expect(b.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(b.config).toContain(`OpenBLAS ${b.version}`);
    expect(b.corename).toMatch(/^\w+$/);
    expect(b.config).toContain(b.corename);
    expect(b.linkage).toBe(i.addon.source === 'prebuilt' ? 'static' : 'shared');
    expect(b.numThreads).toBeGreaterThanOrEqual(1);
    expect(i.threads).toBe(b.numThreads);

    // the level dispatched at run time (test/native/simd.test.ts checks it against cpuid and TORCHLET_SIMD)
    expect(['avx512', 'avx2', 'sse2', 'neon', 'scalar']).toContain(i.simd.level);
    expect(i.simd.dispatch).toBe('runtime');
    expect(i.simd.compiler).toMatch(/^(gcc|clang|msvc)/);

    expect(i.node).toBe(process.version);
    expect(i.napi).toBe(process.versions.napi);
    expect(i.platform).toBe(process.platform);
    expect(i.arch).toBe(process.arch);
    if (process.platform === 'linux' && i.libc?.family === 'glibc') expect(i.libc.version).toMatch(/^2\.\d+$/);
    expect(i.cpu.count).toBeGreaterThanOrEqual(1);
    for (const [k, v] of Object.entries(i.env)) expect(process.env[k]).toBe(v);
    // A plain, JSON-able object.
    expect(JSON.parse(JSON.stringify(i))).toEqual(i);
  });

  it('tells prebuilt binaries from source builds by their directory', () => {
    expect(addonSource(path.join(root, 'prebuilds', 'linux-x64', 'torchlet.glibc.node'), root)).toBe('prebuilt');
    expect(addonSource(path.join(root, 'build', 'Release', 'torchlet.node'), root)).toBe('source');
    expect(addonSource(path.join(root, 'build', 'Debug', 'torchlet.node'), root)).toBe('source');
    expect(addonSource('/opt/elsewhere/torchlet.node', root)).toBe('unknown');
    // a platform package installed beside torchlet (npm's flat layout, or pnpm's)
    expect(addonSource('/app/node_modules/@torchlet/linux-x64-gnu/torchlet.node', '/app/node_modules/torchlet')).toBe('prebuilt');
    expect(addonSource('/app/node_modules/@torchlet/darwin-arm64/torchlet.node', '/app/node_modules/torchlet')).toBe('prebuilt');
    expect(addonSource('/app/node_modules/@other/linux-x64-gnu/torchlet.node', '/app/node_modules/torchlet')).toBe('unknown');
  });

  it('reads vendor and version from the BLAS config string', () => {
    expect(parseBlasConfig('OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64')).toEqual({ vendor: 'OpenBLAS', version: '0.3.21' });
    expect(parseBlasConfig('OpenBLAS 0.3.27.dev DYNAMIC_ARCH')).toEqual({ vendor: 'OpenBLAS', version: '0.3.27.dev' });
    expect(parseBlasConfig(null)).toEqual({ vendor: null, version: null });
    expect(parseBlasConfig('something else')).toEqual({ vendor: null, version: null });
  });
});

const FIELDS = ['torchlet', 'backend', 'addon', 'BLAS', 'BLAS config', 'threads', 'SIMD', 'node', 'platform', 'cpu', 'env', 'GEMM check', 'status'];

function field(out: string, name: string): string {
  const m = new RegExp(`^  ${name.replace(' ', '\\s')}\\s+(.*)$`, 'm').exec(out);
  if (!m) throw new Error(`no "${name}" line in:\n${out}`);
  return m[1]!;
}

describe('npx torchlet doctor', () => {
  it('prints every field and a passing 1-second GEMM check on the native backend, exit code 0', () => {
    const r = run([bin, 'doctor'], { TORCHLET_BACKEND: undefined });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const f of FIELDS) field(r.stdout, f);
    expect(field(r.stdout, 'backend')).toBe('native');
    expect(field(r.stdout, 'addon')).toMatch(/torchlet(\.[\w-]+)*\.node \((built from source|prebuilt)\)$/);
    expect(field(r.stdout, 'BLAS')).toMatch(/^OpenBLAS \d+\.\d+\.\d+, core \w+, (shared library|linked statically)$/);
    expect(field(r.stdout, 'BLAS config')).toMatch(/^OpenBLAS /);
    expect(field(r.stdout, 'threads')).toMatch(/^\d+$/);
    expect(field(r.stdout, 'SIMD')).toMatch(/^(avx512|avx2|sse2|neon|scalar) \(/);
    expect(field(r.stdout, 'node')).toBe(`${process.version}, N-API ${process.versions.napi}`);
    expect(field(r.stdout, 'platform')).toMatch(new RegExp(`^${process.platform}-${process.arch}`));
    const gemm = field(r.stdout, 'GEMM check');
    expect(gemm).toMatch(/^sgemm 512×512×512 on native: [\d.]+ GFLOP\/s \(\d+ runs in [\d.]+ s\), result ok/);
    expect(Number(/([\d.]+) GFLOP/.exec(gemm)![1])).toBeGreaterThan(0.5);
    expect(field(r.stdout, 'status')).toBe('OK');
  });

  it('with TORCHLET_BACKEND=js runs the check on the js backend, exit code 0', () => {
    const r = run([bin, 'doctor', '--seconds', '0.3'], { TORCHLET_BACKEND: 'js' });
    expect(r.status).toBe(0);
    expect(field(r.stdout, 'backend')).toBe('js');
    expect(field(r.stdout, 'threads')).toBe('1');
    expect(field(r.stdout, 'env')).toContain('TORCHLET_BACKEND=js');
    expect(field(r.stdout, 'GEMM check')).toMatch(/^sgemm 512×512×512 on js: [\d.]+ GFLOP\/s .*result ok/);
    expect(field(r.stdout, 'status')).toBe('OK');
  });

  it('--json prints the report as JSON', () => {
    const r = run([bin, 'doctor', '--json', '--seconds', '0.2'], { TORCHLET_BACKEND: undefined });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.healthy).toBe(true);
    expect(j.problems).toEqual([]);
    expect(j.info.backend).toBe('native');
    expect(j.info.blas.vendor).toBe('OpenBLAS');
    expect(j.gemm).toMatchObject({ backend: 'native', n: 512, ok: true });
    expect(j.gemm.runs).toBeGreaterThan(0);
  });

  it('rejects unknown commands with exit code 2', () => {
    const r = run([bin, 'frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('--version prints the package version', () => {
    const pkgVersion = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-v']) {
      const r = run([bin, flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${pkgVersion}\n`);
    }
  });

  it('rejects unknown flags, flags of another command and stray arguments with exit code 2 and the usage', () => {
    for (const [args, message] of [
      [['--bogus'], /Unknown option '--bogus'/],
      [['doctor', '--jsn'], /doctor: Unknown option '--jsn'/],
      [['info', '--seconds', '1'], /info: Unknown option '--seconds'/],
      [['doctor', 'now'], /doctor: Unexpected argument 'now'/],
    ] as const) {
      const r = run([bin, ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/usage: torchlet <command>/);
      expect(r.stdout).toBe('');
    }
  });

  describe('when the addon cannot load', () => {
    // A copy of the package without build/ or prebuilds/: nothing to load.
    let dir = '';
    let noAddonBin = '';
    const env = { TORCHLET_BACKEND: undefined, PREBUILDS_ONLY: undefined };
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'torchlet-noaddon-'));
      cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
      cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true });
      cpSync(path.join(root, 'bin'), path.join(dir, 'bin'), { recursive: true });
      symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      noAddonBin = path.join(dir, 'bin', 'torchlet.js');
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('still prints everything else, explains, suggests TORCHLET_BACKEND=js, exit code 1', () => {
      const r = run([noAddonBin, 'doctor', '--seconds', '0.2'], env, dir);
      expect(r.status).toBe(1);
      expect(field(r.stdout, 'backend')).toBe('unavailable (native selected)');
      expect(field(r.stdout, 'addon')).toBe('cannot load');
      expect(field(r.stdout, 'BLAS')).toBe('none (addon not loaded)');
      expect(field(r.stdout, 'node')).toBe(`${process.version}, N-API ${process.versions.napi}`);
      expect(field(r.stdout, 'platform')).toMatch(new RegExp(`^${process.platform}-${process.arch}`));
      expect(field(r.stdout, 'GEMM check')).toBe('skipped (no usable backend)');
      expect(field(r.stdout, 'status')).toBe('PROBLEM');
      expect(r.stdout).toMatch(/problem: the native backend cannot be used:/);
      expect(r.stdout).toMatch(/cannot load the native backend/);
      expect(r.stdout).toMatch(/TORCHLET_BACKEND=js/);
    });

    it('is healthy with TORCHLET_BACKEND=js, noting the addon problem', () => {
      const r = run([noAddonBin, 'doctor', '--seconds', '0.2'], { ...env, TORCHLET_BACKEND: 'js' }, dir);
      expect(r.status).toBe(0);
      expect(field(r.stdout, 'backend')).toBe('js');
      expect(field(r.stdout, 'addon')).toBe('cannot load (not needed: the js backend is selected)');
      expect(field(r.stdout, 'status')).toBe('OK');
      expect(r.stdout).toMatch(/note: the native addon cannot load here/);
    });
  });
});
