// The kernel modules a set of workloads asks for (their `module` requirements), for `nodefit probe`'s modprobe dry run.
import type { WorkloadProfile } from '../kb/profile-types.ts';
import { UserError } from '../cli/user-error.ts';
import { hostWorkloads } from '../kb/guest-kernel.ts';

/** Every module named by the selected workloads' module requirements (all alternatives of an anyOf), sorted. */
export function modulesOfWorkloads(profiles: readonly WorkloadProfile[], ids: readonly string[] | undefined): string[] {
  const known = new Map(profiles.map((p) => [p.id, p]));
  const unknownIds = (ids ?? []).filter((id) => !known.has(id));
  if (unknownIds.length > 0) throw new UserError(`unknown workload ${unknownIds.map((x) => JSON.stringify(x)).join(', ')}; known: ${[...known.keys()].sort().join(', ')}`);
  // by default the host's workloads, as a check selects them: a guest kernel's modules are not loaded on this host
  const selected = ids === undefined || ids.length === 0 ? hostWorkloads(profiles) : ids.map((id) => known.get(id) as WorkloadProfile);
  const out = new Set<string>();
  for (const p of selected) for (const r of p.requirements) if (r.kind === 'module') for (const m of r.anyOf) out.add(m);
  return [...out].sort();
}
