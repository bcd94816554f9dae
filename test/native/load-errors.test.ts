// What the loader says when the addon does not load, per situation: each is
// simulated through the loader's decision logic (backend/load-errors.ts,
// backend/platforms.ts), and once end to end through a copy of the package
// installed without its platform package.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { diagnose, loadErrorMessage, missingGlibc, readLockfileEvidence, type LoadFailure } from '../../lib/backend/load-errors';
import { PLATFORM_PACKAGES, platformPackageFor, type HostFacts } from '../../lib/backend/platforms';

const root = path.resolve(__dirname, '..', '..');
const linuxX64: HostFacts = { platform: 'linux', arch: 'x64', libc: { family: 'glibc', version: '2.31' } };
const gnuX64 = PLATFORM_PACKAGES.find((p) => p.name === '@torchlet/linux-x64-gnu')!;
const tmp = mkdtempSync(path.join(tmpdir(), 'torchlet-load-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function message(failure: LoadFailure, host: HostFacts = linuxX64): string {
  return loadErrorMessage(failure, host, ['/tried/one'], undefined);
}

/** A project with torchlet in node_modules and, when given, a package-lock.json with these package keys. */
function project(name: string, lockPackages: string[] | null): string {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'node_modules', 'torchlet'), { recursive: true });
  if (lockPackages) {
    const packages = Object.fromEntries(['', ...lockPackages].map((k) => [k, {}]));
    writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
  }
  return path.join(dir, 'node_modules', 'torchlet');
}

describe('the platform package for a host', () => {
  it('matches os, cpu and libc', () => {
    const pick = (platform: string, arch: string, family?: 'glibc' | 'musl') =>
      platformPackageFor({ platform, arch, libc: family ? { family, version: null } : null })?.name;
    expect(pick('linux', 'x64', 'glibc')).toBe('@torchlet/linux-x64-gnu');
    expect(pick('linux', 'x64', 'musl')).toBe('@torchlet/linux-x64-musl');
    expect(pick('linux', 'arm64', 'glibc')).toBe('@torchlet/linux-arm64-gnu');
    expect(pick('linux', 'arm64', 'musl')).toBeUndefined();
    expect(pick('darwin', 'arm64')).toBe('@torchlet/darwin-arm64');
    expect(pick('darwin', 'x64')).toBe('@torchlet/darwin-x64');
    expect(pick('win32', 'x64')).toBe('@torchlet/win32-x64-msvc');
    expect(pick('win32', 'arm64')).toBeUndefined();
    expect(pick('freebsd', 'x64')).toBeUndefined();
  });
});

