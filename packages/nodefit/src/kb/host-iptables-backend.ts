// The iptables backend the host's own tooling uses, decided in one place: the workload check and the image check each
// compare against it, and two readings of the same host could contradict each other in one report.
import type { Evidence } from '../capabilities/capability.ts';
import type { Capabilities } from '../capabilities/capabilities.ts';
import type { HostFacts } from '../facts/snapshot.ts';
import { parseKernelVersion } from './version-range.ts';

export type IptablesBackend = 'legacy' | 'nft';

export interface HostIptablesBackend {
  readonly backend: IptablesBackend | 'unknown';
  /**
   * What decided it: the host's own iptables binary, the OS release (RHEL 9+ ships only iptables-nft), or the tables
   * the kernel has in use, which say what is programmed but not which iptables the host's own tools (kubelet) run.
   */
  readonly basis: 'binary' | 'os-release' | 'kernel-tables' | 'none';
  /** Why, as a clause for a message ("the host's /usr/sbin/iptables is iptables-nft"). */
  readonly why: string;
  /** The facts consulted on the way, known ones only. */
  readonly evidence: Evidence[];
}

/**
 * The host's iptables binary decides when it is known. Otherwise RHEL 9 and later ship only iptables-nft: that comes
 * before the legacy tables in the kernel, because on such a host those are made by a legacy-wired workload itself
 * (kube-router's, in the k0s#5328 crash loop) and do not show what the host uses. Then legacy tables in use, then
 * nf_tables in use without any legacy table.
 */
export function hostIptablesBackend(facts: HostFacts): HostIptablesBackend {
  const nf = facts.netfilter;
  const evidence: Evidence[] = [];
  if (nf.iptables.state === 'known') {
    const { kind, path, chain } = nf.iptables.value;
    evidence.push({ fact: 'netfilter.iptables', value: `${chain.join(' -> ')} (${kind})`, source: nf.iptables.source });
    if (kind === 'legacy' || kind === 'nft') return { backend: kind, basis: 'binary', why: `the host's ${path} is iptables-${kind}`, evidence };
  }
  const os = facts.os.release;
  if (os.state === 'known' && os.value.family === 'rhel' && os.value.versionId !== undefined) {
    const v = parseKernelVersion(`${os.value.versionId}.0`);
    if (v !== null && v[0] >= 9) {
      evidence.push({ fact: 'os.release', value: `${os.value.id} ${os.value.versionId}`, source: os.source });
      return { backend: 'nft', basis: 'os-release', why: `${os.value.id} ${os.value.versionId} ships only iptables-nft`, evidence };
    }
  }
  if (nf.legacyTablesV4.state === 'known') {
    const tables = nf.legacyTablesV4.value;
    evidence.push({ fact: 'netfilter.legacyTablesV4', value: tables.join(', ') || '(none)', source: nf.legacyTablesV4.source });
    if (tables.length > 0) return { backend: 'legacy', basis: 'kernel-tables', why: `legacy iptables tables are in use (${tables.join(', ')})`, evidence };
  }
  if (nf.nfTablesActive.state === 'known' && nf.nfTablesActive.value) {
    evidence.push({ fact: 'netfilter.nfTablesActive', value: 'true', source: nf.nfTablesActive.source });
    return { backend: 'nft', basis: 'kernel-tables', why: 'nf_tables is in use and no legacy table is', evidence };
  }
  return { backend: 'unknown', basis: 'none', why: "the host's own iptables backend is unknown", evidence };
}

/**
 * What becomes of a wrapper that takes legacy when the host shows nothing, on a kernel without legacy xtables. What
 * the host shows at the workload's start is kubelet's doing: kubelet (1.24+) creates KUBE-IPTABLES-HINT and a few
 * KUBE-FIREWALL rules with the host's iptables, so where that is iptables-nft both kinds of detector land on nft (the
 * old rule-counting script sees only the rules, Felix reads the hint first). This leans on kubelet running the host's
 * own iptables and still writing those rules, which Kubernetes does not promise (kubernetes#129826). Without one
 * (nftables-only hosts such as Talos, where a kubelet with kubernetes#129826 creates no hint; kube-proxy in nftables
 * mode adds no iptables rules) both backends count zero and legacy wins: antrea#7755's "can't initialize iptables
 * table". Null when the usual judgement applies: the tie cannot happen, the kernel has no nf_tables either (a wrapper
 * fails whatever it picks), the host's iptables is legacy (a wrapper following it fails anyway), or it is nft.
 */
export function undecidedLegacyOutcome(facts: HostFacts, caps: Pick<Capabilities, 'iptablesLegacy' | 'iptablesNft'>, host: HostIptablesBackend, detail?: string): { outcome: 'warn' | 'unknown'; message: string } | null {
  if (caps.iptablesLegacy.value !== 'unavailable' || caps.iptablesNft.value === 'unavailable') return null;
  if (host.basis === 'binary' || host.basis === 'os-release') return null;
  const what = `this kernel has no legacy xtables, and the workload's detection picks legacy when no iptables-nft rules exist at its start (and, for a detector that reads it, no KUBE-IPTABLES-HINT chain)`;
  const why = detail === undefined ? '' : `: ${detail}`;
  // a kernel config or module tree alone says nothing about the host's tools: whether this bites is not known
  if (facts.netfilter.nfTablesActive.state !== 'known') {
    return { outcome: 'unknown', message: `${what}; whether kubelet on the host makes some depends on its iptables, which this target does not show${why}` };
  }
  return { outcome: 'warn', message: `${what}; this host has no iptables of its own for kubelet to make them with (${facts.netfilter.iptables.state === 'unknown' ? facts.netfilter.iptables.reason : 'not legacy or nft'}), so it fails with "can't initialize iptables table"${why}` };
}
