// Which nftables base chains (family × type × hook) this kernel accepts. nft reports every refusal as
// 'Chain of type "X" is not supported, perhaps kernel support is missing?' (EOPNOTSUPP from
// nf_tables_api.c nft_chain_parse_hook()), so a matrix is the only way to tell "never valid" from "not in this kernel".
// Hook masks, read from mainline net/netfilter/nft_chain_filter.c, nft_chain_nat.c and nft_chain_route.c:
//   filter ip/ip6: pre,in,fwd,out,post; inet: the same + ingress; arp: in,out; bridge: pre,in,fwd,out,post;
//   netdev: ingress, egress.  nat ip/ip6/inet: pre,in,out,post (never forward).  route ip/ip6/inet: out only.
// Versions and options (incidents.md Case 5): ip/ip6 filter/nat/route 3.13; inet family 3.14; netdev 4.2
// (NETFILTER_INGRESS); inet nat 5.2 (d164385ec572); route merged into nf_tables core 5.2 (c1deb065cf3b, before that
// NFT_CHAIN_ROUTE_IPV4/IPV6; inet route from then on); nat chain types merged into nft_chain_nat (NFT_NAT) in 5.1,
// before that NFT_CHAIN_NAT_IPV4/IPV6; inet ingress 5.10 (60a3815da702, d3519cb89f6d); netdev egress 5.16
// (42df6e1d221d, NETFILTER_EGRESS).
import type { HostFacts } from '../facts/snapshot.ts';
import { parseKernelVersion } from '../util/kernel-version.ts';
import type { NftCell, NftChainType, NftFamily, NftHook } from './capabilities.ts';
import { capability, type Capability, type Evidence } from './capability.ts';
import { configOption, enabled, type ConfigRead } from './facts-view.ts';
import { upstreamBase } from './kernel-base.ts';

export const NFT_FAMILIES: readonly NftFamily[] = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];
export const NFT_TYPES: readonly NftChainType[] = ['filter', 'nat', 'route'];
export const NFT_HOOKS: readonly NftHook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress'];

interface Rule {
  readonly since: string;
  readonly source: string;
  /** Extra config option needed for this hook (NETFILTER_INGRESS / NETFILTER_EGRESS). */
  readonly hookOption?: string;
}

const INET5: readonly NftHook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting'];
const NAT_HOOKS: readonly NftHook[] = ['prerouting', 'input', 'output', 'postrouting'];

/** The mainline matrix: cells absent here are rejected by every kernel. */
function rule(family: NftFamily, type: NftChainType, hook: NftHook): Rule | undefined {
  const filterSrc = 'net/netfilter/nft_chain_filter.c';
  const natSrc = 'net/netfilter/nft_chain_nat.c';
  const routeSrc = 'net/netfilter/nft_chain_route.c';
  switch (type) {
    case 'filter':
      if (family === 'ip' || family === 'ip6') return INET5.includes(hook) ? { since: '3.13', source: filterSrc } : undefined;
      if (family === 'inet') {
        if (INET5.includes(hook)) return { since: '3.14', source: filterSrc };
        if (hook === 'ingress') return { since: '5.10', source: `${filterSrc} (inet ingress, 60a3815da702/d3519cb89f6d)`, hookOption: 'NETFILTER_INGRESS' };
        return undefined;
      }
      if (family === 'arp') return hook === 'input' || hook === 'output' ? { since: '3.13', source: filterSrc } : undefined;
      if (family === 'bridge') return INET5.includes(hook) ? { since: '3.13', source: filterSrc } : undefined;
      // netdev
      if (hook === 'ingress') return { since: '4.2', source: filterSrc, hookOption: 'NETFILTER_INGRESS' };
      if (hook === 'egress') return { since: '5.16', source: `${filterSrc} (egress hook, 42df6e1d221d)`, hookOption: 'NETFILTER_EGRESS' };
      return undefined;
    case 'nat':
      if (!NAT_HOOKS.includes(hook)) return undefined;
      if (family === 'ip' || family === 'ip6') return { since: '3.13', source: natSrc };
      if (family === 'inet') return { since: '5.2', source: `${natSrc} (inet nat, d164385ec572)` };
      return undefined;
    case 'route':
      if (hook !== 'output') return undefined;
      if (family === 'ip' || family === 'ip6') return { since: '3.13', source: routeSrc };
      if (family === 'inet') return { since: '5.2', source: `${routeSrc} (route type in nf_tables core, c1deb065cf3b)` };
      return undefined;
  }
}

