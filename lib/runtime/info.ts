/**
 * `info()`: what torchlet is running on — the backend, which addon binary was
 * loaded and where it came from, the BLAS library and the kernels it picked,
 * threads, SIMD, Node / N-API, platform and C library. It is what
 * `npx torchlet doctor` prints and what a bug report should include.
 *
 * `info()` never throws: whatever cannot be found out is null, and a native
 * addon that cannot load is reported in `addon.error`. It loads the addon to
 * describe it even when the js backend is selected (loading starts OpenBLAS's
 * threads, which sit idle: see backend/native.ts).
 */
import * as os from 'os';
import * as path from 'path';
import { getBackend, getNumThreads, type BackendName } from '../backend';
import { loadAddon, loadedAddonPath, packageRoot, packageVersion, type BlasInfo } from '../backend/native';
import { detectLibc, PLATFORM_PACKAGES } from '../backend/platforms';

/** Where the loaded addon binary came from. */
export type AddonSource =
  /** The platform package's torchlet.node (e.g. @torchlet/linux-x64-gnu), or prebuilds/<platform>-<arch>/*.node in a checkout (OpenBLAS linked in statically). */
  | 'prebuilt'
  /** build/Release or build/Debug: compiled on this machine (node-gyp or cmake-js). */
  | 'source'
  /** Somewhere else (a custom location). */
  | 'unknown';

/** The native addon part of `info()`. */
export interface AddonInfo {
  /** Whether the native addon loaded in this thread. */
  loaded: boolean;
  /** The .node file that was loaded, or null. */
  path: string | null;
  /** Prebuilt binary or built from source; null when it did not load. */
  source: AddonSource | null;
  /** Why the addon could not load (the loader's full message), or null. */
  error: string | null;
}

/** The BLAS part of `info()`. */
export interface BlasRuntimeInfo {
  /** The BLAS library, from its config string: 'OpenBLAS', or null when unknown. */
  vendor: string | null;
  /** Its version, e.g. "0.3.21", or null. */
  version: string | null;
  /** openblas_get_config(), e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64". */
  config: string | null;
  /** openblas_get_corename(): the kernel family OpenBLAS picked for this CPU, e.g. "Haswell". */
  corename: string | null;
  /** 'static' (linked into the addon) or 'shared' (the system library); null for an addon that does not say. */
  linkage: 'static' | 'shared' | null;
  /** openblas_get_num_threads(). */
  numThreads: number;
}

/** The SIMD part of `info()`. */
export interface SimdInfo {
  /**
   * The SIMD level torchlet's own float32 kernels (exp, sigmoid, tanh, the
   * fused linear epilogue, softmax and cross-entropy rows) run at: "avx512",
   * "avx2" or "sse2" (the x86-64 baseline), or another architecture's baseline
   * ("neon"); null without the addon. Chosen once when the addon loads, from
   * what the CPU and OS support (cpuid, XGETBV), capped by the environment
   * variable TORCHLET_SIMD=avx512|avx2|sse2|portable ("at most this level").
   */
  level: string | null;
  /** How the kernels pick their code path: at run time, from the CPU (the binary runs on any x86-64 / arm64). */
  dispatch: 'runtime';
  /** The compiler that built the addon, e.g. "gcc 12.2.0", or null. */
  compiler: string | null;
}

/** What `info()` reports: versions, backend, addon, BLAS, threads, SIMD, platform (what `npx torchlet doctor` prints). */
export interface RuntimeInfo {
  /** torchlet's version (package.json) and package directory. */
  version: string | null;
  /** The directory torchlet was loaded from. */
  packageRoot: string;
  /** The active backend, or null when the selected one cannot load. */
  backend: BackendName | null;
  /** Why the active backend could not be selected, or null. */
  backendError: string | null;
  /** Which native binary was looked for and loaded. */
  addon: AddonInfo;
  /** BLAS information from the addon, or null when the addon did not load. */
  blas: BlasRuntimeInfo | null;
  /** Threads the active backend uses for GEMM (1 on the js backend), or null. */
  threads: number | null;
  /** The SIMD level the float32 kernels run at. */
  simd: SimdInfo;
  /** process.version, e.g. "v20.20.2". */
  node: string;
  /** process.versions.napi: the highest N-API version this Node supports. */
  napi: string | null;
  /** `process.platform`, e.g. "linux". */
  platform: NodeJS.Platform;
  /** `process.arch`, e.g. "x64". */
  arch: string;
  /** The C library: 'glibc' with its runtime version on glibc Linux, 'musl' on musl, null elsewhere. */
  libc: {
    /** Which C library. */
    family: 'glibc' | 'musl';
    /** Its version, when known. */
    version: string | null;
  } | null;
  /** The CPU model and the number of logical cores Node sees. */
  cpu: {
    /** The CPU's model name. */
    model: string;
    /** Logical cores. */
    count: number;
  };
  /** The environment variables that change torchlet's behaviour, those that are set. */
  env: Record<string, string>;
}

