// The sysctl keys a set of workload profiles asks for: a live host or --root is read for them too (CollectContext.sysctls).
import type { WorkloadProfile } from './profile-types.ts';

export function sysctlKeysOf(profiles: readonly WorkloadProfile[]): string[] {
  return [...new Set(profiles.flatMap((p) => p.requirements.flatMap((r) => (r.kind === 'sysctl' ? [r.key] : []))))];
}
