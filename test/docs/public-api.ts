/**
 * The package's public API as the compiler sees it from lib/index.ts: every
 * export (namespaces such as `nn` walked into), whether it is a value or only
 * a type, and, for classes and interfaces, their public members. Each
 * declaration records whether it carries a TSDoc summary.
 */
import path from 'node:path';
import ts from 'typescript';

/** One exported name, e.g. `nn.Linear`, or one member, e.g. `nn.Linear#forward` / `Tensor.add`. */
export interface ApiItem {
  /** Dotted path from the package root; members as `Class#member` (instance) or `Class.member` (static). */
  name: string;
  /** A runtime value (function, class, constant, method, property) rather than only a type. */
  isValue: boolean;
  /** A member of a class or interface rather than an export. */
  isMember: boolean;
  /** Where it is declared ("file:line"): names that re-export one declaration share it. */
  id: string;
  /** Where it lacks a TSDoc summary ("file:line"), or [] when documented. */
  undocumented: string[];
  /** Its parameters without an `@param` tag, as "file:line name". */
  undocumentedParams: string[];
}

const root = path.resolve(__dirname, '..', '..');
const libDir = path.join(root, 'lib') + path.sep;

/** The TSDoc summary of a declaration (its JSDoc comment text), or '' when it has none. */
function summary(decl: ts.Node): string {
  return ts.getJSDocCommentsAndTags(decl)
    .filter(ts.isJSDoc)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join('')
    .trim();
}

function isInternal(decl: ts.Node): boolean {
  return ts.getJSDocTags(decl).some((tag) => tag.tagName.text === 'internal');
}

function isHidden(decl: ts.Declaration): boolean {
  const flags = ts.getCombinedModifierFlags(decl);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 || isInternal(decl)
    || (ts.isPropertyDeclaration(decl) || ts.isMethodDeclaration(decl)) && ts.isPrivateIdentifier(decl.name);
}

function where(decl: ts.Node): string {
  const sf = decl.getSourceFile();
  return `${path.relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1}`;
}

/**
 * Where `sym` lacks documentation: [] when it has a summary, else its first
 * declaration. Only declarations in lib/ count (not inherited `Error#stack`);
 * a class is documented by its class declaration (the `interface Tensor`
 * blocks that add methods document each method instead); an overload set by
 * any of its signatures; an overriding member may inherit its base's summary.
 */
function missingDoc(sym: ts.Symbol, checker: ts.TypeChecker): string[] {
  const own = (sym.declarations ?? []).filter((d) => d.getSourceFile().fileName.startsWith(libDir));
  if (own.length === 0) return [];
  const decl = own.find(ts.isClassDeclaration) ?? own[0];
  if (summary(decl) !== '' || ts.displayPartsToString(sym.getDocumentationComment(checker)).trim() !== '') return [];
  return [where(decl)];
}

function declared(sym: ts.Symbol): string {
  const decl = sym.declarations?.[0];
  return decl === undefined ? sym.name : where(decl);
}

type Signature = ts.FunctionDeclaration | ts.MethodDeclaration | ts.MethodSignature | ts.ConstructorDeclaration;

function isSignature(d: ts.Node): d is Signature {
  return ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d) || ts.isMethodSignature(d) || ts.isConstructorDeclaration(d);
}

/**
 * Parameters of `decls` (in lib/) that no `@param` names. An overload
 * implementation is skipped (its overloads carry the docs), and so is a
 * declaration without any doc comment when the symbol inherits its base's.
 */
function missingParams(sym: ts.Symbol | undefined, decls: readonly ts.Declaration[], checker: ts.TypeChecker): string[] {
  const own = decls.filter((d): d is Signature => isSignature(d) && d.getSourceFile().fileName.startsWith(libDir));
  const out: string[] = [];
  for (const d of own) {
    if (!ts.isMethodSignature(d) && d.body !== undefined && own.length > 1) continue;
    const docs = ts.getJSDocCommentsAndTags(d).filter(ts.isJSDoc);
    if (docs.length === 0 && sym !== undefined && ts.displayPartsToString(sym.getDocumentationComment(checker)).trim() !== '' && !ts.isConstructorDeclaration(d)) continue;
    const named = new Set(ts.getJSDocTags(d).filter(ts.isJSDocParameterTag).map((t) => t.name.getText()));
    for (const p of d.parameters) if (!named.has(p.name.getText())) out.push(`${where(d)} ${p.name.getText()}`);
  }
  return out;
}

/** Readable member name: `Symbol.asyncIterator` for `__@asyncIterator@12`. */
function memberName(sym: ts.Symbol): string {
  const m = /^__@(\w+)@\d+$/.exec(sym.escapedName as string);
  return m !== null ? `[Symbol.${m[1]}]` : sym.name;
}

/** Walks the exports of lib/index.ts. */
export function publicApi(): ApiItem[] {
  const entry = path.join(root, 'lib', 'index.ts');
  const program = ts.createProgram([entry], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, types: ['node'], noEmit: true });
  const checker = program.getTypeChecker();
  const items: ApiItem[] = [];
  const members = (owner: string, type: ts.Type, sep: string, skip: (name: string) => boolean): void => {
    for (const sym of checker.getPropertiesOfType(type)) {
      const name = memberName(sym);
      if ((sym.declarations ?? []).some(isHidden) || skip(name)) continue;
      const value = (sym.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Property | ts.SymbolFlags.Accessor)) !== 0;
      items.push({
        name: `${owner}${sep}${name}`, isValue: value, isMember: true, id: declared(sym),
        undocumented: missingDoc(sym, checker), undocumentedParams: missingParams(sym, sym.declarations ?? [], checker),
      });
    }
  };
  const walk = (module: ts.Symbol, prefix: string): void => {
    for (const exported of checker.getExportsOfModule(module)) {
      const sym = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = prefix + exported.name;
      if (sym.flags & ts.SymbolFlags.ValueModule) {
        walk(sym, `${name}.`);
        continue;
      }
      const isValue = (sym.flags & ts.SymbolFlags.Value) !== 0;
      items.push({ name, isValue, isMember: false, id: declared(sym), undocumented: missingDoc(sym, checker), undocumentedParams: missingParams(sym, sym.declarations ?? [], checker) });
      if (sym.flags & ts.SymbolFlags.Class) {
        members(name, checker.getDeclaredTypeOfSymbol(sym), '#', () => false);
        members(name, checker.getTypeOfSymbol(sym), '.', (n) => n === 'prototype');
        const ctors = (sym.declarations ?? []).filter(ts.isClassDeclaration).flatMap((c) => c.members.filter(ts.isConstructorDeclaration))
          .filter((c) => !isHidden(c));
        if (ctors.length > 0) {
          items.push({ name: `${name}.constructor`, isValue: true, isMember: true, id: where(ctors[0]), undocumented: [], undocumentedParams: missingParams(undefined, ctors, checker) });
        }
      } else if (sym.flags & ts.SymbolFlags.Interface) {
        members(name, checker.getDeclaredTypeOfSymbol(sym), '#', () => false);
      }
    }
  };
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!);
  if (module === undefined) throw new Error('lib/index.ts: no module symbol');
  walk(module, '');
  return items;
}