/** Environment variables worth reporting (the ones that change what runs). */
const ENV_KEYS = [
  'TORCHLET_BACKEND',
  'TORCHLET_MALLOC_TUNING',
  'PREBUILDS_ONLY',
  'OPENBLAS_NUM_THREADS',
  'OPENBLAS_CORETYPE',
  'OPENBLAS_VERBOSE',
  'OPENBLAS_L2_SIZE',
  'OMP_NUM_THREADS',
  'GOTO_NUM_THREADS',
] as const;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** 'prebuilt' for a platform package's binary or prebuilds/, 'source' for build/ (relative to the package root). */
export function addonSource(file: string, root: string = packageRoot): AddonSource {
  const parts = path.resolve(file).split(path.sep);
  const n = parts.length;
  if (n >= 3 && parts[n - 1] === 'torchlet.node' && PLATFORM_PACKAGES.some((p) => `${parts[n - 3]}/${parts[n - 2]}` === p.name)) return 'prebuilt';
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === 'prebuilds') return 'prebuilt';
  if (rel[0] === 'build') return 'source';
  return 'unknown';
}

/** Vendor and version from a BLAS config string ("OpenBLAS 0.3.21 ..."). */
export function parseBlasConfig(config: string | null): { vendor: string | null; version: string | null } {
  if (!config) return { vendor: null, version: null };
  const m = /^\s*(OpenBLAS)\s+v?(\d+(?:\.\d+)*(?:\.dev)?)/i.exec(config);
  if (m) return { vendor: 'OpenBLAS', version: m[2]! };
  return { vendor: /openblas/i.test(config) ? 'OpenBLAS' : null, version: null };
}

function envInfo(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ENV_KEYS) {
    const v = process.env[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

/** What torchlet runs on. Never throws; see RuntimeInfo. */
export function info(): RuntimeInfo {
  let backend: BackendName | null = null;
  let backendError: string | null = null;
  try {
    backend = getBackend();
  } catch (err) {
    backendError = message(err);
  }

  const addon: AddonInfo = { loaded: false, path: null, source: null, error: null };
  let raw: BlasInfo | null = null;
  try {
    const a = loadAddon();
    addon.loaded = true;
    addon.path = loadedAddonPath() ?? null;
    addon.source = addon.path ? addonSource(addon.path) : null;
    raw = a.blasInfo();
  } catch (err) {
    addon.error = message(err);
  }

  let blas: BlasRuntimeInfo | null = null;
  if (raw) {
    blas = {
      ...parseBlasConfig(raw.config),
      config: raw.config,
      corename: raw.corename,
      linkage: raw.linkage ?? null,
      numThreads: raw.numThreads,
    };
  }

  let threads: number | null = null;
  if (backend !== null) {
    try {
      threads = getNumThreads();
    } catch {
      threads = null;
    }
  }

  const cpus = os.cpus();
  return {
    version: packageVersion(packageRoot),
    packageRoot,
    backend,
    backendError,
    addon,
    blas,
    threads,
    simd: { level: raw?.simd ?? null, dispatch: 'runtime', compiler: raw?.compiler ?? null },
    node: process.version,
    napi: process.versions.napi ?? null,
    platform: process.platform,
    arch: process.arch,
    libc: detectLibc(),
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', count: cpus.length },
    env: envInfo(),
  };
}
