// Pass / fail / unknown tables for the generic requirement checks, mostly from corpus configs and real module trees.
import { parseProcSwaps } from '../../../src/facts/kernel/parse-proc-swaps.ts';
import { known } from '../../../src/facts/fact.ts';
import type { CheckTable } from '../../../src/kb/testing/check-tester.ts';
import { factsBuilder } from '../../helpers/facts-builder.ts';
import { fromConfig, fromDebianTree } from '../support.ts';

export function kernelOptionCases(): CheckTable {
  return {
    pass: [
      { name: 'flannel VXLAN on Debian 12 6.1.159', facts: fromConfig('debian12-6.1.159').build(), workloads: ['flannel'], requirement: 'vxlan' },
      // RHEL 9 backported 6.1's removal of MEMCG_SWAP: AlmaLinux 9.7's full config has no such line at all.
      { name: 'containerd MEMCG_SWAP folded into MEMCG and SWAP on AlmaLinux 9.7 5.14.0-611', facts: fromConfig('almalinux9-5.14.0-611').build(), workloads: ['containerd'], requirement: 'memcg-swap', message: 'folded into CONFIG_MEMCG=y and CONFIG_SWAP=y' },
    ],
    fail: [
      // x86_64_defconfig has "# CONFIG_VXLAN is not set".
      { name: 'flannel VXLAN on the upstream x86_64 defconfig 6.12.68', facts: fromConfig('upstream-x86_64_defconfig-6.12.68').build(), workloads: ['flannel'], requirement: 'vxlan', message: 'CONFIG_VXLAN' },
      // the 4.14 defconfig has no MEMCG: an absent MEMCG_SWAP there is not a folded one
      { name: 'containerd MEMCG_SWAP on the upstream x86_64 defconfig 4.14.356 (no MEMCG)', facts: fromConfig('upstream-x86_64_defconfig-4.14.356').build(), workloads: ['containerd'], requirement: 'memcg-swap', message: 'CONFIG_MEMCG_SWAP is not y/m (absent)' },
      // hand-made 5.14 full configs: MEMCG_SWAP "is not set" is a choice, not a removal; without SWAP nothing was folded
      { name: 'containerd MEMCG_SWAP set to n in a full 5.14 config (hand-made)', facts: factsBuilder().withConfig({ MEMCG_SWAP: 'n', MEMCG: 'y', SWAP: 'y' }, { headerVersion: '5.14.0' }).build(), workloads: ['containerd'], requirement: 'memcg-swap', message: 'CONFIG_MEMCG_SWAP is not y/m (n)' },
      { name: 'containerd MEMCG_SWAP absent from a full 5.14 config without SWAP (hand-made)', facts: factsBuilder().withConfig({ MEMCG: 'y', SWAP: 'n' }, { headerVersion: '5.14.0' }).build(), workloads: ['containerd'], requirement: 'memcg-swap', message: 'CONFIG_MEMCG_SWAP is not y/m (absent)' },
      // Docker 28's port publishing (moby#49557): the 6.12 defconfig has legacy iptables but "# CONFIG_IP_NF_RAW is not set"
      { name: 'containerd IP_NF_RAW on the upstream x86_64 defconfig 6.12.68', facts: fromConfig('upstream-x86_64_defconfig-6.12.68').build(), workloads: ['containerd'], requirement: 'ip-nf-raw', message: 'CONFIG_IP_NF_RAW is not y/m (n)' },
    ],
    unknown: [{ name: 'no kernel config', facts: factsBuilder().build(), workloads: ['flannel'], requirement: 'vxlan' }],
  };
}

