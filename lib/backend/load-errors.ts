/**
 * What the loader (backend/native.ts) tells a user whose native addon does
 * not load: what went wrong on this machine and what to do about it. The
 * decision is a pure function of the facts the loader gathered
 * (`LoadFailure`), so that each situation — no package for this platform,
 * the platform package skipped at install, glibc too old — is tested by
 * simulating it (test/native/load-errors.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { PLATFORM_PACKAGES, describeHost, type HostFacts, type PlatformPackage } from './platforms';

/** The npm script in torchlet's package.json that builds the addon from source (node-gyp). */
export const SOURCE_BUILD_COMMAND = 'npm explore torchlet -- npm run build:addon';

/** What the project's lockfile says about the platform package (npm's package-lock.json or npm-shrinkwrap.json). */
export interface LockfileEvidence {
  /** The lockfile read. */
  readonly file: string;
  /** Whether it has an entry for the platform package this host needs. */
  readonly listsPackage: boolean;
}

/** Why no addon loaded, as the loader found it. */
export type LoadFailure =
  /** torchlet publishes no binary for this platform. */
  | { readonly kind: 'unsupported' }
  /** The platform package is not installed (`--omit=optional`, a lockfile from another platform). */
  | { readonly kind: 'not-installed'; readonly pkg: PlatformPackage; readonly version: string | null; readonly lockfile: LockfileEvidence | null }
  /** A binary was found but the dynamic loader refused it (`error` is its message). */
  | { readonly kind: 'load-failed'; readonly file: string; readonly error: string }
  /** A binary loaded but lacks kernels this version of the library calls. */
  | { readonly kind: 'stale'; readonly file: string; readonly missing: readonly string[] };

/** The highest GLIBC_x.y symbol version a dynamic-loader message says is missing, or null. */
export function missingGlibc(error: string): string | null {
  const versions = [...error.matchAll(/GLIBC_(\d+)\.(\d+)(?:\.\d+)?'? not found/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
  if (versions.length === 0) return null;
  versions.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  return `${versions[0]![0]}.${versions[0]![1]}`;
}

/** How to build the addon from source on `host`'s platform. */
export function sourceBuildHelp(host: HostFacts): string {
  if (host.platform === 'darwin') {
    return (
      "build from source: on macOS torchlet links Apple's Accelerate framework (no OpenBLAS needed); " +
      `install the Xcode command line tools (xcode-select --install), then run: ${SOURCE_BUILD_COMMAND}`
    );
  }
  if (host.platform === 'win32') {
    return (
      'build from source: Visual Studio 2022 with "C++ Clang tools", Python 3, and an OpenBLAS release unpacked ' +
      `with TORCHLET_OPENBLAS_DIR set to it, then run: ${SOURCE_BUILD_COMMAND}`
    );
  }
  return (
    'build from source: install a C++17 compiler, make, Python 3, pkg-config and OpenBLAS ' +
    '(Debian/Ubuntu: sudo apt-get install -y g++ make python3 pkg-config libopenblas-dev; ' +
    `Alpine: apk add build-base python3 pkgconf openblas-dev), then run: ${SOURCE_BUILD_COMMAND}`
  );
}

function platformList(): string {
  return PLATFORM_PACKAGES.map((p) => `${p.os}-${p.cpu}${p.libc ? ' ' + p.libc : ''} (${p.name})`).join(', ');
}

/** The specific diagnosis and remedy for `failure` on `host`, one or more lines without the common footer. */
export function diagnose(failure: LoadFailure, host: HostFacts): string[] {
  const where = describeHost(host);
  switch (failure.kind) {
    case 'unsupported':
      return [
        `torchlet has no prebuilt binary for ${where}.`,
        `prebuilt binaries exist for: ${platformList()}.`,
      ];
    case 'not-installed': {
      const { pkg, lockfile } = failure;
      const spec = failure.version ? `${pkg.name}@${failure.version}` : pkg.name;
      const lines = [`the prebuilt binary for ${where} is the optional dependency ${pkg.name}, and it is not installed.`];
      if (lockfile?.listsPackage) {
        lines.push(
          `${lockfile.file} lists it, so npm skipped it: optional dependencies were left out ` +
            '(npm install --omit=optional, npm_config_omit=optional, --no-optional), or node_modules was copied from another platform.',
          'fix: npm install --include=optional (in a Dockerfile, run npm ci inside the image rather than copying node_modules in).',
        );
      } else if (lockfile) {
        lines.push(
          `${lockfile.file} has no entry for it: the lockfile was made on another platform by an npm that kept only that platform's ` +
            'optional dependencies (npm/cli#4828).',
          `fix: npm install ${spec}, or delete package-lock.json and node_modules and run npm install again.`,
        );
      } else {
        lines.push(
          'npm skips it when optional dependencies are left out (--omit=optional, --no-optional) or when the lockfile ' +
            "was made on another platform by an npm that kept only that platform's optional dependencies (npm/cli#4828).",
          `fix: npm install --include=optional, or npm install ${spec}.`,
        );
      }
      return lines;
    }
    case 'load-failed': {
      const glibc = missingGlibc(failure.error);
      if (glibc) {
        const have = host.libc?.family === 'glibc' && host.libc.version ? `this system has glibc ${host.libc.version}` : 'this system has an older glibc';
        return [
          `${failure.file} needs glibc ${glibc} or newer; ${have}.`,
          `fix: a distribution with glibc ≥ ${glibc}, or build from source on this machine (below).`,
          `the dynamic loader said: ${failure.error}`,
        ];
      }
      return [`${failure.file} did not load: ${failure.error}`];
    }
    case 'stale':
      return [
        `${failure.file} is stale or incomplete (missing: ${failure.missing.join(', ')}).`,
        'fix: rebuild it (in a checkout: npx node-gyp rebuild, or npx cmake-js compile), or reinstall torchlet so that its platform package matches.',
      ];
  }
}

/** The whole error message: diagnosis, the paths tried, then the ways out that always apply. */
export function loadErrorMessage(failure: LoadFailure, host: HostFacts, tried: readonly string[], override: string | undefined): string {
  return [
    'torchlet: cannot load the native backend: ' + diagnose(failure, host).join('\n  '),
    '  tried:',
    ...tried.map((p) => `    ${p}`),
    '  ways out:',
    `    - ${sourceBuildHelp(host)}`,
    "    - or use the pure-JS backend: TORCHLET_BACKEND=js, or setBackend('js')",
    '    - TORCHLET_ADDON_PATH=/abs/path/torchlet.node loads that file instead (set now: ' +
      (override ? JSON.stringify(override) : 'no') +
      ')',
  ].join('\n');
}

/**
 * What the lockfile of the project that installed torchlet at `packageRoot`
 * (…/node_modules/torchlet) says about `pkg`; null when there is no project
 * lockfile (not installed by npm, or a checkout).
 */
export function readLockfileEvidence(packageRoot: string, pkg: PlatformPackage): LockfileEvidence | null {
  const parent = path.dirname(packageRoot);
  if (path.basename(parent) !== 'node_modules') return null;
  const project = path.dirname(parent);
  for (const name of ['npm-shrinkwrap.json', 'package-lock.json']) {
    const file = path.join(project, name);
    let lock: { packages?: Record<string, unknown> };
    try {
      lock = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof lock;
    } catch {
      continue;
    }
    const packages = lock.packages ?? {};
    return { file, listsPackage: Object.keys(packages).some((k) => k === `node_modules/${pkg.name}` || k.endsWith(`/node_modules/${pkg.name}`)) };
  }
  return null;
}
