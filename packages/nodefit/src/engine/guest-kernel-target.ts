// A VM guest kernel's profile (appliesTo: guest-kernel) judged against a host would report what no host needs, and an
// nfd or npd report would then label the node with it: such a profile is only checked against a kernel by itself.
import type { WorkloadProfile } from '../kb/profile-types.ts';
import type { TargetSpec } from '../targets/target-spec.ts';
import { UserError } from '../cli/user-error.ts';
import { isGuestKernel } from '../kb/guest-kernel.ts';

const HOST_TARGETS: Readonly<Record<string, string>> = { live: 'this host', root: 'a --root', snapshot: 'a host snapshot' };

/** Throws when a guest kernel's profile is selected for a host target (live, --root, --snapshot). */
export function refuseGuestProfilesOnHosts(selected: readonly WorkloadProfile[], spec: TargetSpec): void {
  const guests = selected.filter(isGuestKernel).map((w) => w.id);
  const host = HOST_TARGETS[spec.base.kind];
  if (guests.length === 0 || host === undefined) return;
  throw new UserError(
    `${guests.join(', ')} describe${guests.length === 1 ? 's' : ''} a VM guest kernel, not ${host}: check the guest's kernel on its own with --kernel-config FILE (or --kernel-package FILE)`,
  );
}