export function kernelModuleCases(): CheckTable {
  return {
    pass: [
      { name: 'br_netfilter file in the real Debian 6.12 tree', facts: fromDebianTree('kernel-6.12').build(), workloads: ['flannel'], requirement: 'br-netfilter', message: 'br_netfilter.ko.xz' },
      { name: 'ip_tables from IP_NF_IPTABLES=y on Bottlerocket 6.1.163', facts: fromConfig('bottlerocket-6.1.163').build(), workloads: ['cilium'], requirement: 'ip-tables', message: 'built into the kernel' },
    ],
    fail: [
      // Cilium's IPv4 legacy modules do not apply on this nft-only kernel, but the IPv6 ones stop an IPv6-enabled agent.
      { name: 'ip6_tables on Talos 6.18.45 (no IP6_NF_IPTABLES_LEGACY)', facts: fromConfig('talos-6.18.45').build(), workloads: ['cilium'], requirement: 'ip6-tables', message: 'CONFIG_IP6_NF_IPTABLES_LEGACY=(absent)' },
      {
        // hand-made: an "install br_netfilter /bin/true" override, the Bottlerocket allowed=false mechanism.
        name: 'br_netfilter disabled by an install override',
        facts: fromDebianTree('kernel-6.12')
          .with('modules', 'modprobe', known({ files: ['/etc/modprobe.d/deny.conf'], blacklist: [], install: { br_netfilter: '/bin/true' }, options: {} }, '/etc/modprobe.d'))
          .build(),
        workloads: ['flannel'],
        requirement: 'br-netfilter',
        message: 'install br_netfilter /bin/true',
      },
    ],
    unknown: [{ name: 'no module tree and no kernel config', facts: factsBuilder().build(), workloads: ['flannel'], requirement: 'br-netfilter' }],
  };
}

export function kernelVersionCases(): CheckTable {
  return {
    pass: [
      { name: 'kube-proxy nftables on Debian 13 6.12.63', facts: fromConfig('debian13-6.12.63').build(), workloads: ['kube-proxy-nftables'] },
      // the hierarchy is the live host's (set by hand here); the kernel is the real Debian 12 one
      { name: 'kubelet on a cgroup v2 Debian 12 6.1.159 host', facts: fromConfig('debian12-6.1.159').withCgroupMode('v2').build(), workloads: ['kubelet'], requirement: 'cgroup-v2-kernel' },
    ],
    fail: [
      { name: 'kube-proxy nftables on AlmaLinux 8 4.18.0-553', facts: fromConfig('almalinux8-4.18').build(), workloads: ['kube-proxy-nftables'] },
      // RHEL 8 can boot cgroup v2 (systemd.unified_cgroup_hierarchy=1), below the 5.8 Kubernetes asks for
      { name: 'kubelet on a cgroup v2 AlmaLinux 8 4.18.0-553 host', facts: fromConfig('almalinux8-4.18').withCgroupMode('v2').build(), workloads: ['kubelet'], requirement: 'cgroup-v2-kernel', message: 'is not >=5.8' },
    ],
    unknown: [{ name: 'kube-proxy nftables, version unknown (Fedora config without header)', facts: fromConfig('fedora36-5.17.3').build(), workloads: ['kube-proxy-nftables'] }],
  };
}

export function cgroupControllerCases(): CheckTable {
  return {
    pass: [{ name: 'kubelet pids on Debian 12 6.1.159', facts: fromConfig('debian12-6.1.159').build(), workloads: ['kubelet'], requirement: 'pids' }],
    fail: [
      // upstream x86_64_defconfig: "# CONFIG_MEMCG is not set".
      { name: 'kubelet memory on the upstream x86_64 defconfig 6.12.68', facts: fromConfig('upstream-x86_64_defconfig-6.12.68').build(), workloads: ['kubelet'], requirement: 'memory' },
    ],
    unknown: [{ name: 'no kernel config, no cgroup facts', facts: factsBuilder().build(), workloads: ['kubelet'], requirement: 'pids' }],
  };
}

const qemuAarch64 = {
  name: 'qemu-aarch64',
  enabled: true,
  interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P',
  flags: 'POCF',
  type: 'magic' as const,
  offset: 0,
  magic: '7f454c460201010000000000000000000200b700',
  mask: 'ffffffffffffff00fffffffffffffffffeffffff',
};

