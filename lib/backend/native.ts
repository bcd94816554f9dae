/**
 * The native backend: loads the C++ addon (native/, built by cmake-js or
 * node-gyp, or the prebuilt binary of this platform's package) and hands its functions
 * out as a `Kernels` object. The addon functions are used as they are — no JS
 * wrapper per call — so a kernel call costs one N-API call.
 *
 * Threads: OpenBLAS starts its threads when it loads (OPENBLAS_NUM_THREADS,
 * else one per core), and the addon then sets it to one thread per call, so
 * they sit idle; the addon's own pool splits large GEMMs and optimizer steps
 * (native/thread_pool.h). That pool starts at TORCHLET_NUM_THREADS, else
 * OPENBLAS_NUM_THREADS, else the core count; `setNumThreads()` changes it for
 * the calling Node thread.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import type { Kernels } from './kernels';
import { loadErrorMessage, readLockfileEvidence, type LoadFailure } from './load-errors';
import { hostFacts, platformPackageFor, type HostFacts } from './platforms';
import { KERNEL_TABLE, type KernelName } from './table';

/** What the addon exports besides the kernels (for benchmarks and diagnostics). */
export interface BlasInfo {
  /** openblas_get_config(), e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell MAX_THREADS=64". */
  config: string | null;
  /** openblas_get_corename(), the kernel family in use, e.g. "Haswell". */
  corename: string | null;
  /** openblas_get_num_threads() when asked. */
  numThreads: number;
  /** 'static' when OpenBLAS is linked into the addon (prebuilt binaries), 'shared' otherwise (absent in older builds). */
  linkage?: 'static' | 'shared';
  /** The SIMD level the float32 kernels dispatched to at load, e.g. "avx512" (absent in older builds). */
  simd?: string;
  /** The compiler that built the addon, e.g. "gcc 12.2.0" (absent in older builds). */
  compiler?: string;
}

/** The raw addon: every kernel of `Kernels` plus a few extras. */
export interface NativeAddon extends Omit<Kernels, 'name'> {
  readonly name: string;
  /** OpenBLAS build and runtime information. */
  blasInfo(): BlasInfo;
  /** Keeps freed tensor memory (blocks up to 32 MiB) in glibc's heap; false where not glibc. */
  tuneAllocator(): boolean;
  /** Returns free allocator memory to the OS (glibc malloc_trim); false where nothing was released or not glibc. */
  trimAllocator(): boolean;
  /** Plain row-major sgemm, no transposes, alpha 1, beta 0: c[m×n] = a[m×k]·b[k×n]. */
  cblasSgemm(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array): void;
}

/** Every kernel name, in table order. */
const KERNEL_NAMES = Object.keys(KERNEL_TABLE) as KernelName[];

/** The package root: lib/backend/native.ts and dist/backend/native.js both sit two levels down. */
export const packageRoot: string = path.resolve(__dirname, '..', '..');

const localRequire = createRequire(__filename);

interface NodeGypBuild {
  resolve(dir: string): string;
}

let addon: NativeAddon | undefined;
let addonPath: string | undefined;
let kernels: Kernels | undefined;

/** The file loadAddon() loaded in this thread, or undefined before a successful load. */
export function loadedAddonPath(): string | undefined {
  return addonPath;
}

function candidatePaths(root: string): string[] {
  return [
    path.join(root, 'build', 'Release', 'torchlet.node'),
    path.join(root, 'build', 'Debug', 'torchlet.node'),
    path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, '*.node'),
  ];
}

/** torchlet's version from its package.json, or null. */
export function packageVersion(root: string = packageRoot): string | null {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Finds the addon binary: `{ file }`, or `{ failure }` saying why there is
 * none. In order: a source build in build/ (skipped with PREBUILDS_ONLY=1) or
 * a checkout's prebuilds/ (node-gyp-build), then the platform package
 * (backend/platforms.ts) npm installed beside torchlet.
 */
function locateAddon(root: string, tried: string[], host: () => HostFacts): { file: string } | { failure: LoadFailure } {
  try {
    return { file: (localRequire('node-gyp-build') as NodeGypBuild).resolve(root) };
  } catch {
    tried.push(...candidatePaths(root));
  }
  const pkg = platformPackageFor(host());
  if (!pkg) return { failure: { kind: 'unsupported' } };
  try {
    return { file: path.join(path.dirname(localRequire.resolve(`${pkg.name}/package.json`)), 'torchlet.node') };
  } catch {
    tried.push(`${pkg.name}/torchlet.node`);
    return { failure: { kind: 'not-installed', pkg, version: packageVersion(root), lockfile: readLockfileEvidence(root, pkg) } };
  }
}

/**
 * Loads the addon (once per thread) and returns it raw, including the extras
 * (`blasInfo`, `cblasSgemm`). Throws an Error explaining what failed on this
 * machine and what to do (load-errors.ts); there is no silent fallback to the
 * JS backend.
 *
 * `TORCHLET_ADDON_PATH=/abs/path/torchlet.node` loads that file instead of
 * searching (e.g. the sanitizer build of `npm run build:asan`, see
 * scripts/test-asan.sh).
 */
export function loadAddon(): NativeAddon {
  if (addon) return addon;
  const override = process.env.TORCHLET_ADDON_PATH;
  let facts: HostFacts | undefined;
  const host = (): HostFacts => (facts ??= hostFacts());
  const tried: string[] = [];
  const fail = (failure: LoadFailure): Error => new Error(loadErrorMessage(failure, host(), tried, override));
  const found = override ? { file: path.resolve(override) } : locateAddon(packageRoot, tried, host);
  if ('failure' in found) throw fail(found.failure);
  tried.push(found.file);
  let loaded: unknown;
  try {
    loaded = localRequire(found.file);
  } catch (err) {
    throw fail({ kind: 'load-failed', file: found.file, error: message(err) });
  }
  const mod = loaded as Record<string, unknown>;
  const missing = [...KERNEL_NAMES, 'blasInfo', 'cblasSgemm', 'tuneAllocator', 'trimAllocator'].filter((k) => typeof mod[k] !== 'function');
  if (missing.length > 0) throw fail({ kind: 'stale', file: found.file, missing });
  addon = loaded as NativeAddon;
  addonPath = found.file;
  // Fresh large tensors otherwise page-fault in on every op (see native/runtime.cc).
  if (process.env.TORCHLET_MALLOC_TUNING !== '0') addon.tuneAllocator();
  return addon;
}

/** The native `Kernels`: the addon's own functions, bound without wrappers. */
export function loadNativeKernels(): Kernels {
  if (kernels) return kernels;
  const a = loadAddon();
  // fromEntries keeps the object's fast properties (see js/index.ts).
  kernels = Object.freeze(Object.fromEntries([['name', 'native'], ...KERNEL_NAMES.map((name) => [name, a[name]])])) as Kernels;
  return kernels;
}
