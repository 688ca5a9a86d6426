// Kernel version ranges in requirement data (">=5.2 <6.9"): parsing and matching against a target's kernel version.
import { parseKernelVersion as parseRelease } from '../util/kernel-version.ts';

export type KernelVersion = readonly [number, number, number];

interface Comparator {
  readonly op: '>=' | '>' | '<=' | '<' | '=';
  readonly version: KernelVersion;
}

/** "6.12.0-124.29.1.el10_1.x86_64", "6.1.107-153.189.amzn2023", "6.12.117+deb12-amd64" → [6, 12, 0], [6, 1, 107], [6, 12, 117]. */
export function parseKernelVersion(s: string): KernelVersion | null {
  const v = parseRelease(s);
  return v === undefined ? null : [v.major, v.minor, v.patch];
}

export function compareVersions(a: KernelVersion, b: KernelVersion): number {
  for (let i = 0; i < 3; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Parses ">=5.2 <6.9"; null when malformed. */
export function parseVersionRange(s: string): Comparator[] | null {
  const parts = s.trim().split(/\s+/).filter((p) => p !== '');
  if (parts.length === 0) return null;
  const out: Comparator[] = [];
  for (const p of parts) {
    const m = /^(>=|<=|>|<|=)(\d+\.\d+(?:\.\d+)?)$/.exec(p);
    if (m === null) return null;
    const version = parseKernelVersion(m[2]!);
    if (version === null) return null;
    out.push({ op: m[1] as Comparator['op'], version });
  }
  return out;
}

/** Whether the version is in the range; null when the version is unknown (the caller decides what unknown means). */
export function inRange(version: KernelVersion | null, range: string): boolean | null {
  const cmp = parseVersionRange(range);
  if (cmp === null) throw new Error(`invalid kernel version range ${JSON.stringify(range)}`);
  if (version === null) return null;
  return cmp.every(({ op, version: v }) => {
    const d = compareVersions(version, v);
    switch (op) {
      case '>=':
        return d >= 0;
      case '>':
        return d > 0;
      case '<=':
        return d <= 0;
      case '<':
        return d < 0;
      case '=':
        return d === 0;
    }
  });
}
