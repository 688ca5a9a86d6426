// Pass / fail / unknown tables for the five incident checks, from the real incidents: corpus kernel configs and real
// Debian module trees, with live-state facts (mounts, host iptables, OS) set by hand where a config cannot say them.
import { known, unknown } from '../../../src/facts/fact.ts';
import type { CheckTable } from '../../../src/kb/testing/check-tester.ts';
import { factsBuilder } from '../../helpers/facts-builder.ts';
import { fixtureProfile, fromConfig, fromDebianTree } from '../support.ts';

export function moduleCompressionCases(): CheckTable {
  return {
    fail: [
      {
        // Bottlerocket 1.20+ kernels build modules with MODULE_COMPRESS_GZIP (bottlerocket#3968); openvswitch is =m.
        name: 'antrea on Bottlerocket 6.1.163 (gzip modules, openvswitch not loaded)',
        facts: fromConfig('bottlerocket-6.1.163').build(),
        workloads: ['antrea'],
        workload: 'antrea',
        outcome: 'warn',
        message: /gzip-compressed and openvswitch .*zlib/,
      },
      {
        name: 'cilium on Bottlerocket 6.1.163 names the iptable_* modules its agent loads',
        facts: fromConfig('bottlerocket-6.1.163').build(),
        workloads: ['cilium'],
        workload: 'cilium',
        outcome: 'warn',
        message: 'iptable_nat, iptable_mangle, iptable_raw, iptable_filter',
      },
      {
        name: 'antrea on the real Debian 6.12 tree (.ko.xz files)',
        facts: fromDebianTree('kernel-6.12').build(),
        workloads: ['antrea'],
        workload: 'antrea',
        outcome: 'warn',
        message: 'xz-compressed',
      },
    ],
    pass: [
      {
        // The user workaround: settings.kernel.modules.openvswitch.autoload = true loads it at boot.
        name: 'antrea on Bottlerocket 6.1.163 with openvswitch pre-loaded on the host',
        facts: fromConfig('bottlerocket-6.1.163').withLoaded(['openvswitch']).build(),
        workloads: ['antrea'],
        workload: 'antrea',
      },
      {
        name: 'antrea on the real Debian 6.1 tree (uncompressed .ko files)',
        facts: fromDebianTree('kernel-6.1').build(),
        workloads: ['antrea'],
        workload: 'antrea',
      },
    ],
    unknown: [
      {
        name: 'antrea with neither module tree nor kernel config',
        facts: factsBuilder().build(),
        workloads: ['antrea'],
        workload: 'antrea',
      },
    ],
  };
}

const rocky95 = { id: 'rocky', versionId: '9.5', family: 'rhel' as const, idLike: ['rhel', 'centos', 'fedora'] };
const nftIptables = known({ path: '/usr/sbin/iptables', chain: ['/usr/sbin/iptables', '/etc/alternatives/iptables', '/usr/sbin/iptables-nft', '/usr/sbin/xtables-nft-multi'], kind: 'nft' as const }, '/usr/sbin/iptables');
const legacyIptables = known({ path: '/usr/sbin/iptables', chain: ['/usr/sbin/iptables', '/etc/alternatives/iptables', '/usr/sbin/iptables-legacy', '/usr/sbin/xtables-legacy-multi'], kind: 'legacy' as const }, '/usr/sbin/iptables');