const FAMILY_OPTION: Record<NftFamily, string> = {
  ip: 'NF_TABLES_IPV4',
  ip6: 'NF_TABLES_IPV6',
  inet: 'NF_TABLES_INET',
  arp: 'NF_TABLES_ARP',
  bridge: 'NF_TABLES_BRIDGE',
  netdev: 'NF_TABLES_NETDEV',
};

interface Version {
  /** Numeric base to gate on, when trustworthy. */
  readonly base?: string;
  /** The release's own x.y.z when the base is hidden (vendor kernels only ever add features on top of it). */
  readonly floor?: string;
  readonly note: string;
}

function versionOf(facts: HostFacts): Version {
  const b = upstreamBase(facts);
  if (b.known) return { base: b.base, note: b.how };
  const rel = b.evidence[0]?.value;
  const p = rel === undefined ? undefined : parseKernelVersion(rel);
  if (p === undefined) return { note: b.reason };
  return { floor: `${p.major}.${p.minor}.${p.patch}`, note: b.reason };
}

function cmp(a: string, b: string): number {
  const pa = parseKernelVersion(a)!;
  const pb = parseKernelVersion(b)!;
  return pa.major - pb.major || pa.minor - pb.minor || pa.patch - pb.patch;
}

const cell = (family: NftFamily, type: NftChainType, hook: NftHook, verdict: NftCell['verdict'], reason: string): NftCell => ({
  family,
  type,
  hook,
  verdict,
  reason,
});

/** The verdict for one cell from static facts (no probes). Exported for nft-lint. */
export function nftCellVerdict(family: NftFamily, type: NftChainType, hook: NftHook, facts: HostFacts): NftCell {
  return staticVerdict(family, type, hook, facts, versionOf(facts));
}

function staticVerdict(family: NftFamily, type: NftChainType, hook: NftHook, facts: HostFacts, ver: Version): NftCell {
  const r = rule(family, type, hook);
  if (r === undefined) {
    return cell(family, type, hook, 'rejected', rejectionReason(family, type, hook));
  }
  // Version gate.
  let versionOk: boolean | undefined;
  let versionNote: string;
  if (ver.base !== undefined) {
    versionOk = cmp(ver.base, r.since) >= 0;
    versionNote = `${ver.base} ${versionOk ? '>=' : '<'} ${r.since}`;
  } else if (ver.floor !== undefined && cmp(ver.floor, r.since) >= 0) {
    versionOk = true;
    versionNote = `${ver.floor} >= ${r.since}`;
  } else if (ver.floor !== undefined) {
    versionNote = `${ver.note}; mainline added this in ${r.since} and the vendor may have backported it`;
  } else {
    versionNote = ver.note;
  }
  if (versionOk === false) {
    return cell(family, type, hook, 'unsupported', `${family} ${type} ${hook} needs kernel ${r.since}+ (${r.source}); this kernel is ${versionNote}`);
  }

  // Config gates.
  if (facts.kernel.config.state !== 'known') {
    return cell(
      family,
      type,
      hook,
      'unknown',
      `no kernel config to check CONFIG_NF_TABLES/${FAMILY_OPTION[family]}${versionOk === true ? ` (version ${versionNote} is fine, ${r.source})` : `; ${versionNote}`}`,
    );
  }
  const missing: string[] = [];
  const need = (name: string, treatAbsentAsMissing = true): ConfigRead => {
    const o = configOption(facts, name);
    if (!enabled(o) && (o.kind === 'set' || treatAbsentAsMissing)) missing.push(`CONFIG_${name}${o.kind === 'set' ? ` is not set` : ' is absent'}`);
    return o;
  };
  need('NF_TABLES');
  need(FAMILY_OPTION[family]);
  if (r.hookOption !== undefined) need(r.hookOption);
  if (type === 'nat') {
    const oldOpt = family === 'ip' ? 'NFT_CHAIN_NAT_IPV4' : family === 'ip6' ? 'NFT_CHAIN_NAT_IPV6' : undefined;
    const old = oldOpt === undefined ? undefined : configOption(facts, oldOpt);
    if (old !== undefined && old.kind === 'set') {
      if (!enabled(old)) missing.push(`CONFIG_${oldOpt} is not set`);
    } else {
      need('NFT_NAT');
    }
  }
  if (type === 'route' && family !== 'inet') {
    const oldOpt = family === 'ip' ? 'NFT_CHAIN_ROUTE_IPV4' : 'NFT_CHAIN_ROUTE_IPV6';
    const old = configOption(facts, oldOpt);
    // Before 5.2 the route type was its own module; from 5.2 it is part of nf_tables and the option is gone.
    if (old.kind === 'set' && !enabled(old)) missing.push(`CONFIG_${oldOpt} is not set (route type module before 5.2)`);
  }
  if (missing.length > 0) {
    return cell(family, type, hook, 'unsupported', `${family} ${type} ${hook} is valid (${r.source}) but ${missing.join(', ')}`);
  }
  if (versionOk === undefined) {
    return cell(family, type, hook, 'unknown', `config has the options, but ${versionNote}`);
  }
  return cell(family, type, hook, 'accepted', `${r.source}; kernel ${versionNote}; config enables ${FAMILY_OPTION[family]}${type === 'nat' ? ' and nat' : ''}`);
}

