// Deterministic JSON: object keys sorted, so two scans of the same host give byte-identical snapshots.

/**
 * The value with every object's keys inserted in sorted order. Plain objects whose keys are already in order and
 * arrays whose elements need no change are returned as they are: a snapshot is mostly long arrays of strings, and
 * copying them cost more than printing them. JSON.stringify prints an object's keys in Object.keys order, so an
 * object returned as it is prints exactly as its sorted copy would.
 */
function sortValue(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== 'object' || x === null) continue;
      const y = sortValue(x);
      if (y === x) continue;
      out ??= v.map((e: unknown) => e);
      out[i] = y;
    }
    return out ?? v;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  const proto: unknown = Object.getPrototypeOf(obj);
  // anything but a plain object (class instances, Maps, a toJSON) is copied into a plain object, as it always was;
  // so is an own "__proto__" key, which the copy's assignment has always dropped
  let inOrder = (proto === Object.prototype || proto === null) && !('toJSON' in obj) && keys[0] !== '__proto__';
  for (let i = 1; inOrder && i < keys.length; i++) inOrder = (keys[i - 1] as string) < (keys[i] as string) && keys[i] !== '__proto__';
  if (!inOrder) keys.sort();
  let out: Record<string, unknown> | undefined = inOrder ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const x = obj[k];
    const y = typeof x === 'object' && x !== null ? sortValue(x) : x;
    if (out === undefined) {
      if (y === x) continue;
      // the first changed value: copy what came before it
      out = {};
      for (let j = 0; j < i; j++) {
        const xj = obj[keys[j] as string];
        if (xj !== undefined) out[keys[j] as string] = xj;
      }
    }
    if (y !== undefined) out[k] = y;
  }
  return out ?? v;
}

export function stableStringify(value: unknown, indent = 2): string {
  return JSON.stringify(sortValue(value), null, indent);
}
