// Which nft base chains the kernel can ever accept (family × type × hook), since which version and with which config,
// and the nearest valid alternative for one it refuses. Sources: net/netfilter/nft_chain_filter.c, nft_chain_nat.c,
// nft_chain_route.c (hook masks); nf_tables_api.c nft_chain_parse_hook() (-EOPNOTSUPP for a hook outside the type's
// mask and for nat priority <= NF_IP_PRI_CONNTRACK); incidents.md Case 5 (matrix, versions, Submariner).

export interface ValidCell {
  readonly valid: true;
  /** First mainline release with this cell. */
  readonly since: readonly [number, number];
  /** Kernel config options that must all be y/m (each entry: any of the alternatives). */
  readonly config: readonly (readonly string[])[];
  readonly note: string;
}

export interface InvalidCell {
  readonly valid: false;
  /** Why no kernel accepts it, in words. */
  readonly why: string;
}

export type CellRule = ValidCell | InvalidCell;

/** NF_IP_PRI_CONNTRACK: a nat chain at or below it is refused (nf_tables_api.c). */
export const NAT_PRIORITY_FLOOR = -200;

const INET_HOOKS = ['prerouting', 'input', 'forward', 'output', 'postrouting'];

function v(since: readonly [number, number], config: readonly (readonly string[])[], note: string): ValidCell {
  return { valid: true, since, config, note };
}

const FAMILY_CONFIG: Readonly<Record<string, readonly string[]>> = {
  ip: ['NF_TABLES_IPV4'],
  ip6: ['NF_TABLES_IPV6'],
  inet: ['NF_TABLES_INET'],
  arp: ['NF_TABLES_ARP'],
  bridge: ['NF_TABLES_BRIDGE'],
  netdev: ['NF_TABLES_NETDEV'],
};

/** Hooks each family has at all (nft userspace refuses the rest: "The <family> family does not support this hook"). */
export const FAMILY_HOOKS: Readonly<Record<string, readonly string[]>> = {
  ip: INET_HOOKS,
  ip6: INET_HOOKS,
  inet: [...INET_HOOKS, 'ingress'],
  arp: ['input', 'output'],
  bridge: INET_HOOKS,
  netdev: ['ingress', 'egress'],
};

export function chainRule(family: string, type: string, hook: string): CellRule {
  const famCfg = FAMILY_CONFIG[family];
  if (famCfg === undefined) return { valid: false, why: `"${family}" is not an nftables family` };
  if (type !== 'filter' && type !== 'nat' && type !== 'route') return { valid: false, why: `"${type}" is not a chain type (filter, nat, route)` };
  const hooks = FAMILY_HOOKS[family] ?? [];
  if (!hooks.includes(hook)) {
    return { valid: false, why: `the ${family} family has no ${hook} hook (it has ${hooks.join(', ')})` };
  }
  const base = [['NF_TABLES'], famCfg];
  if (type === 'route') {
    if (family === 'ip' || family === 'ip6' || family === 'inet') {
      if (hook !== 'output') return { valid: false, why: 'route chains exist only on the output hook (nft_chain_route.c hook_mask = NF_INET_LOCAL_OUT)' };
      const legacyOpt = family === 'ip' ? 'NFT_CHAIN_ROUTE_IPV4' : family === 'ip6' ? 'NFT_CHAIN_ROUTE_IPV6' : undefined;
      // built into nf_tables since 5.2 (c1deb065cf3b); before that a separate option per family
      return v(family === 'inet' ? [5, 2] : [3, 13], legacyOpt === undefined ? base : [...base], `route type${legacyOpt === undefined ? '' : ` (before 5.2: CONFIG_${legacyOpt})`}`);
    }
    return { valid: false, why: `the ${family} family has no route chain type` };
  }
  if (type === 'nat') {
    if (family === 'ip' || family === 'ip6' || family === 'inet') {
      if (hook === 'forward') return { valid: false, why: 'nat chains have no forward hook (nft_chain_nat.c: prerouting, input, output, postrouting)' };
      if (hook === 'ingress') return { valid: false, why: 'nat chains have no ingress hook' };
      const natOpt = ['NFT_NAT', family === 'ip6' ? 'NFT_CHAIN_NAT_IPV6' : 'NFT_CHAIN_NAT_IPV4'];
      return v(family === 'inet' ? [5, 2] : [3, 13], [...base, natOpt], 'nat type');
    }
    return { valid: false, why: `the ${family} family has no nat chain type` };
  }
  // filter
  if (family === 'arp') return v([3, 13], base, 'arp filter');
  if (family === 'netdev') {
    if (hook === 'egress') return v([5, 16], [...base, ['NETFILTER_EGRESS']], 'netdev egress (42df6e1d221d, 5.16)');
    return v([4, 2], [...base, ['NETFILTER_INGRESS']], 'netdev ingress (4.2)');
  }
  if (family === 'inet' && hook === 'ingress') return v([5, 10], [...base, ['NETFILTER_INGRESS']], 'inet ingress (d3519cb89f6d, 5.10)');
  if (family === 'inet') return v([3, 14], base, 'inet filter');
  return v([3, 13], base, `${family} filter`);
}

