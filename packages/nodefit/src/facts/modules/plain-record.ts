// Builds the plain objects the fact types use for maps with thousands of keys, fast and without prototype surprises.
// Object.fromEntries(map) is several times slower than assigning keys one by one.

/**
 * Adds an own key; a "__proto__" key becomes an own property as Object.fromEntries makes it, not a prototype change.
 * Each new key is interned by the engine, so looking keys up in the object while building costs more than in a Map.
 */
export function setOwn<V>(out: Record<string, V>, k: string, v: V): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
  else out[k] = v;
}

/** Keys keep the Map's order. A Map is the cheaper way to look keys up while building: see setOwn's cost note. */
export function recordFromMap<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  map.forEach((v, k) => setOwn(out, k, v));
  return out;
}
