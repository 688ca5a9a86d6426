// A capability is a derived statement about what the target can do, always with the reason it was derived.
export interface Evidence {
  /** Dotted fact name, e.g. "kernel.config.CPUSETS_V1" or "modules.files.iptable_raw". */
  readonly fact: string;
  readonly value: string;
  /** Where the fact came from (a host path, "snapshot", "probe"), or the paths tried when unknown. */
  readonly source: string;
}

export interface Capability<T> {
  readonly value: T | 'unknown';
  readonly reason: string;
  readonly evidence: readonly Evidence[];
}

export function capability<T>(value: T | 'unknown', reason: string, evidence: readonly Evidence[] = []): Capability<T> {
  return { value, reason, evidence };
}
