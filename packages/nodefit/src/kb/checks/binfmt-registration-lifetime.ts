// Incident check (Bottlerocket 1.23): binfmt_misc handlers registered from a short-lived container vanish with it.
import type { Evidence } from '../../capabilities/capability.ts';
import type { Check, CheckResult } from '../check.ts';

export const binfmtRegistrationLifetimeCheck: Check = {
  meta: {
    id: 'binfmt-registration-lifetime',
    title: 'binfmt_misc registrations vanish when the registering container exits',
    description:
      'Since Linux 6.7 (commit 1c5976ef0f7a "binfmt_misc: cleanup on filesystem umount", backported to 6.6.48, 6.1.107, 5.15.166, 5.10.225, 5.4.283 and 4.19.321) binfmt_misc no longer pins its superblock: when the last mount goes away, every registered handler is dropped. Tools such as `multiarch/qemu-user-static --reset -p yes` mount binfmt_misc inside a privileged container, register QEMU and exit. If the host itself does not keep binfmt_misc mounted, the handlers disappear with the container and later foreign-architecture builds fail with "exec format error" (Bottlerocket 1.23.0, kernel 6.1.107+, no host mount until core-kit enabled proc-sys-fs-binfmt_misc.mount).',
    defaultSeverity: 'error',
    references: [
      'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=1c5976ef0f7ad76319df748ccb99a4c7ba2ba464',
      'https://github.com/bottlerocket-os/bottlerocket/issues/4215',
      'https://github.com/bottlerocket-os/bottlerocket-core-kit/pull/206',
      'https://docs.kernel.org/admin-guide/binfmt-misc.html',
    ],
    remediation: [
      { os: 'any', text: 'Mount binfmt_misc on the host at boot (enable systemd\'s proc-sys-fs-binfmt_misc.mount, or an fstab line "binfmt_misc /proc/sys/fs/binfmt_misc binfmt_misc defaults 0 0"), or register the handlers on the host with binfmt.d, or keep the registering container running.' },
      { os: 'bottlerocket', text: 'Upgrade to a Bottlerocket release whose core kit mounts binfmt_misc by default (core-kit PR #206, Bottlerocket 1.27); before that, a bootstrap container can mount it on a host path with shared propagation.' },
    ],
  },
  evaluate(ctx) {
    const workloads = ctx.workloads.filter((w) => w.binfmtRegistration === 'oneshot-container');
    if (workloads.length === 0) return [{ workload: null, outcome: 'not-applicable', message: 'no selected workload registers binfmt_misc handlers from a short-lived container', evidence: [] }];
    const clears = ctx.capabilities.binfmtClearsOnUnmount;
    const b = ctx.facts.binfmt;
    const evidence: Evidence[] = [{ fact: 'capabilities.binfmtClearsOnUnmount', value: String(clears.value), source: clears.reason }];
    if (b.mounts.state === 'known') evidence.push({ fact: 'binfmt.mounts', value: b.mounts.value.join(' ') || '(none)', source: b.mounts.source });
    if (b.bootMount.state === 'known') evidence.push({ fact: 'binfmt.bootMount', value: b.bootMount.value.join(' ') || '(none)', source: b.bootMount.source });
    const mounted = b.mounts.state === 'known' && b.mounts.value.length > 0;
    const boot = b.bootMount.state === 'known' ? b.bootMount.value : null;
    // a .mount unit or an fstab line mounts at boot; an .automount only once something on the host opens the path
    // (systemd-binfmt does at boot when binfmt.d has entries) - a container mounting its own binfmt_misc never triggers it
    const mountsAtBoot = boot !== null && boot.some((p) => !p.endsWith('.automount'));
    const automountOnly = boot !== null && boot.length > 0 && !mountsAtBoot;
    const bootRegisters = b.config.state === 'known' && b.config.value.length > 0;
    if (b.config.state === 'known') evidence.push({ fact: 'binfmt.config', value: b.config.value.map((c) => c.name).join(' ') || '(none)', source: b.config.source });
    return workloads.map((w): CheckResult => {
      const base = { workload: w.id, evidence };
      if (clears.value === false) return { ...base, outcome: 'pass', message: `this kernel keeps binfmt_misc handlers after the last unmount (${clears.reason})` };
      if (mounted) return { ...base, outcome: 'pass', message: `binfmt_misc is mounted on the host (${b.mounts.state === 'known' ? b.mounts.value.join(', ') : ''}), so registrations outlive the container` };
      const drops = clears.value === true ? `this kernel drops every handler when the last binfmt_misc mount goes away (${clears.reason})` : null;
      if (b.mounts.state === 'known') {
        // the live host: what is mounted now is what protects the registrations, whatever unit files exist
        const units = boot !== null && boot.length > 0 ? `; ${boot.join(', ')} exist but nothing is mounted now` : '';
        if (drops === null) return { ...base, outcome: 'unknown', message: `binfmt_misc is not mounted on the host${units}; whether this kernel clears it on unmount is unknown (${clears.reason})`, actions: [{ kind: 'binfmt-mount' }] };
        return { ...base, outcome: 'fail', message: `binfmt_misc is not mounted on the host${units}, and ${drops}: handlers the workload registers from its container vanish when it exits`, actions: [{ kind: 'binfmt-mount' }] };
      }
      // offline: judge by what the host will do at boot
      if (mountsAtBoot || (automountOnly && bootRegisters)) {
        return { ...base, outcome: 'pass', message: `the host mounts binfmt_misc at boot (${boot?.join(', ') ?? ''}${automountOnly ? ', triggered by systemd-binfmt registering binfmt.d entries' : ''}), so registrations outlive the container` };
      }
      if (automountOnly) {
        return { ...base, outcome: drops === null ? 'unknown' : 'warn', message: `only ${boot?.join(', ') ?? ''} exists: binfmt_misc is mounted only once something on the host opens /proc/sys/fs/binfmt_misc, and a container's own mount does not trigger it${drops === null ? '' : `; ${drops}`}`, actions: [{ kind: 'binfmt-mount' }] };
      }
      if (drops !== null && boot !== null) return { ...base, outcome: 'fail', message: `nothing mounts binfmt_misc on the host at boot, and ${drops}: handlers the workload registers from its container vanish when it exits`, actions: [{ kind: 'binfmt-mount' }] };
      if (drops === null) return { ...base, outcome: 'unknown', message: `whether this kernel clears binfmt_misc on unmount is unknown (${clears.reason})` };
      return { ...base, outcome: 'unknown', message: `${drops}; whether the host keeps binfmt_misc mounted is unknown`, actions: [{ kind: 'binfmt-mount' }] };
    });
  },
};
