/**
 * lib/ has no value-import cycle: a module graph where every file can be
 * loaded after the files it imports, so no module ever sees another half
 * initialised. Type-only imports (`import type`, `{ type X }`) are erased by
 * the compiler and do not count; side-effect imports (`import './x'`) do.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const LIB = path.resolve(__dirname, '../../lib');

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The file a relative specifier names (x.ts or x/index.ts), or null for packages and node builtins. */
function resolveSpecifier(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(`${path.relative(LIB, from)}: cannot resolve ${spec}`);
}

/** True when an import or export declaration brings a value in at load time. */
function isValueEdge(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (clause === undefined) return true; // import './x': run for its effects
    if (clause.isTypeOnly) return false;
    if (clause.name !== undefined) return true;
    const bindings = clause.namedBindings;
    if (bindings === undefined || ts.isNamespaceImport(bindings)) return true;
    return bindings.elements.length === 0 || bindings.elements.some((e) => !e.isTypeOnly);
  }
  if (node.isTypeOnly) return false;
  const clause = node.exportClause;
  if (clause === undefined || ts.isNamespaceExport(clause)) return true;
  return clause.elements.length === 0 || clause.elements.some((e) => !e.isTypeOnly);
}

/** Each lib file's value imports of other lib files. */
export function valueImportGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
    const targets: string[] = [];
    for (const stmt of source.statements) {
      if (!ts.isImportDeclaration(stmt) && !ts.isExportDeclaration(stmt)) continue;
      if (stmt.moduleSpecifier === undefined || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
      if (!isValueEdge(stmt)) continue;
      const target = resolveSpecifier(file, stmt.moduleSpecifier.text);
      if (target !== null) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('lib/ import graph', () => {
  it('finds a cycle when there is one (the checker itself)', () => {
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', ['a']]]))).toEqual([['a']]);
    expect(cycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('has no value-import cycle', () => {
    const graph = valueImportGraph(listSources(LIB));
    const found = cycles(graph).map((c) => c.map((f) => path.relative(LIB, f)));
    const report = found.map((c, i) => `cycle ${i + 1} (${c.length} files): ${c.join(', ')}`).join('\n');
    expect(report, `value-import cycles in lib/:\n${report}`).toBe('');
  });

  it('keeps the bottom layer (dtype.ts, shape.ts, storage/) free of runtime/ and ops/', () => {
    const graph = valueImportGraph(listSources(LIB));
    const bottom = [...graph.keys()].filter((f) => /^(dtype|shape)\.ts$|^storage\//.test(path.relative(LIB, f)));
    expect(bottom.length).toBeGreaterThan(2);
    const bad = bottom.flatMap((f) => (graph.get(f) as string[])
      .filter((t) => /^(runtime|ops|autograd|nn)\//.test(path.relative(LIB, t)))
      .map((t) => `${path.relative(LIB, f)} -> ${path.relative(LIB, t)}`));
    expect(bad).toEqual([]);
  });
});