export function binfmtHandlerCases(): CheckTable {
  return {
    // hand-made: live binfmt_misc entries (offline targets have none).
    pass: [{ name: 'qemu-aarch64 registered', facts: factsBuilder().withArch('x86_64').with('binfmt', 'entries', known([qemuAarch64], '/proc/sys/fs/binfmt_misc')).build(), workloads: ['qemu-binfmt'], requirement: 'aarch64' }],
    fail: [
      { name: 'no handlers registered', facts: factsBuilder().withArch('x86_64').with('binfmt', 'entries', known([], '/proc/sys/fs/binfmt_misc')).build(), workloads: ['qemu-binfmt'], requirement: 'aarch64', outcome: 'fail' },
    ],
    unknown: [{ name: 'kernel config only', facts: fromConfig('debian12-6.1.159').build(), workloads: ['qemu-binfmt'], requirement: 'aarch64' }],
  };
}

export function sysctlCases(): CheckTable {
  return {
    // hand-made: /proc/sys values of a live host.
    pass: [{ name: 'ip_forward enabled', facts: factsBuilder().with('netfilter', 'sysctls', known({ 'net.ipv4.ip_forward': '1' }, '/proc/sys')).build(), workloads: ['kubelet'] }],
    fail: [{ name: 'ip_forward disabled', facts: factsBuilder().with('netfilter', 'sysctls', known({ 'net.ipv4.ip_forward': '0' }, '/proc/sys')).build(), workloads: ['kubelet'] }],
    unknown: [{ name: 'offline target', facts: fromConfig('debian12-6.1.159').build(), workloads: ['kubelet'] }],
  };
}

/** /proc/swaps as mm/swapfile.c swap_show writes it (header, then one line per area; tabs between the columns). */
const SWAPS_HEADER = 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n';

export function swapCases(): CheckTable {
  const swaps = (text: string) => known(parseProcSwaps(text), '/proc/swaps');
  return {
    // hand-made: /proc/swaps of live hosts, in the kernel's own format.
    pass: [
      { name: 'header only: swap off', facts: factsBuilder().with('kernel', 'swaps', swaps(SWAPS_HEADER)).build(), workloads: ['kubelet'], requirement: 'swap-off' },
      { name: 'no /proc/swaps (CONFIG_SWAP unset)', facts: factsBuilder().with('kernel', 'swaps', known([], '/proc/swaps absent: the kernel has no swap support')).build(), workloads: ['kubelet'], requirement: 'swap-off' },
    ],
    fail: [
      { name: 'a swap partition', facts: factsBuilder().with('kernel', 'swaps', swaps(`${SWAPS_HEADER}/dev/dm-1                               partition\t16760828\t0\t\t-2\n`)).build(), workloads: ['kubelet'], requirement: 'swap-off', message: 'swap is on (/dev/dm-1)' },
      // the kernel pads the path with spaces (%*s), and escapes a space inside it; a deleted swap file stays listed
      { name: 'a deleted swap file, padded with spaces', facts: factsBuilder().with('kernel', 'swaps', swaps(`${SWAPS_HEADER}/var/swap\\040(deleted)                    file            1048572         0               -2\n`)).build(), workloads: ['kubelet'], requirement: 'swap-off', message: 'swap is on (/var/swap (deleted))' },
      { name: "Ubuntu's /swap.img and a zram device", facts: factsBuilder().with('kernel', 'swaps', swaps(`${SWAPS_HEADER}/swap.img\tfile\t\t4194300\t\t0\t\t-2\n/dev/zram0\tpartition\t8388604\t0\t100\n`)).build(), workloads: ['kubelet'], requirement: 'swap-off', message: 'swap is on (/swap.img, /dev/zram0)' },
    ],
    unknown: [{ name: 'offline target', facts: fromConfig('debian12-6.1.159').build(), workloads: ['kubelet'], requirement: 'swap-off' }],
  };
}
