/**
 * PyTorch's `Module.__setattr__` for JavaScript: a Module or a Parameter
 * assigned to a property of a module (`this.fc = new nn.Linear(4, 2)`, a class
 * field, or later) is registered under that name, in assignment order.
 *
 * JavaScript has no hook on assignment short of a Proxy, which would tax every
 * property read in every forward. Instead the registering is lazy: before a
 * module's members are listed (parameters(), stateDict(), train(), to(), ...)
 * its own properties are compared with its registrations and brought in line.
 * Property order is assignment order, and registerParameter/registerModule/
 * registerBuffer set the property too, so the registrations end up in the
 * order the module was written in.
 */
import { Tensor } from '../tensor';
import { describe } from '../shape';
import { adoptParameter, isParameter } from './parameter';
import type { AnyModule } from './module';

/** The Module class, passed in by module.ts (a value import of it here would be an import cycle). */
type ModuleClass = abstract new (...args: never[]) => object;

type Members = Map<string, unknown>;

/** True if `name` is an accessor somewhere on the prototype chain (e.g. Linear's `weight`), which the maps back already. */
function hasAccessor(obj: object, name: string): boolean {
  for (let o: object | null = Object.getPrototypeOf(obj) as object | null; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d !== undefined) return d.get !== undefined || d.set !== undefined;
  }
  return false;
}

/** Mirrors a registration in the module's own property `name`, so `this.name` reads it (as PyTorch's __getattr__). */
export function mirrorMember(module: AnyModule, name: string, value: unknown): void {
  if (hasAccessor(module, name)) return;
  (module as unknown as Record<string, unknown>)[name] = value;
}

/** What a module's property means for its registrations: [map to put it in, value], or null for a plain attribute. */
function classify(module: AnyModule, name: string, value: unknown, moduleClass: ModuleClass): [Members, unknown] | null {
  const { _parameters: params, _buffers: buffers, _modules: modules } = module;
  if (value instanceof Tensor && isParameter(value)) return [params, value];
  if (value instanceof moduleClass) return [modules, value];
  if (params.has(name)) {
    if (value === null) return [params, null];
    if (value instanceof Tensor) return [params, adoptParameter(name, value)];
    throw new TypeError(`${module.constructor.name}: cannot assign ${describe(value)} to parameter '${name}' (a Parameter, a Tensor or null expected)`);
  }
  if (modules.has(name)) {
    if (value === null) return [modules, null];
    throw new TypeError(`${module.constructor.name}: cannot assign ${describe(value)} to child module '${name}' (a Module or null expected)`);
  }
  if (buffers.has(name)) {
    if (value === null || value instanceof Tensor) return [buffers, value];
    throw new TypeError(`${module.constructor.name}: cannot assign ${describe(value)} to buffer '${name}' (a Tensor or null expected)`);
  }
  return null;
}

/**
 * Registers what was assigned to `module`'s own properties and is not yet
 * registered (or was reassigned), in property order; a name moves between
 * parameters, buffers and modules as its value says, as in PyTorch.
 */
export function adoptAssigned(module: AnyModule, moduleClass: ModuleClass): void {
  const self = module as unknown as Record<string, unknown>;
  const keys = Object.keys(self);
  let added: Set<string> | null = null;
  const touched = new Set<Members>();
  for (const name of keys) {
    const value = self[name];
    if (value === undefined) continue;
    const maps: Members[] = [module._parameters, module._buffers, module._modules];
    const current = maps.find((m) => m.has(name));
    if (current !== undefined && current.get(name) === value) continue;
    const target = classify(module, name, value, moduleClass);
    if (target === null) continue;
    const [map, member] = target;
    for (const m of maps) if (m !== map) m.delete(name);
    if (map !== module._buffers) module._nonPersistent.delete(name);
    if (!map.has(name)) (added ??= new Set()).add(name);
    map.set(name, member);
    touched.add(map);
    if (member !== value) self[name] = member;
  }
  if (added !== null) for (const map of touched) reorder(map, added, keys);
}

/**
 * Puts the names just added to `map` (appended by Map.set) where the property
 * order says, among the names registered before: each goes right before the
 * first older name whose property comes after it. Older names without an own
 * property (backed by a prototype accessor) keep their places.
 */
function reorder(map: Members, added: Set<string>, keys: readonly string[]): void {
  const position = new Map(keys.map((k, i) => [k, i]));
  const fresh = [...map.keys()].filter((n) => added.has(n)).sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
  const order: string[] = [];
  let next = 0;
  for (const name of map.keys()) {
    if (added.has(name)) continue;
    const at = position.get(name);
    if (at !== undefined) while (next < fresh.length && (position.get(fresh[next]) as number) < at) order.push(fresh[next++]);
    order.push(name);
  }
  order.push(...fresh.slice(next));
  const entries = order.map((n) => [n, map.get(n)] as const);
  map.clear();
  for (const [n, v] of entries) map.set(n, v);
}