function rejectionReason(family: NftFamily, type: NftChainType, hook: NftHook): string {
  if (type === 'route') {
    if (family === 'arp' || family === 'bridge' || family === 'netdev') return `no "route" chain type exists for the ${family} family (nft_chain_route.c: ip, ip6, inet only)`;
    return `"route" chains only attach to the output hook (nft_chain_route.c hook_mask = NF_INET_LOCAL_OUT); use "type filter hook ${hook}"`;
  }
  if (type === 'nat') {
    if (family === 'arp' || family === 'bridge' || family === 'netdev') return `no "nat" chain type exists for the ${family} family (nft_chain_nat.c: ip, ip6, inet only)`;
    if (hook === 'forward') return 'nat chains never attach to forward (nft_chain_nat.c hook_mask: prerouting, input, output, postrouting)';
    return `nat chains do not attach to ${hook} (nft_chain_nat.c)`;
  }
  if (hook === 'ingress' || hook === 'egress') {
    return `${hook} is not a hook of the ${family} family (nft_chain_filter.c: ingress on inet/netdev, egress on netdev only)`;
  }
  return `the ${family} family has no ${hook} hook for filter chains (nft_chain_filter.c)`;
}

/** The whole matrix, with probe results (when present) taking precedence over the static verdicts. */
export function deriveNftChains(facts: HostFacts): Capability<readonly NftCell[]> {
  const ver = versionOf(facts);
  const probe = facts.probes?.nftChains;
  const probed = new Map<string, { accepted: boolean; error?: string }>();
  if (probe !== undefined && probe.state === 'known') {
    for (const p of probe.value) probed.set(`${p.family}/${p.type}/${p.hook}`, p);
  }
  const cells: NftCell[] = [];
  let disagreements = 0;
  for (const f of NFT_FAMILIES) {
    for (const t of NFT_TYPES) {
      for (const h of NFT_HOOKS) {
        const s = staticVerdict(f, t, h, facts, ver);
        const p = probed.get(`${f}/${t}/${h}`);
        if (p === undefined) {
          cells.push(s);
          continue;
        }
        const pv: NftCell['verdict'] = p.accepted ? 'accepted' : s.verdict === 'rejected' ? 'rejected' : 'unsupported';
        const probeText = p.accepted ? 'probe: the kernel accepted it' : `probe: the kernel refused it${p.error !== undefined ? ` (${p.error})` : ''}`;
        if (pv !== s.verdict && s.verdict !== 'unknown') disagreements++;
        cells.push(cell(f, t, h, pv, pv === s.verdict ? `${probeText}; ${s.reason}` : `${probeText}; static analysis said ${s.verdict}: ${s.reason}`));
      }
    }
  }
  const evidence: Evidence[] = [];
  for (const name of ['NF_TABLES', 'NF_TABLES_IPV4', 'NF_TABLES_IPV6', 'NF_TABLES_INET', 'NF_TABLES_ARP', 'NF_TABLES_BRIDGE', 'NF_TABLES_NETDEV', 'NFT_NAT', 'NETFILTER_INGRESS', 'NETFILTER_EGRESS']) {
    evidence.push(configOption(facts, name).evidence);
  }
  if (probe !== undefined) {
    evidence.push({
      fact: 'probes.nftChains',
      value: probe.state === 'known' ? `${probe.value.length} cells probed` : 'unknown',
      source: probe.state === 'known' ? probe.source : probe.reason,
    });
  }
  const count = (v: NftCell['verdict']) => cells.filter((c) => c.verdict === v).length;
  const summary = `${count('accepted')} accepted, ${count('unsupported')} unsupported, ${count('rejected')} never valid, ${count('unknown')} unknown (${ver.note})`;
  return capability<readonly NftCell[]>(
    cells,
    disagreements > 0
      ? `${summary}; ${disagreements} probe result(s) override the static analysis`
      : probe?.state === 'known'
        ? `${summary}; the probe confirmed all ${probe.value.length} probed cells`
        : summary,
    evidence,
  );
}
