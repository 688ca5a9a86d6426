// Whether this process may create the namespaces the probes need: CAP_SYS_ADMIN in CapEff of /proc/self/status.
import * as fs from 'node:fs';

/** capability(7): CAP_SYS_ADMIN is bit 21. */
export const CAP_SYS_ADMIN = 21n;

/** The effective capability mask from a /proc/<pid>/status text, or null when the line is absent or malformed. */
export function parseCapEff(status: string): bigint | null {
  const m = /^CapEff:\s*([0-9a-fA-F]{1,16})\s*$/m.exec(status);
  if (m === null) return null;
  return BigInt(`0x${m[1]}`);
}

export type PrivilegeCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function hasCapability(mask: bigint, bit: bigint): boolean {
  return ((mask >> bit) & 1n) === 1n;
}

/** Reads /proc/self/status (or the given text) and says whether the probes may run. */
export function checkProbePrivileges(statusText?: string): PrivilegeCheck {
  let text = statusText;
  if (text === undefined) {
    try {
      text = fs.readFileSync('/proc/self/status', 'utf8');
    } catch {
      return { ok: false, reason: 'needs CAP_SYS_ADMIN (cannot read /proc/self/status to check)' };
    }
  }
  const mask = parseCapEff(text);
  if (mask === null) return { ok: false, reason: 'needs CAP_SYS_ADMIN (no CapEff line in /proc/self/status)' };
  if (!hasCapability(mask, CAP_SYS_ADMIN)) return { ok: false, reason: 'needs CAP_SYS_ADMIN' };
  return { ok: true };
}