export function iptablesBackendCases(): CheckTable {
  const legacyImage = fixtureProfile('kube-router-k0s-1.31.2');
  return {
    fail: [
      {
        // k0s#5328: Rocky 9.5, kernel 5.14.0-503 (RHEL 9 family; AlmaLinux 9 config is the same kernel line).
        name: 'k0s v1.31.2 kube-router (legacy) on a Rocky 9.5-like host whose iptables is nft',
        facts: fromConfig('almalinux9-5.14.0').withOs(rocky95).with('netfilter', 'iptables', nftIptables).build(),
        workloads: [legacyImage],
        message: 'iptables-nft',
      },
      {
        name: 'legacy workload on RHEL 9 identified by os-release alone',
        facts: fromConfig('rhel9-5.14.0').withOs({ id: 'rhel', versionId: '9.3', family: 'rhel' }).build(),
        workloads: [legacyImage],
        message: 'ships only iptables-nft',
      },
      {
        // Talos 6.18 builds without NETFILTER_XTABLES_LEGACY: no ip_tables at all.
        name: 'legacy workload on Talos 6.18.45 (legacy xtables compiled out)',
        facts: fromConfig('talos-6.18.45').build(),
        workloads: [legacyImage],
        message: 'NETFILTER_XTABLES_LEGACY',
      },
      {
        // antrea#7755: Antrea 2.5.1 on Talos 1.12.2 (Linux 6.18, no legacy xtables, no iptables on the host): its old
        // iptables-wrapper counted zero rules in both backends, took legacy and the agent exited
        name: 'Antrea (old iptables-wrapper) on Talos 6.18.45 with no host iptables',
        facts: fromConfig('talos-6.18.45')
          .withOs({ id: 'talos', versionId: '1.12.2', family: 'talos' })
          .with('netfilter', 'nfTablesActive', known(true, '/sys/module/nf_tables'))
          .with('netfilter', 'iptables', unknown(['/usr/sbin/iptables', '/sbin/iptables'], 'no iptables on the host'))
          .build(),
        workloads: ['antrea'],
        workload: 'antrea',
        requirement: 'iptables',
        outcome: 'warn',
        message: "fails with \"can't initialize iptables table\"",
      },
      {
        // hand-made: the same kernel with a host iptables wired to legacy, which any wrapper follows into a backend
        // the kernel lacks, whatever it does on a tie
        name: 'Calico on a Talos 6.18.45 kernel whose host iptables is iptables-legacy',
        facts: fromConfig('talos-6.18.45').with('netfilter', 'iptables', legacyIptables).build(),
        workloads: ['calico'],
        workload: 'calico',
        requirement: 'iptables',
        message: 'legacy support: unavailable',
      },
    ],
    pass: [
      {
        name: 'fixed kube-router image (iptables-wrapper) on the same Rocky 9.5-like host',
        facts: fromConfig('almalinux9-5.14.0').withOs(rocky95).with('netfilter', 'iptables', nftIptables).build(),
        workloads: ['kube-router'],
        workload: 'kube-router',
      },
      {
        // hand-made host: the same kernel with an iptables-nft of the host's own, which kubelet creates its hint chain
        // and KUBE-FIREWALL rules with before any CNI starts
        name: 'Calico (Felix Auto) on Talos 6.18.45 kernel whose host iptables is iptables-nft',
        facts: fromConfig('talos-6.18.45').with('netfilter', 'iptables', nftIptables).build(),
        workloads: ['calico'],
        workload: 'calico',
        requirement: 'iptables',
        message: 'kernel nft support: available',
      },
      {
        name: 'legacy workload on a Debian 10 host that uses iptables-legacy',
        facts: fromConfig('debian10-4.19').with('netfilter', 'iptables', legacyIptables).build(),
        workloads: [legacyImage],
      },
    ],
    unknown: [
      {
        name: 'legacy workload, kernel config only: the host backend is not known',
        facts: fromConfig('debian12-6.1.159').build(),
        workloads: [legacyImage],
      },
      {
        // a kernel config says nothing of the host's tools, so whether Antrea's old wrapper meets a tie is open
        name: 'Antrea (old iptables-wrapper), Talos 6.18.45 kernel config only',
        facts: fromConfig('talos-6.18.45').build(),
        workloads: ['antrea'],
        workload: 'antrea',
        requirement: 'iptables',
      },
    ],
  };
}

const bootMountUnit = '/usr/lib/systemd/system/proc-sys-fs-binfmt_misc.mount';

export function binfmtLifetimeCases(): CheckTable {
  return {
    fail: [
      {
        // Bottlerocket 1.23 (kernel 6.1.107+) without a host binfmt_misc mount: bottlerocket#4215.
        name: 'qemu-binfmt on Bottlerocket 6.1.163 with binfmt_misc not mounted on the host',
        facts: fromConfig('bottlerocket-6.1.163').withBinfmtMounts([]).with('binfmt', 'bootMount', known([], '/usr/lib/systemd/system')).build(),
        workloads: ['qemu-binfmt'],
        workload: 'qemu-binfmt',
        message: '6.1.107',
      },
    ],
    pass: [
      {
        // core-kit#206 enables proc-sys-fs-binfmt_misc.mount at boot.
        name: 'same kernel with systemd mounting binfmt_misc at boot',
        facts: fromConfig('bottlerocket-6.1.163').withBinfmtMounts(['/proc/sys/fs/binfmt_misc']).with('binfmt', 'bootMount', known([bootMountUnit], bootMountUnit)).build(),
        workloads: ['qemu-binfmt'],
        workload: 'qemu-binfmt',
      },
      {
        name: 'Talos 6.1.74 predates the 6.1.107 backport: registrations stay pinned',
        facts: fromConfig('talos-6.1.74').withBinfmtMounts([]).with('binfmt', 'bootMount', known([], '/usr/lib/systemd/system')).build(),
        workloads: ['qemu-binfmt'],
        workload: 'qemu-binfmt',
      },
    ],
    unknown: [
      {
        name: 'kernel config only: 6.1.163 clears on unmount, host mounts unknown',
        facts: fromConfig('bottlerocket-6.1.163').build(),
        workloads: ['qemu-binfmt'],
        workload: 'qemu-binfmt',
      },
    ],
  };
}

