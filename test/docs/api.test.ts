/**
 * The public API is documented and mapped from PyTorch:
 * - every export of lib/index.ts (namespaces walked into) and every public
 *   member of an exported class or interface has a TSDoc summary, and every
 *   parameter of a public function, method or constructor an `@param`
 *   (TypeDoc's `npm run docs` checks summaries too, with warnings as errors,
 *   but is not run by `npm test`);
 * - the built .d.ts files carry no member marked @internal (stripInternal);
 * - docs/from-pytorch.md names every exported value, every public Tensor,
 *   Module and Optimizer member, and nothing the package lacks.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { publicApi, type ApiItem } from './public-api';

const root = path.resolve(__dirname, '..', '..');
const api = publicApi();

describe('API documentation', () => {
  it('every public export and public member has a TSDoc summary', () => {
    const missing = api.filter((item) => item.undocumented.length > 0).map((item) => `${item.name} (${item.undocumented.join(', ')})`);
    expect(missing, `undocumented:\n${missing.join('\n')}`).toEqual([]);
  });

  it('every parameter of a public function, method and constructor has an @param', () => {
    const missing = api.flatMap((item) => item.undocumentedParams.map((p) => `${item.name}: ${p}`));
    expect(missing, `parameters without @param:\n${missing.join('\n')}`).toEqual([]);
  });

  it('finds the API it checks', () => {
    const names = new Set(api.map((item) => item.name));
    for (const name of ['tensor', 'Tensor#add', 'Tensor#toArray', 'nn.Linear', 'nn.Module#stateDict', 'nn.functional.crossEntropy', 'optim.lrScheduler.StepLR', 'data.DataLoader', 'io.save', 'worker.trainInWorker']) {
      expect(names, name).toContain(name);
    }
    expect(names).not.toContain('Tensor#_grad');
    expect(names).not.toContain('Tensor#_storage');
  });
});

describe('published declarations', () => {
  /** dist/**\/*.d.ts, as [relative path, text]. */
  function declarations(): [string, string][] {
    const out: [string, string][] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (/\.d\.m?ts$/.test(e.name)) out.push([path.relative(root, full), readFileSync(full, 'utf8')]);
      }
    };
    walk(path.join(root, 'dist'));
    return out;
  }

  it('have no @internal member (stripInternal) and no other non-private _-prefixed member', () => {
    const found: string[] = [];
    const files = declarations();
    expect(files.length).toBeGreaterThan(50);
    for (const [file, text] of files) {
      text.split('\n').forEach((line, i) => {
        if (line.includes('@internal') || /^\s+(?!private\b)(?:(?:readonly|static|protected|get|set)\s+)*_[A-Za-z]\w*\s*[?:(<;]/.test(line)) {
          found.push(`${file}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(found, found.join('\n')).toEqual([]);
    // The library does use such members: they exist in the source and are stripped from the build.
    const tensorDts = files.find(([f]) => f === path.join('dist', 'tensor.d.ts'))?.[1] ?? '';
    expect(readFileSync(path.join(root, 'lib', 'tensor.ts'), 'utf8')).toMatch(/@internal[\s\S]*_grad:/);
    expect(tensorDts).toContain('class Tensor');
    expect(tensorDts).not.toMatch(/\b_grad\b/);
  });
});

/**
 * Exports with no PyTorch call to stand beside, so they need no row: each
 * with the reason.
 */
const NO_PYTORCH_COUNTERPART: Record<string, string> = {
  'io.DEFAULT_MAX_BYTES': 'a constant: the default file-size cap of io.load',
  'io.MAX_HEADER_BYTES': 'a constant: the safetensors header-size cap',
  'io.OPTIMIZER_METADATA_KEY': 'a constant: the metadata key optimizer state is stored under',
  'worker.STATE_DICT_MESSAGE': 'a constant: the type tag of a posted state dict',
};

/** How the table abbreviates: `t.add` is Tensor#add, `F.relu` is nn.functional.relu, ... */
const ALIASES: [RegExp, string][] = [
  [/^torch\./, ''],
  [/^t\./, 'Tensor#'],
  [/^u\./, 'Tensor#'],
  [/^a\./, 'Tensor#'],
  [/^model\./, 'nn.Module#'],
  [/^opt\./, 'optim.Optimizer#'],
  [/^F\./, 'nn.functional.'],
];
/** Only members of these classes must have rows (the others are found through them). */
const MEMBERS_OF = ['Tensor', 'nn.Module', 'optim.Optimizer'];
const NAMESPACES = /^(?:nn|optim|data|io|worker|autograd|distributed|Tensor|nn\.Module|optim\.Optimizer)[.#]/;

/** The names in code spans of the torchlet column of every table in the file, resolved through ALIASES. */
function tableNames(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|');
    if (cells.length < 4 || /^\|\s*(PyTorch|---)/.test(line)) continue;
    for (const span of cells[2].matchAll(/`([^`]+)`/g)) {
      for (const m of span[1].matchAll(/(?<![\w$.'])[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g)) {
        let name = m[0];
        for (const [re, to] of ALIASES) name = name.replace(re, to);
        // `cuda.isAvailable` names `cuda` too.
        for (let i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1)) names.add(name.slice(0, i));
        names.add(name);
      }
    }
  }
  return names;
}

/** The names the table must contain, grouped so that re-exports of one declaration need one row. */
function required(items: ApiItem[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    if (!item.isValue || item.name in NO_PYTORCH_COUNTERPART) continue;
    if (item.isMember && !MEMBERS_OF.some((c) => item.name.startsWith(`${c}#`))) continue;
    if (item.name.includes('#[Symbol.')) continue;
    const list = groups.get(item.id) ?? [];
    list.push(item.name);
    groups.set(item.id, list);
  }
  return groups;
}

describe('docs/from-pytorch.md', () => {
  const markdown = readFileSync(path.join(root, 'docs', 'from-pytorch.md'), 'utf8');
  const names = tableNames(markdown);

  it('has a row for every exported value and every Tensor, Module and Optimizer member', () => {
    const missing = [...required(api).values()].filter((group) => !group.some((n) => names.has(n))).map((group) => group.join(' or '));
    expect(missing, `no row in docs/from-pytorch.md for:\n${missing.join('\n')}`).toEqual([]);
  });

  it('names nothing in a torchlet namespace that the package does not export', () => {
    const known = new Set(api.map((item) => item.name));
    // A constant's field (`distributed.ReduceOp.SUM`) is known through the constant.
    const namespaces = new Set([...known].flatMap((n) => n.split('.').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
    const isKnown = (n: string): boolean => known.has(n) || namespaces.has(n) || (n.lastIndexOf('.') > n.indexOf('.') && isKnown(n.slice(0, n.lastIndexOf('.'))));
    const unknown = [...names].filter((n) => NAMESPACES.test(n) && !isKnown(n));
    expect(unknown, `docs/from-pytorch.md names what torchlet lacks:\n${unknown.join('\n')}`).toEqual([]);
  });

  it('keeps the allow-list to exports that exist', () => {
    const known = new Set(api.map((item) => item.name));
    expect(Object.keys(NO_PYTORCH_COUNTERPART).filter((n) => !known.has(n))).toEqual([]);
  });
});
