// The JSON report's target.capabilities: every capability as { value, reason, evidence } (DESIGN.md report shape).
import type { Capabilities } from './capabilities.ts';
import type { Evidence } from './capability.ts';

export interface CapabilityView {
  readonly value: unknown;
  readonly reason: string;
  readonly evidence: readonly Evidence[];
}

export function capabilityViews(caps: Capabilities): Record<string, CapabilityView> {
  const out: Record<string, CapabilityView> = {};
  for (const [name, c] of Object.entries(caps) as [keyof Capabilities, Capabilities[keyof Capabilities]][]) {
    out[name] = { value: c.value, reason: c.reason, evidence: c.evidence };
  }
  return out;
}