export function cgroupV1Cases(): CheckTable {
  const guest = fixtureProfile('kata-3.13-guest');
  return {
    fail: [
      {
        // Debian 13's 6.12 leaves CPUSETS_V1 and MEMCG_V1 unset, like the Kata guest kernel 6.12 (kata#10603).
        name: 'Kata 3.13 guest agent on Debian 13 6.12.63 (CPUSETS_V1 unset)',
        facts: fromConfig('debian13-6.12.63').build(),
        workloads: [guest],
        requirement: 'cpuset-v1',
        message: 'CONFIG_CPUSETS_V1 is not set',
      },
      {
        name: 'upstream x86_64 defconfig 6.12.68',
        facts: fromConfig('upstream-x86_64_defconfig-6.12.68').build(),
        workloads: [guest],
        requirement: 'cpuset-v1',
      },
      {
        name: 'built-in kata-containers profile warns (v1 controllers optional since Kata 3.14)',
        facts: fromConfig('debian13-6.12.63').build(),
        workloads: ['kata-containers'],
        requirement: 'guest-cpuset-v1',
      },
    ],
    pass: [
      {
        name: 'same guest on Bottlerocket 6.12.73, which keeps CPUSETS_V1=y and MEMCG_V1=y',
        facts: fromConfig('bottlerocket-6.12.73').build(),
        workloads: [guest],
      },
      {
        name: 'same guest on Debian 12 6.1.159 (before the v1 options existed)',
        facts: fromConfig('debian12-6.1.159').build(),
        workloads: [guest],
      },
    ],
    unknown: [
      {
        name: 'no kernel config and no /proc/cgroups',
        facts: factsBuilder().build(),
        workloads: [guest],
      },
    ],
  };
}

export function nftChainCases(): CheckTable {
  const before = fixtureProfile('submariner-0.20-nftables');
  return {
    fail: [
      {
        // submariner#3355 was on kind nodes; the route/postrouting cell is rejected on every kernel.
        name: 'Submariner before PR 3361 (route chain on postrouting) on Debian 13 6.12.63',
        facts: fromConfig('debian13-6.12.63').build(),
        workloads: [before],
        message: 'rejected by every kernel',
      },
      {
        name: 'netdev egress chain on Debian 11 5.10.223 (egress arrived in 5.16)',
        facts: fromConfig('debian11-5.10.223').build(),
        workloads: [fixtureProfile('netdev-egress')],
        message: 'not supported by this kernel',
      },
      {
        name: 'no kernel config: the pre-fix route/postrouting chain is still rejected',
        facts: factsBuilder().build(),
        workloads: [before],
      },
    ],
    pass: [
      {
        name: 'Submariner after PR 3361 (filter chain on postrouting) on Debian 13 6.12.63',
        facts: fromConfig('debian13-6.12.63').build(),
        workloads: ['submariner'],
        requirement: 'mss-clamp-chain',
      },
      {
        name: 'netdev egress chain on Debian 13 6.12.63',
        facts: fromConfig('debian13-6.12.63').build(),
        workloads: [fixtureProfile('netdev-egress')],
      },
    ],
    unknown: [
      {
        // a structurally valid chain needs kernel support, which is unknown without a config
        // (the route/postrouting chain is rejected even then: no kernel accepts it)
        name: 'Submariner filter/postrouting chain, no kernel config',
        facts: factsBuilder().build(),
        workloads: ['submariner'],
        requirement: 'mss-clamp-chain',
      },
    ],
  };
}
