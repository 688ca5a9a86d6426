// The modules whose contents a kernel-package tree keeps and whose dependencies nodefit derives: every module the
// knowledge base names (src/kb/generated/workloads.json), plus a floor of incident modules in case the KB shrinks.
import workloads from '../../kb/generated/workloads.json' with { type: 'json' };
import { foldModuleName } from '../../facts/modules/module-name.ts';

/** From ../shared/reference/incidents.md: the modules the five incidents revolve around. */
const FLOOR = [
  'ip_tables', 'iptable_nat', 'iptable_mangle', 'iptable_raw', 'iptable_filter', 'ip6_tables', 'ip6table_mangle', 'ip6table_raw',
  'ip6table_filter', 'xt_socket', 'openvswitch', 'nf_tables', 'nft_compat', 'x_tables', 'br_netfilter', 'overlay', 'binfmt_misc',
  'vxlan', 'geneve', 'ip_vs', 'vhost_vsock', 'vhost_net',
];

/** Collects `anyOf` names of every requirement of kind "module", whatever nesting the generated file uses. */
function kbModules(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) kbModules(n, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as Record<string, unknown>;
  if (o.kind === 'module' && Array.isArray(o.anyOf)) {
    for (const m of o.anyOf) if (typeof m === 'string') out.add(foldModuleName(m));
  }
  for (const v of Object.values(o)) if (typeof v === 'object') kbModules(v, out);
}

let cached: ReadonlySet<string> | undefined;

export function neededModules(): ReadonlySet<string> {
  if (cached === undefined) {
    const s = new Set<string>(FLOOR);
    kbModules(workloads, s);
    cached = s;
  }
  return cached;
}
