// Drift check: binding.gyp (node-gyp) and CMakeLists.txt (cmake-js) compile
// every source, the SIMD builds included, with the same code-generation flags
// (-O, -f...); the ISA libraries of binding.gyp add only their instruction sets.
import { describe, expect, it } from 'vitest';
import { cmakeCode, parseGyp, read, type GypTarget } from './gyp';

const ISA_FLAGS: Record<string, string[]> = {
  avx2: ['-mavx2', '-mfma'],
  avx512: ['-mavx512f', '-mavx512dq', '-mavx512vl', '-mfma', '-mprefer-vector-width=512'],
};

type Platform = { OS: string; target_arch: string };
const LINUX: Platform = { OS: 'linux', target_arch: 'x64' };
const MAC: Platform = { OS: 'mac', target_arch: 'x64' };

/** gyp's condition language: == != and or, over OS and target_arch. */
function holds(cond: string, p: Platform): boolean {
  const js = cond.replace(/\band\b/g, '&&').replace(/\bor\b/g, '||').replace(/\bnot\b/g, '!');
  return new Function('OS', 'target_arch', `return (${js});`)(p.OS, p.target_arch) as boolean;
}

/** The dicts that apply on `p`: the dict itself, then its conditions' branches. */
function applying(dict: Record<string, unknown> | undefined, p: Platform): Record<string, unknown>[] {
  if (!dict) return [];
  const out = [dict];
  for (const c of (dict.conditions ?? []) as Array<[string, Record<string, unknown>, Record<string, unknown>?]>) {
    const branch = holds(c[0], p) ? c[1] : c[2];
    out.push(...applying(branch, p));
  }
  return out;
}

/** A target's C++ flags on `p` as gyp merges them: target_defaults, then the target; minus the "!" lists. */
function gypFlags(defaults: Record<string, unknown> | undefined, target: GypTarget, p: Platform): string[] {
  const dicts = [...applying(defaults, p), ...applying(target, p)];
  if (p.OS === 'mac') {
    return dicts.flatMap((d) => ((d.xcode_settings as Record<string, string[]>)?.OTHER_CPLUSPLUSFLAGS ?? []));
  }
  const removed = new Set(dicts.flatMap((d) => (d['cflags_cc!'] ?? []) as string[]));
  return dicts.flatMap((d) => (d.cflags_cc ?? []) as string[]).filter((f) => !removed.has(f));
}

/** Flags that change the generated code (not includes, warnings, visibility or PIC, which CMake sets by property). */
const codegen = (flags: string[]) =>
  [...new Set(flags.filter((f) => /^-(O\d?|f[\w-]+(=\S+)?)$/.test(f) && !/^-f(PIC|pic|visibility)/.test(f)))].sort();

/** CMake's flags for the addon's sources (all of them, the ISA lists included), under if(NOT MSVC). */
function cmakeFlags(): string[] | undefined {
  const m = /if\(NOT MSVC\)\s*target_compile_options\(torchlet PRIVATE ([^)$]*)\)/.exec(cmakeCode());
  return m?.[1].trim().split(/\s+/);
}

describe('build flags', () => {
  const gyp = parseGyp(read('binding.gyp'));
  const target = (name: string) => {
    const t = gyp.targets.find((x) => x.target_name === name);
    expect(t, `target ${name}`).toBeDefined();
    return t!;
  };
  const main = target('torchlet');

  it('CMakeLists.txt compiles the addon with some code-generation flags, -fno-math-errno among them', () => {
    const flags = cmakeFlags();
    expect(flags, 'target_compile_options(torchlet PRIVATE ...) under if(NOT MSVC)').toBeDefined();
    expect(codegen(flags!)).toContain('-fno-math-errno');
  });

  for (const isa of Object.keys(ISA_FLAGS)) {
    it(`binding.gyp compiles torchlet_${isa} with CMake's flags plus its instruction sets, on Linux and macOS`, () => {
      const cmake = codegen(cmakeFlags() ?? []);
      const lib = target(`torchlet_${isa}`);
      const linux = gypFlags(gyp.target_defaults, lib, LINUX);
      expect(codegen(linux)).toEqual(cmake);
      expect(codegen(gypFlags(gyp.target_defaults, main, LINUX))).toEqual(cmake);
      // what the library adds to the main target's flags is its instruction set, nothing else
      const mainLinux = new Set(gypFlags(gyp.target_defaults, main, LINUX));
      expect(linux.filter((f) => !mainLinux.has(f))).toEqual(ISA_FLAGS[isa]);
      const mac = gypFlags(gyp.target_defaults, lib, MAC);
      const mainMac = new Set(gypFlags(gyp.target_defaults, main, MAC));
      expect(mac.filter((f) => !mainMac.has(f))).toEqual(ISA_FLAGS[isa]);
      expect(codegen(mac)).toEqual(codegen([...mainMac]));
      expect(codegen(mac)).toContain('-fno-math-errno');
    });
  }
});
