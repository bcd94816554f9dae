/**
 * The per-platform npm packages that carry the prebuilt addon. `torchlet`
 * lists them all as optional dependencies; npm installs only the one whose
 * `os`, `cpu` and `libc` fields match, and the loader (backend/native.ts)
 * loads its `torchlet.node`. scripts/platform-packages.js writes each
 * package's package.json from this table, so the names live here once.
 */
import * as fs from 'fs';

/** The C library a Linux binary was built against. */
export type LibcFamily = 'glibc' | 'musl';

/** One platform package. */
export interface PlatformPackage {
  /** npm name, e.g. "@torchlet/linux-x64-gnu". */
  readonly name: string;
  /** `process.platform` it runs on (package.json `os`). */
  readonly os: 'linux' | 'darwin' | 'win32';
  /** `process.arch` it runs on (package.json `cpu`). */
  readonly cpu: 'x64' | 'arm64';
  /** Linux only: the C library (package.json `libc`). */
  readonly libc?: LibcFamily;
  /** Where the binary is built and tested: the CI of this repository, or only the release workflow. */
  readonly builtBy: 'ci' | 'release';
  /** The BLAS the binary uses. */
  readonly blas: string;
  /** Files besides torchlet.node that the package carries (Windows: the OpenBLAS DLL beside the addon). */
  readonly extraFiles?: readonly string[];
}

/** Every platform with a prebuilt binary. */
export const PLATFORM_PACKAGES: readonly PlatformPackage[] = [
  { name: '@torchlet/linux-x64-gnu', os: 'linux', cpu: 'x64', libc: 'glibc', builtBy: 'ci', blas: 'OpenBLAS, linked in statically' },
  { name: '@torchlet/linux-arm64-gnu', os: 'linux', cpu: 'arm64', libc: 'glibc', builtBy: 'ci', blas: 'OpenBLAS, linked in statically' },
  { name: '@torchlet/linux-x64-musl', os: 'linux', cpu: 'x64', libc: 'musl', builtBy: 'release', blas: 'OpenBLAS, linked in statically' },
  { name: '@torchlet/darwin-x64', os: 'darwin', cpu: 'x64', builtBy: 'release', blas: "Apple's Accelerate" },
  { name: '@torchlet/darwin-arm64', os: 'darwin', cpu: 'arm64', builtBy: 'release', blas: "Apple's Accelerate" },
  { name: '@torchlet/win32-x64-msvc', os: 'win32', cpu: 'x64', builtBy: 'release', blas: 'OpenBLAS (torchlet-openblas.dll)', extraFiles: ['torchlet-openblas.dll'] },
];

/** What the loader needs to know about the machine it runs on. */
export interface HostFacts {
  readonly platform: string;
  readonly arch: string;
  /** Linux: the C library and (glibc) its version; null elsewhere or when unknown. */
  readonly libc: { readonly family: LibcFamily; readonly version: string | null } | null;
}

/** The C library of this process: glibc with its version, musl, or null (not Linux, or unknown). */
export function detectLibc(): HostFacts['libc'] {
  if (process.platform !== 'linux') return null;
  try {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    const glibc = report?.header?.glibcVersionRuntime;
    if (glibc) return { family: 'glibc', version: glibc };
  } catch {
    // fall through to the musl check
  }
  try {
    if (fs.readdirSync('/lib').some((f) => f.startsWith('ld-musl-'))) return { family: 'musl', version: null };
  } catch {
    // no /lib
  }
  return null;
}

/** This process's platform, architecture and C library. */
export function hostFacts(): HostFacts {
  return { platform: process.platform, arch: process.arch, libc: detectLibc() };
}

/** "linux-x64 (glibc 2.36)", "darwin-arm64": how messages name a host. */
export function describeHost(host: HostFacts): string {
  const libc = host.libc ? ` (${host.libc.family}${host.libc.version ? ' ' + host.libc.version : ''})` : '';
  return `${host.platform}-${host.arch}${libc}`;
}

/** The platform package for `host`, or undefined when torchlet has no prebuilt binary for it. */
export function platformPackageFor(host: HostFacts): PlatformPackage | undefined {
  return PLATFORM_PACKAGES.find(
    (p) => p.os === host.platform && p.cpu === host.arch && (p.libc === undefined || p.libc === (host.libc?.family ?? 'glibc')),
  );
}
