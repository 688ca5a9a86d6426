// Incident check (k0s kube-router on Rocky 9.5): a workload hard-wired to one iptables backend on a host using the other.
import type { Evidence } from '../../capabilities/capability.ts';
import type { Check } from '../check.ts';
import { judgeRequirements, requirementsOfKind } from '../requirement-eval.ts';
import { hostIptablesBackend, type IptablesBackend as Backend, undecidedLegacyOutcome } from '../host-iptables-backend.ts';

export const iptablesBackendMismatchCheck: Check = {
  meta: {
    id: 'iptables-backend-mismatch',
    title: 'Workload iptables backend does not match the host',
    description:
      'iptables has two kernel backends: legacy xtables (ip_tables, iptable_*) and nf_tables (iptables-nft). A workload whose image hard-wires one backend writes its rules into a different kernel subsystem than the host and the other components, or fails outright when the kernel has no legacy xtables (RHEL 10, kernels >= 6.9 without IP_NF_IPTABLES_LEGACY, NETFILTER_XTABLES_LEGACY unset). k0s v1.31.2 shipped kube-router with /sbin/iptables -> xtables-legacy-multi; on Rocky Linux 9.5 (nft-only userspace) it crash-looped with "can\'t initialize iptables table". Workloads using iptables-wrapper follow the host and pass as long as the host\'s backend exists in the kernel, with one exception: a detector that takes legacy when the host shows nothing (old iptables-wrapper scripts, Calico Felix) on a kernel without legacy xtables warns on a host with no iptables of its own, where kubelet leaves it nothing to follow, because Antrea 2.5 failed that way on Talos 1.12 (antrea#7755); a kernel config alone leaves that unknown.',
    defaultSeverity: 'error',
    references: [
      'https://github.com/k0sproject/k0s/issues/5328',
      'https://github.com/k0sproject/k0s/pull/5348',
      'https://github.com/kubernetes-sigs/iptables-wrappers',
      'https://github.com/cloudnativelabs/kube-router/issues/1641',
      'https://lore.kernel.org/netfilter-devel/20240118161726.14838-1-fw@strlen.de/',
      'https://github.com/antrea-io/antrea/issues/7755',
      'https://github.com/kubernetes-sigs/iptables-wrappers/blob/master/pkg/xtables/detect.go',
      'https://github.com/kubernetes/kubernetes/pull/109059',
    ],
    remediation: [
      { os: 'any', text: 'Use an image that ships iptables-wrapper with both backends (or one matching the host); as a last resort load iptable_filter/iptable_nat on the host, which mixes backends.' },
      { os: 'any', text: 'Where the workload\'s detection would pick legacy on a kernel without it: use an image with the iptables-wrappers Go wrapper (Antrea with #7729), set the backend explicitly (Calico: FELIX_IPTABLESBACKEND=NFT), or give kubelet an iptables-nft so it creates KUBE-IPTABLES-HINT.' },
      { os: 'talos', text: 'Talos 1.12 (Linux 6.18) has no legacy xtables and no iptables on the host: pin the workload to nft (Calico: FELIX_IPTABLESBACKEND=NFT) or use an Antrea image with #7729.' },
      { os: 'rhel', text: 'RHEL 9 ships only iptables-nft and RHEL 10 has no legacy modules: the workload must use the nft backend.' },
    ],
  },
  evaluate(ctx) {
    const reqs = requirementsOfKind(ctx, 'iptables-backend');
    if (reqs.length === 0) return [{ workload: null, outcome: 'not-applicable', message: 'no selected workload programs iptables', evidence: [] }];
    const host = hostIptablesBackend(ctx.facts);
    const caps = { legacy: ctx.capabilities.iptablesLegacy, nft: ctx.capabilities.iptablesNft };
    const capEv = (b: Backend): Evidence => ({ fact: `capabilities.iptables${b === 'legacy' ? 'Legacy' : 'Nft'}`, value: String(caps[b].value), source: caps[b].reason });
    return judgeRequirements(ctx, reqs, ({ workload, req }) => {
      const base = { workload: workload.id, requirement: req };
      if (req.backend === 'wrapper') {
        const tie = req.undecidedPicks === 'legacy' ? undecidedLegacyOutcome(ctx.facts, ctx.capabilities, host, req.description) : null;
        if (tie !== null) return { ...base, ...tie, evidence: [...host.evidence, capEv('legacy')] };
        const b = host.backend;
        if (b === 'unknown') {
          const any = caps.nft.value === 'available' || caps.legacy.value === 'available';
          const none = caps.nft.value === 'unavailable' && caps.legacy.value === 'unavailable';
          return { ...base, outcome: any ? 'pass' : none ? 'fail' : 'unknown', message: any ? 'iptables-wrapper picks the host backend; the kernel has at least one' : none ? 'the kernel has neither legacy xtables nor nf_tables with xtables compat' : 'iptables backends of this kernel unknown', evidence: [capEv('legacy'), capEv('nft')] };
        }
        const cap = caps[b];
        return { ...base, outcome: cap.value === 'available' ? 'pass' : cap.value === 'unavailable' ? 'fail' : 'unknown', message: `iptables-wrapper follows the host (${host.why}); kernel ${b} support: ${cap.value}`, evidence: [...host.evidence, capEv(b)] };
      }
      const want: Backend = req.backend;
      const cap = caps[want];
      if (cap.value === 'unavailable') return { ...base, outcome: 'fail', message: `the workload uses iptables-${want} but the kernel has no ${want} backend: ${cap.reason}`, evidence: [capEv(want)] };
      if (host.backend !== 'unknown' && host.backend !== want)
        return { ...base, outcome: 'fail', message: `the workload uses iptables-${want} but ${host.why}: its rules land in a different kernel subsystem (or its tables do not exist)`, evidence: [...host.evidence, capEv(want)] };
      if (host.backend === 'unknown') return { ...base, outcome: 'unknown', message: `the workload uses iptables-${want}; ${host.why} (kernel ${want}: ${cap.value})`, evidence: [...host.evidence, capEv(want)] };
      return { ...base, outcome: cap.value === 'available' ? 'pass' : 'unknown', message: `the workload and the host both use iptables-${want}`, evidence: [...host.evidence, capEv(want)] };
    });
  },
};
