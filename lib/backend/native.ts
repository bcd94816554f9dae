/**
 * The native backend: loads the C++ addon (native/, built by cmake-js or
 * node-gyp, or a prebuilt binary) with node-gyp-build and hands its functions
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
import * as path from 'path';
import { createRequire } from 'module';
import type { Kernels } from './kernels';
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
  (dir: string): unknown;
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

function loadError(reason: string, tried: string[]): Error {
  return new Error(
    `torchlet: cannot load the native backend: ${reason}\n` +
      `  tried:\n${tried.map((p) => `    ${p}`).join('\n')}\n` +
      '  ways out:\n' +
      '    - install OpenBLAS (Debian/Ubuntu: sudo apt-get install -y libopenblas-dev; macOS: brew install openblas)\n' +
      '      and rebuild the addon: npm rebuild torchlet (in a checkout: npx node-gyp rebuild or npx cmake-js compile)\n' +
      "    - or use the pure-JS backend: TORCHLET_BACKEND=js, or setBackend('js')\n" +
      '    - TORCHLET_ADDON_PATH=/abs/path/torchlet.node loads that file instead (set now: ' +
      (process.env.TORCHLET_ADDON_PATH ? JSON.stringify(process.env.TORCHLET_ADDON_PATH) : 'no') + ')',
  );
}

/**
 * Loads the addon (once per thread) and returns it raw, including the extras
 * (`blasInfo`, `cblasSgemm`). Throws an Error explaining what failed and how
 * to fix it; there is no silent fallback to the JS backend.
 *
 * `TORCHLET_ADDON_PATH=/abs/path/torchlet.node` loads that file instead of
 * searching build/ and prebuilds/ (e.g. the sanitizer build of
 * `npm run build:asan`, see scripts/test-asan.sh).
 */
export function loadAddon(): NativeAddon {
  if (addon) return addon;
  const root = packageRoot;
  const override = process.env.TORCHLET_ADDON_PATH;
  let tried = override ? [path.resolve(override)] : candidatePaths(root);
  let loaded: unknown;
  try {
    const gypBuild = localRequire('node-gyp-build') as NodeGypBuild;
    const file = override ? path.resolve(override) : gypBuild.resolve(root);
    tried = [file];
    loaded = localRequire(file);
  } catch (err) {
    throw loadError(err instanceof Error ? err.message : String(err), tried);
  }
  const mod = loaded as Record<string, unknown>;
  const missing = [...KERNEL_NAMES, 'blasInfo', 'cblasSgemm', 'tuneAllocator', 'trimAllocator'].filter((k) => typeof mod[k] !== 'function');
  if (missing.length > 0) {
    throw loadError(`the addon is stale or incomplete (missing: ${missing.join(', ')})`, tried);
  }
  addon = loaded as NativeAddon;
  addonPath = tried[0];
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
