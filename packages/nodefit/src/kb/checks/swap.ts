// Generic requirement check: swap is off where a workload refuses to run with it (kubelet's failSwapOn).
import type { Check } from '../check.ts';
import { judgeRequirements, requirementLabel, requirementsOfKind } from '../requirement-eval.ts';

const SWAPS_FACT = 'kernel.swaps';

export const swapCheck: Check = {
  meta: {
    id: 'swap',
    title: 'Swap off where a workload requires it',
    description:
      'kubelet reads /proc/swaps at start and exits with "running with swap on is not supported, please disable swap! or set --fail-swap-on flag to false" when any swap area is active and failSwapOn is true, its default (validateSwapConfiguration in pkg/kubelet/cm/container_manager_linux.go). A missing /proc/swaps (a kernel without CONFIG_SWAP) counts as swap off, as it does for kubelet. Swap support for pods (NodeSwap, memorySwap.swapBehavior) still needs failSwapOn: false, so a node meant to swap is a deliberate kubelet configuration, which nodefit cannot see: the finding is a warning. The check reads the live /proc/swaps; for offline targets it is unknown.',
    defaultSeverity: 'warning',
    references: [
      'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/cm/container_manager_linux.go',
      'https://kubernetes.io/docs/concepts/cluster-administration/swap-memory-management/',
    ],
    // each text stands alone: a report shows the one for the host's OS family instead of the general one
    remediation: [
      { os: 'any', text: 'Turn swap off (swapoff -a) and remove it from /etc/fstab and any systemd swap unit, or set failSwapOn: false in the kubelet configuration (with memorySwap.swapBehavior: NoSwap to keep pods out of it).' },
      { os: 'ubuntu', text: 'swapoff -a, then delete the swap line in /etc/fstab and the file it names (/swap.img from the server installer, /swapfile on desktops); or set failSwapOn: false in the kubelet configuration.' },
      { os: 'rhel', text: 'swapoff -a and delete the swap line in /etc/fstab (RHEL and its rebuilds use a swap partition or logical volume). Fedora swaps to zram through zram-generator: also create an empty /etc/systemd/zram-generator.conf (or remove zram-generator-defaults) so it stays off after reboot. Or set failSwapOn: false in the kubelet configuration.' },
    ],
  },
  evaluate(ctx) {
    const swaps = ctx.facts.kernel.swaps;
    return judgeRequirements(ctx, requirementsOfKind(ctx, 'swap'), ({ workload, req }) => {
      if (swaps === undefined) return { workload: workload.id, requirement: req, outcome: 'unknown', message: 'swap unknown: these facts were collected by a nodefit that did not read /proc/swaps', evidence: [] };
      if (swaps.state !== 'known') return { workload: workload.id, requirement: req, outcome: 'unknown', message: `swap unknown (${swaps.reason})`, evidence: [] };
      const evidence = [{ fact: SWAPS_FACT, value: swaps.value.length === 0 ? '(none)' : swaps.value.join(', '), source: swaps.source }];
      if (swaps.value.length === 0) return { workload: workload.id, requirement: req, outcome: 'pass', message: 'swap is off', evidence };
      return { workload: workload.id, requirement: req, outcome: 'fail', message: `swap is on (${swaps.value.join(', ')}); ${requirementLabel(req)} needs it off`, evidence };
    });
  },
};
