// Host × image check (k0s kube-router incident): is the image's iptables wired to the backend the host uses, and does
// the kernel have it? Facts: incidents.md case 2 (k0sproject/k0s#5328, iptables-wrappers).
import type { Evidence } from '../../capabilities/capability.ts';
import type { Check, CheckResult } from '../check.ts';
import { hostIptablesBackend, type IptablesBackend as Backend, undecidedLegacyOutcome } from '../host-iptables-backend.ts';
import { binaryEvidence } from './image-evidence.ts';

export const imageIptablesBackendCheck: Check = {
  meta: {
    id: 'image-iptables-backend',
    title: "The image's iptables uses a different backend than the host",
    description:
      "Host × image form of iptables-backend-mismatch. nodefit follows the image's iptables (PATH, then /sbin/iptables) through its symlinks: xtables-legacy-multi is legacy, xtables-nft-multi is nft, iptables-wrapper picks the host's backend at first run; a wrapper script that breaks a tie of rule counts towards legacy (iptables-wrappers before its v2 tag) warns on a kernel without legacy xtables when the host gives kubelet no iptables to write rules with (antrea#7755). A hard-wired backend that differs from the host's puts the workload's rules in a different kernel subsystem (k0s v1.31.2 kube-router on Rocky Linux 9.5 crash-looped); a backend the kernel lacks fails outright. The image pattern from that case is reported too: /iptables-wrapper and /iptables-wrapper-installer.sh shipped, but the installer never ran, so /sbin/iptables still points at xtables-legacy-multi.",
    defaultSeverity: 'error',
    references: [
      'https://github.com/k0sproject/k0s/issues/5328',
      'https://github.com/k0sproject/k0s/pull/5348',
      'https://github.com/kubernetes-sigs/iptables-wrappers',
      'https://github.com/antrea-io/antrea/issues/7755',
      'https://github.com/cloudnativelabs/kube-router/issues/1641',
    ],
    remediation: [
      { os: 'any', text: 'Build the image with iptables-wrapper installed (run iptables-wrapper-installer.sh in the Dockerfile) and both backends present, or wire iptables to the host\'s backend.' },
      { os: 'rhel', text: 'RHEL 9 ships only iptables-nft and RHEL 10 has no legacy xtables in the kernel: use images wired to nft or to iptables-wrapper.' },
    ],
  },
  evaluate(ctx) {
    const image = ctx.image;
    if (image === undefined) return [];
    const ipt = image.iptables;
    if (ipt === null) return [{ workload: null, outcome: 'not-applicable', message: `${image.reference} has no iptables`, evidence: [] }];
    const host = hostIptablesBackend(ctx.facts);
    const caps = ctx.capabilities;
    const evidence: Evidence[] = [
      binaryEvidence(image, 'image.iptables', ipt.binary),
      { fact: 'image.iptables.mode', value: ipt.mode, source: image.reference },
      ...(ipt.wrapperUndecided === undefined ? [] : [{ fact: 'image.iptables.wrapperUndecided', value: ipt.wrapperUndecided, source: image.reference }]),
      ...(ipt.wrapperFiles.length > 0 ? [{ fact: 'image.iptables.wrapperFiles', value: ipt.wrapperFiles.join(', '), source: image.reference }] : []),
      ...host.evidence,
      { fact: 'capabilities.iptablesLegacy', value: String(caps.iptablesLegacy.value), source: caps.iptablesLegacy.reason },
      { fact: 'capabilities.iptablesNft', value: String(caps.iptablesNft.value), source: caps.iptablesNft.reason },
    ];
    const where = `${ipt.binary.chain.join(' -> ')} in ${image.reference}`;
    const notInstalled = ipt.wrapperNotInstalled
      ? ` The image ships ${ipt.wrapperFiles.join(' and ')} but the wrapper was never installed (run iptables-wrapper-installer.sh at build time).`
      : '';
    const result = (outcome: CheckResult['outcome'], message: string): CheckResult[] => [{ workload: null, outcome, message, evidence }];
    if (ipt.mode === 'wrapper') {
      if (host.backend !== 'unknown' && !ipt.backendsPresent.includes(host.backend))
        return result('fail', `${where} is iptables-wrapper, which will pick ${host.backend} (${host.why}), but the image has no ${host.backend} backend (xtables-${host.backend}-multi)`);
      const avail = host.backend === 'unknown' ? 'unknown' : host.backend === 'legacy' ? caps.iptablesLegacy.value : caps.iptablesNft.value;
      if (avail === 'unavailable') return result('fail', `${where} is iptables-wrapper and will pick ${host.backend}, which the kernel lacks`);
      const tie = ipt.wrapperUndecided === 'legacy' ? undecidedLegacyOutcome(ctx.facts, caps, host) : null;
      if (tie !== null) return result(tie.outcome, `${where} is an iptables-wrapper that compares rule counts with -ge (legacy on a tie), and ${tie.message}`);
      return result('pass', `${where} is iptables-wrapper: it follows the host's backend${host.backend !== 'unknown' ? ` (${host.backend}: ${host.why})` : ''}`);
    }
    if (ipt.mode === 'unknown') return result('unknown', `could not tell which backend ${where} uses`);
    const mine: Backend = ipt.mode;
    const kernel = mine === 'legacy' ? caps.iptablesLegacy : caps.iptablesNft;
    if (kernel.value === 'unavailable')
      return result('fail', `${where} is iptables-${mine}, and the kernel has no ${mine === 'legacy' ? 'legacy xtables' : 'nf_tables'} support (${kernel.reason}): it will fail with "can't initialize iptables table".${notInstalled}`);
    if (host.backend === 'unknown') return result('unknown', `${where} is iptables-${mine}; ${host.why}, so a mismatch cannot be ruled out.${notInstalled}`);
    if (host.backend !== mine)
      return result('fail', `${where} is iptables-${mine} but the host uses ${host.backend} (${host.why}): the workload's rules land in a different kernel subsystem than the host's.${notInstalled}`);
    return result(ipt.wrapperNotInstalled ? 'warn' : 'pass', `${where} is iptables-${mine}, like the host (${host.why}).${notInstalled}`);
  },
};
