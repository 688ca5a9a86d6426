// Which workload profiles describe a VM guest's kernel (appliesTo: guest-kernel) rather than the host's: one answer
// for default workload selection, the probe's module list, the host-target guard and the checks' host-only actions.
import type { WorkloadProfile } from './profile-types.ts';

export function isGuestKernel(p: WorkloadProfile): boolean {
  return p.appliesTo === 'guest-kernel';
}

/** The profiles a check selects when none is named: the host's, as a guest kernel's is judged only when asked for. */
export function hostWorkloads(all: readonly WorkloadProfile[]): WorkloadProfile[] {
  return all.filter((p) => !isGuestKernel(p));
}
