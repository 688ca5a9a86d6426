// Whether binfmt_misc drops every registration when its last mount goes away: a one-shot registering container
// (multiarch/qemu-user-static --reset -p yes) then leaves the host with nothing (incidents.md Case 3).
// Sources: mainline 1c5976ef0f7a "binfmt_misc: cleanup on filesystem umount" (v6.7-rc1, with 21ca59b365c0
// "binfmt_misc: enable sandboxed mounts"). Stable backports (AUTOSEL, Aug/Sep 2024), each read in the stable
// review shortlog or the linux-stable-rc push revlist:
//   6.1.107 (cf7602cbd582), 6.6.48, 5.15.166 (9987b732a19b, 5.15.166-rc1 revlist), 5.10.225 (ad8d5876edee,
//   5.10.225-rc1 revlist), 5.4.283 (5.4.283-rc1 review), 4.19.321 (36f22f150def).
// Series older than 6.7 that were already end-of-life in Aug 2024 (4.14, 5.11-5.14, 5.16-5.19, 6.0, 6.2-6.5, …) never
// got it. 6.8+ (including 6.10.y) are after mainline 6.7, so they have it by inheritance.
import type { HostFacts } from '../facts/snapshot.ts';
import { hasChange, seriesOf, type ChangeLanding } from '../util/kernel-version.ts';
import { capability, type Capability, type Evidence } from './capability.ts';
import { upstreamBase } from './kernel-base.ts';

export const BINFMT_CLEANUP_ON_UMOUNT: ChangeLanding = {
  mainline: '6.7',
  stable: { '6.6': '6.6.48', '6.1': '6.1.107', '5.15': '5.15.166', '5.10': '5.10.225', '5.4': '5.4.283', '4.19': '4.19.321' },
};

export function deriveBinfmtClearsOnUnmount(facts: HostFacts): Capability<boolean> {
  const base = upstreamBase(facts);
  const ev: Evidence[] = [...base.evidence];
  if (!base.known) return capability<boolean>('unknown', base.reason, ev);
  // The only series maintained when the backports went out (Aug/Sep 2024) were 4.19, 5.4, 5.10, 5.15, 6.1, 6.6 (all
  // in the table) and 6.8+ (after mainline): every other series below 6.7 was end-of-life and never got it.
  const series = seriesOf(base.base);
  const v = hasChange(base.base, BINFMT_CLEANUP_ON_UMOUNT, series === undefined ? [] : [series]);
  if (v.has === 'unknown') return capability<boolean>('unknown', `${base.how}; ${v.why}`, ev);
  return capability<boolean>(
    v.has,
    v.has
      ? `${base.how}; ${v.why}: binfmt_misc registrations vanish when the last binfmt_misc mount is unmounted (1c5976ef0f7a)`
      : `${base.how}; ${v.why}: registrations survive unmounts (the old simple_pin_fs behaviour)`,
    ev,
  );
}
