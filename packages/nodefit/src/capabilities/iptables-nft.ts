// Whether iptables-nft can work: it speaks nf_tables but needs the xtables compat layer (nft_compat) for the matches
// and targets it still expresses as xtables extensions, plus the IPv4/IPv6 nf_tables families.
// Sources: net/netfilter/Kconfig (NFT_COMPAT "depends on NETFILTER_XTABLES"), net/ipv4/netfilter/Kconfig
// (NF_TABLES_IPV4 bool since the families were folded into nf_tables.ko, ~4.17); RHEL 10 moved nft_compat's
// companions into kernel-modules-extra-matched (kubernetes/kops#17789), which is why module files win over config.
import type { HostFacts } from '../facts/snapshot.ts';
import type { Availability } from './capabilities.ts';
import { capability, type Capability, type Evidence } from './capability.ts';
import { configOption, factEvidence, modulePresence, type ConfigRead } from './facts-view.ts';
import { deriveModuleLoading } from './module-loading.ts';

interface Part {
  readonly option: string;
  /** Module that carries it when built as m; undefined for bool options folded into nf_tables. */
  readonly module?: string;
}

const PARTS: readonly Part[] = [
  { option: 'NF_TABLES', module: 'nf_tables' },
  { option: 'NFT_COMPAT', module: 'nft_compat' },
  { option: 'NETFILTER_XTABLES', module: 'x_tables' },
  { option: 'NF_TABLES_IPV4' },
  { option: 'NF_TABLES_IPV6' },
];

export function deriveIptablesNft(facts: HostFacts): Capability<Availability> {
  const ev: Evidence[] = [];
  const problems: string[] = [];
  let unknownCount = 0;
  const loading = deriveModuleLoading(facts);

  for (const part of PARTS) {
    const cfg = configOption(facts, part.option);
    const presence = part.module === undefined ? undefined : modulePresence(facts, part.module);
    if (presence !== undefined && (presence.kind === 'loaded' || presence.kind === 'builtin')) {
      ev.push(presence.evidence);
      continue;
    }
    ev.push(cfg.evidence);
    const state = judge(cfg, part, presence, loading.value);
    if (presence !== undefined && presence.kind === 'file') ev.push(presence.evidence);
    if (presence !== undefined && presence.kind === 'missing') ev.push(...presence.evidence);
    if (state === 'ok') continue;
    if (state === 'unknown') unknownCount++;
    else problems.push(state);
  }
  // nf_tables live without its module entries (e.g. facts from /sys/module only).
  const active = facts.netfilter.nfTablesActive;
  if (active.state === 'known') ev.push(factEvidence('netfilter.nfTablesActive', active, String));

  if (problems.length > 0) return capability<Availability>('unavailable', problems.join('; '), ev);
  if (unknownCount > 0) {
    return capability<Availability>('unknown', 'nf_tables / nft_compat state could not be established (no kernel config, no module tree, not live)', ev);
  }
  return capability<Availability>('available', 'nf_tables, nft_compat, xtables and the IPv4/IPv6 nf_tables families are present', ev);
}

/** "ok", "unknown", or the reason it is missing. */
function judge(
  cfg: ConfigRead,
  part: Part,
  presence: ReturnType<typeof modulePresence> | undefined,
  loading: Availability | 'unknown',
): string {
  if (presence?.kind === 'file') {
    return loading === 'unavailable' ? `${part.module} is a module file but modules cannot be loaded` : 'ok';
  }
  if (presence?.kind === 'missing') {
    if (cfg.kind === 'set' && cfg.value === 'y') return 'ok';
    return `${part.module}.ko* is not in the module tree (CONFIG_${part.option}=${cfg.kind === 'set' ? cfg.value : 'absent'})`;
  }
  if (cfg.kind === 'no-config') return 'unknown';
  if (cfg.kind === 'absent') {
    // Absent from a full config means its dependencies were not met (kconfig writes "is not set" otherwise).
    return `CONFIG_${part.option} is absent from the kernel config`;
  }
  if (cfg.value === 'y') return 'ok';
  if (cfg.value === 'm') {
    if (part.module === undefined) return 'ok';
    return loading === 'unavailable' ? `CONFIG_${part.option}=m but modules cannot be loaded` : 'ok';
  }
  return `CONFIG_${part.option} is not set`;
}
