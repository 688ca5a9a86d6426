// A snapshot from an agent newer than this server carries facts the server's schema has no field for (each release
// adds some). Those fields are dropped, guided by the schema, so the rest is still stored and judged: an agent rolled
// out before the server is heard instead of refused. Only additions can be dropped; a value whose type changed, a new
// fact state, or a newer schemaVersion still fails validation. This rests on the rule in facts/snapshot-version.ts: a
// new member may never change what its siblings mean.

/** The subset of JSON Schema that nodefit's generated snapshot schema uses (no $ref, no allOf). */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly required?: readonly string[];
}

export type DroppedFields =
  | {
      readonly ok: true;
      readonly value: unknown;
      /** JSON pointers (as validation errors name places) of every member dropped, in document order. */
      readonly dropped: readonly string[];
    }
  /** More unknown members than a release adds: not worth walking further (and not a snapshot of a nearby release). */
  | { readonly ok: false; readonly tooMany: number };

/** A release adds a handful of facts; anything past this is refused without walking the rest of the body. */
export const MAX_DROPPED = 1000;

/** Pointers are shown to people and logged by agents: a member name is cut here. */
const MAX_POINTER = 200;

class TooMany extends Error {}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeFits(schema: JsonSchema, v: unknown): boolean {
  if (schema.type === undefined) return true;
  const t = typeOf(v);
  const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

/** A branch a value may be meant for: its type, and every const or enum member it names, agree with the value. */
function mayBeFor(branch: JsonSchema, v: unknown): boolean {
  if (!typeFits(branch, v)) return false;
  if ('const' in branch && branch.const !== v) return false;
  if (branch.enum !== undefined && !branch.enum.includes(v)) return false;
  if (!isObject(v) || branch.properties === undefined) return true;
  for (const [k, p] of Object.entries(branch.properties)) {
    const pinned = 'const' in p || p.enum !== undefined;
    if (!pinned) continue;
    if (!(k in v)) {
      if (branch.required?.includes(k) === true) return false;
      continue;
    }
    if ('const' in p && p.const !== v[k]) return false;
    if (p.enum !== undefined && !p.enum.includes(v[k])) return false;
  }
  return true;
}

function pointer(path: string, key: string): string {
  const p = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return p.length > MAX_POINTER ? `${p.slice(0, MAX_POINTER)}…` : p;
}

function drop(dropped: string[], p: string): void {
  dropped.push(p);
  if (dropped.length > MAX_DROPPED) throw new TooMany();
}

/** An own member even for a key such as "__proto__", which plain assignment would take as the prototype. */
function put(o: JsonObject, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function walk(schema: JsonSchema, v: unknown, path: string, dropped: string[]): unknown {
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches !== undefined) {
    // the fact unions are told apart by their pinned "state". A value no branch may be for (a state this server does
    // not know) is left to the validator; so is one that two branches may be for, as dropping what one branch does
    // not know could remove what the other needs
    const fit = branches.filter((b) => mayBeFor(b, v));
    return fit.length === 1 ? walk(fit[0] as JsonSchema, v, path, dropped) : v;
  }
  if (Array.isArray(v)) return schema.items === undefined ? v : v.map((item, i) => walk(schema.items as JsonSchema, item, `${path}/${i}`, dropped));
  if (!isObject(v) || (schema.properties === undefined && schema.additionalProperties === undefined)) return v;
  const out: JsonObject = {};
  for (const [k, member] of Object.entries(v)) {
    const known = schema.properties !== undefined && Object.hasOwn(schema.properties, k) ? schema.properties[k] : undefined;
    if (known !== undefined) put(out, k, walk(known, member, pointer(path, k), dropped));
    else if (schema.additionalProperties === false) drop(dropped, pointer(path, k));
    else if (typeof schema.additionalProperties === 'object') put(out, k, walk(schema.additionalProperties, member, pointer(path, k), dropped));
    else put(out, k, member);
  }
  return out;
}

/** `value` without the members `schema` forbids as unknown, and where they were; the input is not changed. */
export function dropUnknownFields(schema: JsonSchema, value: unknown): DroppedFields {
  const dropped: string[] = [];
  try {
    return { ok: true, value: walk(schema, value, '', dropped), dropped };
  } catch (e) {
    if (e instanceof TooMany) return { ok: false, tooMany: dropped.length };
    throw e;
  }
}
