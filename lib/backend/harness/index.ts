/**
 * The backend-comparison harness, driven by the kernel table (in the spirit of
 * ggml's test-backend-ops): malformed calls both backends must reject alike,
 * random valid calls compared between backends, and per-call timing. Used by
 * test/backend, test/native, test/fuzz, scripts/fuzz-native.js and bench/.
 */
export { KERNEL_NAMES, cloneCall, makeRng, randomCall, specOf, type KernelName, type Rng } from './calls';
export { badCalls, type BadCase } from './bad-args';
export { compareCall, compareOutcomes, describeArgs, run, type Outcome } from './compare';
export { timeKernel, type Timing } from './timing';
