// A fact is either known (with the path it came from) or unknown (with every path tried): never a silent default.

export interface Known<T> {
  readonly state: 'known';
  readonly value: T;
  /** Where the value was read, e.g. "/proc/config.gz" or "uname(2)". */
  readonly source: string;
}

export interface Unknown {
  readonly state: 'unknown';
  /** Every path (or method) that was tried, in order. */
  readonly tried: string[];
  /** Why none of them gave an answer, in words a person can act on. */
  readonly reason: string;
}

export type Fact<T> = Known<T> | Unknown;

export function known<T>(value: T, source: string): Known<T> {
  return { state: 'known', value, source };
}

export function unknown(tried: readonly string[], reason: string): Unknown {
  return { state: 'unknown', tried: [...tried], reason };
}

export function isKnown<T>(f: Fact<T>): f is Known<T> {
  return f.state === 'known';
}

/** The value when known, otherwise the fallback; for places where absence has an obvious neutral meaning. */
export function valueOr<T, F>(f: Fact<T>, fallback: F): T | F {
  return f.state === 'known' ? f.value : fallback;
}

/** Transforms a known value, keeping unknowns as they are. */
export function mapFact<T, U>(f: Fact<T>, fn: (v: T) => U): Fact<U> {
  return f.state === 'known' ? known(fn(f.value), f.source) : f;
}
