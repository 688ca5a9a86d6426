// Active probe results (nodefit probe, issue #6) are what the running kernel actually did: they win over the static
// derivation, and the reason keeps both when they disagree so the user sees why the static view was wrong.
import type { Fact } from '../facts/fact.ts';
import { capability, type Capability } from './capability.ts';

export function withProbe<T>(
  staticCap: Capability<T>,
  probe: Fact<boolean> | undefined,
  probeName: string,
  map: (ok: boolean) => T,
): Capability<T> {
  if (probe === undefined || probe.state !== 'known') return staticCap;
  const value = map(probe.value);
  const ev = [...staticCap.evidence, { fact: `probes.${probeName}`, value: String(probe.value), source: probe.source }];
  if (staticCap.value === value) {
    return capability(value, `${staticCap.reason}; confirmed by probe ${probeName}`, ev);
  }
  return capability(
    value,
    `probe ${probeName} says ${String(value)}, overriding the static analysis (${String(staticCap.value)}: ${staticCap.reason})`,
    ev,
  );
}
