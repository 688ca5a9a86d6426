// Builds the plain objects the fact types use for maps with thousands of keys, fast and without prototype surprises.
// Object.fromEntries(map) is several times slower than assigning keys one by one.

/** Adds an own key; a "__proto__" key becomes an own property as Object.fromEntries makes it, not a prototype change. */
export function setOwn<V>(out: Record<string, V>, k: string, v: V): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
  else out[k] = v;
}

/** The value of an own key only: names such as "constructor" or "toString" must not find Object.prototype's. */
export function getOwn<V>(rec: Record<string, V>, k: string): V | undefined {
  return Object.hasOwn(rec, k) ? rec[k] : undefined;
}

/** Keys keep the Map's order. */
export function recordFromMap<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  map.forEach((v, k) => setOwn(out, k, v));
  return out;
}
