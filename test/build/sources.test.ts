// Drift check: CMakeLists.txt (cmake-js) and binding.gyp (node-gyp) build the
// same sources, both read from native/sources.json, which lists exactly the
// .cc files under native/: { common, avx2, avx512 }, the ISA lists compiled
// with the same instruction-set flags by both build files.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { cmakeCode, parseGyp, read, root } from './gyp';

const ISA_FLAGS: Record<string, string[]> = {
  avx2: ['-mavx2', '-mfma'],
  avx512: ['-mavx512f', '-mavx512dq', '-mavx512vl', '-mfma', '-mprefer-vector-width=512'],
};
const MSVC_FLAGS: Record<string, string> = { avx2: '/arch:AVX2', avx512: '/arch:AVX512' };

function ccFilesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? ccFilesUnder(`${dir}/${e.name}`) : e.name.endsWith('.cc') ? [`${dir}/${e.name}`] : []);
}

describe('native source list', () => {
  const lists: Record<string, string[]> = JSON.parse(read('native/sources.json'));
  const all = Object.values(lists).flat();

  it('native/sources.json lists exactly the .cc files under native/, each once', () => {
    expect(Object.keys(lists).sort()).toEqual(['avx2', 'avx512', 'common']);
    expect([...all].sort()).toEqual(ccFilesUnder('native').sort());
    expect(new Set(all).size).toBe(all.length);
    expect(lists.avx2).toEqual(['native/simd/avx2.cc']);
    expect(lists.avx512).toEqual(['native/simd/avx512.cc']);
  });

  it('binding.gyp builds target torchlet from the common list, each ISA list in its own static library', () => {
    const gyp = parseGyp(read('binding.gyp'));
    const target = gyp.targets.find((t) => t.target_name === 'torchlet');
    expect(target, 'target torchlet').toBeDefined();
    const src = target!.sources as string[];
    // no source file listed by hand next to the shared list
    expect(src.filter((s) => /\.(cc|cpp|c)$/.test(s))).toEqual([]);
    expect(src.some((s) => /require\('\.\/native\/sources\.json'\)\.common\.join\(' '\)/.test(s))).toBe(true);
    expect(target!.dependencies).toEqual(['torchlet_avx2', 'torchlet_avx512']);
    for (const isa of ['avx2', 'avx512']) {
      const lib = gyp.targets.find((t) => t.target_name === `torchlet_${isa}`);
      expect(lib, `target torchlet_${isa}`).toBeDefined();
      expect(lib!.type).toBe('static_library');
      const s = lib!.sources as string[];
      expect(s.filter((x) => /\.(cc|cpp|c)$/.test(x))).toEqual([]);
      expect(s.some((x) => new RegExp(`require\\('\\./native/sources\\.json'\\)\\.${isa}\\.join\\(' '\\)`).test(x))).toBe(true);
      const text = JSON.stringify(lib);
      expect(text).toContain(JSON.stringify(ISA_FLAGS[isa]).slice(1, -1));
      expect(text).toContain(MSVC_FLAGS[isa]);
    }
  });

  it('CMakeLists.txt reads native/sources.json, lists no sources by hand, and gives the ISA lists the same flags', () => {
    const cmake = read('CMakeLists.txt');
    expect(cmake).toMatch(/native\/sources\.json/);
    expect(cmake).toMatch(/string\(JSON/);
    const code = cmakeCode();
    expect(code).not.toMatch(/\.cc\b/);
    expect(code).not.toMatch(/file\s*\(\s*GLOB/i);
    expect(code).toMatch(/add_library\(\s*torchlet\s+SHARED\s+\$\{TORCHLET_SOURCES\}/);
    for (const isa of ['common', 'avx2', 'avx512']) expect(code).toMatch(new RegExp(`torchlet_source_list\\(${isa}\\b`));
    for (const isa of ['avx2', 'avx512']) {
      expect(code).toContain(`"${ISA_FLAGS[isa].join(';')}"`);
      expect(code).toContain(`"${MSVC_FLAGS[isa]}"`);
    }
  });
});