describe('load error messages', () => {
  it('no package for this platform: names the host, lists the platforms, says how to build from source', () => {
    const msg = message({ kind: 'unsupported' }, { platform: 'linux', arch: 'riscv64', libc: { family: 'glibc', version: '2.36' } });
    expect(msg).toMatch(/torchlet has no prebuilt binary for linux-riscv64 \(glibc 2\.36\)/);
    for (const p of PLATFORM_PACKAGES) expect(msg).toContain(p.name);
    expect(msg).toMatch(/apt-get install -y g\+\+ make python3 pkg-config libopenblas-dev/);
    expect(msg).toContain('npm explore torchlet -- npm run build:addon');
    expect(msg).toMatch(/TORCHLET_BACKEND=js/);
    expect(msg).toContain('/tried/one');
  });

  it('optional dependency skipped (--omit=optional): the lockfile lists it, so says to include optional dependencies', () => {
    const lockfile = readLockfileEvidence(project('omitted', ['node_modules/torchlet', 'node_modules/@torchlet/linux-x64-gnu']), gnuX64);
    expect(lockfile).toMatchObject({ listsPackage: true });
    const msg = message({ kind: 'not-installed', pkg: gnuX64, version: '0.1.0', lockfile });
    expect(msg).toMatch(/optional dependency @torchlet\/linux-x64-gnu, and it is not installed/);
    expect(msg).toMatch(/package-lock\.json lists it, so npm skipped it/);
    expect(msg).toMatch(/--omit=optional/);
    expect(msg).toMatch(/fix: npm install --include=optional/);
  });

  it('lockfile from another platform: it lacks the package, so says to install it or regenerate the lockfile', () => {
    const lockfile = readLockfileEvidence(project('other-platform', ['node_modules/torchlet', 'node_modules/@torchlet/darwin-arm64']), gnuX64);
    expect(lockfile).toMatchObject({ listsPackage: false });
    const msg = message({ kind: 'not-installed', pkg: gnuX64, version: '0.1.0', lockfile });
    expect(msg).toMatch(/has no entry for it: the lockfile was made on another platform/);
    expect(msg).toMatch(/npm\/cli#4828/);
    expect(msg).toMatch(/fix: npm install @torchlet\/linux-x64-gnu@0\.1\.0, or delete package-lock\.json and node_modules/);
  });

  it('not installed and no lockfile (a checkout, another package manager): names both causes', () => {
    expect(readLockfileEvidence(project('no-lock', null), gnuX64)).toBeNull();
    expect(readLockfileEvidence(root, gnuX64)).toBeNull(); // a checkout is not inside node_modules
    const msg = message({ kind: 'not-installed', pkg: gnuX64, version: '0.1.0', lockfile: null });
    expect(msg).toMatch(/--omit=optional/);
    expect(msg).toMatch(/made on another platform/);
    expect(msg).toMatch(/fix: npm install --include=optional, or npm install @torchlet\/linux-x64-gnu@0\.1\.0/);
  });

  it('glibc too old: says which version the binary needs and which this system has', () => {
    const file = '/app/node_modules/@torchlet/linux-x64-gnu/torchlet.node';
    const error =
      `/lib/x86_64-linux-gnu/libc.so.6: version \`GLIBC_2.32' not found (required by ${file})\n` +
      `/lib/x86_64-linux-gnu/libc.so.6: version \`GLIBC_2.34' not found (required by ${file})`;
    expect(missingGlibc(error)).toBe('2.34');
    expect(missingGlibc('libfoo.so: cannot open shared object file')).toBeNull();
    const msg = message({ kind: 'load-failed', file, error });
    expect(msg).toContain(`${file} needs glibc 2.34 or newer; this system has glibc 2.31.`);
    expect(msg).toMatch(/fix: a distribution with glibc ≥ 2\.34, or build from source/);
    expect(msg).toContain('GLIBC_2.34'); // the loader's own words too
  });

  it('another load failure passes the dynamic loader message on', () => {
    const msg = message({ kind: 'load-failed', file: '/x/torchlet.node', error: 'invalid ELF header' });
    expect(msg).toMatch(/\/x\/torchlet\.node did not load: invalid ELF header/);
  });

  it('macOS: the source build uses Accelerate (no OpenBLAS) and needs the Xcode command line tools', () => {
    const mac: HostFacts = { platform: 'darwin', arch: 'arm64', libc: null };
    const pkg = platformPackageFor(mac)!;
    const msg = message({ kind: 'not-installed', pkg, version: '0.1.0', lockfile: null }, mac);
    expect(msg).toMatch(/prebuilt binary for darwin-arm64 is the optional dependency @torchlet\/darwin-arm64/);
    expect(msg).toMatch(/Apple's Accelerate framework \(no OpenBLAS needed\)/);
    expect(msg).toMatch(/xcode-select --install/);
    expect(msg).not.toMatch(/apt-get/);
  });

  it('Windows: the source build needs an OpenBLAS tree in TORCHLET_OPENBLAS_DIR', () => {
    const lines = diagnose({ kind: 'unsupported' }, { platform: 'win32', arch: 'arm64', libc: null });
    expect(lines[0]).toBe('torchlet has no prebuilt binary for win32-arm64.');
    expect(message({ kind: 'unsupported' }, { platform: 'win32', arch: 'arm64', libc: null })).toMatch(/TORCHLET_OPENBLAS_DIR/);
  });
});

describe('the loader, end to end', () => {
  it.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('installed without its platform package (--omit=optional), require() throws the diagnosis', () => {
    // A project whose lockfile lists this host's platform package, which is absent.
    const pkgRoot = project('e2e', ['node_modules/torchlet', 'node_modules/@torchlet/linux-x64-gnu']);
    for (const f of ['package.json', 'dist']) cpSync(path.join(root, f), path.join(pkgRoot, f), { recursive: true });
    for (const dep of ['node-gyp-build', 'protobufjs']) symlinkSync(path.join(root, 'node_modules', dep), path.join(pkgRoot, '..', dep), 'dir');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ['TORCHLET_BACKEND', 'TORCHLET_ADDON_PATH', 'TORCHLET_PREBUILD']) delete env[k];
    const r = spawnSync(process.execPath, ['-e', "require('torchlet').tensor([1]).add(1)"], { cwd: path.dirname(path.dirname(pkgRoot)), encoding: 'utf8', env });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cannot load the native backend: the prebuilt binary for linux-x64 \(glibc [\d.]+\) is the optional dependency @torchlet\/linux-x64-gnu/);
    expect(r.stderr).toMatch(/package-lock\.json lists it, so npm skipped it/);
    expect(r.stderr).toMatch(/build[/\\]Release[/\\]torchlet\.node/); // the paths tried
    expect(r.stderr).toContain('@torchlet/linux-x64-gnu/torchlet.node');
  });
});