/** The nearest base chain that does what the refused one was meant to do, as nft syntax plus a reason. */
export function nearestAlternative(family: string, type: string, hook: string, priority: number | undefined): string {
  if (type === 'route') {
    if (hook === 'output') return `route chains need an ip, ip6 or inet table; in ${family} use "type filter hook output priority mangle"`;
    const prio = family === 'bridge' ? 'filter' : 'mangle';
    return (
      `route chains belong on output ("type route hook output priority mangle", for locally generated packets that must be rerouted after a mark/address change); ` +
      `to mangle or clamp MSS in ${hook} use "type filter hook ${hook} priority ${prio}"` +
      (hook === 'postrouting' ? ' (what iptables-nft does for the mangle table and Submariner does since PR #3361)' : '')
    );
  }
  if (type === 'nat') {
    if (family !== 'ip' && family !== 'ip6' && family !== 'inet') {
      return family === 'bridge'
        ? 'the bridge family has no nat type: use "type filter hook prerouting priority dstnat" (or postrouting srcnat) with nat statements where the kernel supports them'
        : `the ${family} family has no nat type: do NAT in an ip, ip6 or inet table`;
    }
    if (hook === 'forward') return 'nat chains cannot hook forward: use "type nat hook prerouting priority dstnat" for DNAT, "type nat hook postrouting priority srcnat" for SNAT/masquerade, and "type filter hook forward" to filter';
    if (hook === 'ingress') return 'nat chains cannot hook ingress: use "type nat hook prerouting priority dstnat"';
    if (priority !== undefined && priority <= NAT_PRIORITY_FLOOR) {
      return `nat priority must be > ${NAT_PRIORITY_FLOOR} (conntrack runs at -200): use "priority dstnat" (-100) in prerouting, "priority srcnat" (100) in postrouting, or a number above -200 (e.g. -100 / 100) on output and input`;
    }
  }
  const hooks = FAMILY_HOOKS[family];
  if (hooks !== undefined && !hooks.includes(hook)) {
    if (hook === 'ingress') return 'ingress needs "table netdev … { chain … { type filter hook ingress device DEV priority filter; } }" (or an inet table on 5.10+)';
    if (hook === 'egress') return 'egress needs "table netdev … { chain … { type filter hook egress device DEV priority filter; } }" (5.16+, CONFIG_NETFILTER_EGRESS)';
    return `the ${family} family has ${hooks.join(', ')}; pick one of those or use an inet table`;
  }
  if (family === 'inet' && hook === 'ingress') return 'on kernels before 5.10 use "table netdev … hook ingress device DEV"';
  if (family === 'netdev' && hook === 'egress') return 'no nftables alternative before 5.16 / without CONFIG_NETFILTER_EGRESS: use a tc clsact egress filter';
  if (family === 'inet' && (type === 'nat' || type === 'route')) return `on kernels before 5.2 use separate ip and ip6 tables for ${type} chains`;
  return 'no nearer alternative known';
}
