// A Kubernetes node's churn between two checks, applied to a copy of this machine (host-copy.ts): the mounts pods add
// (real, pod-mounts.ts), module reference counts and cgroup counts that move, and changes a check does read.
/**
 * Hand-made /proc/modules of a Kubernetes node in the kernel's format (kernel/module/procfs.c m_show): this machine's
 * kernel has its modules built in, so it has no /proc/modules of its own.
 */
export const NODE_MODULES = [
  'xt_conntrack 16384 4 - Live 0x0000000000000000',
  'nft_chain_nat 16384 7 - Live 0x0000000000000000',
  'xt_MASQUERADE 16384 2 - Live 0x0000000000000000',
  'nf_nat 61440 3 nft_chain_nat,xt_MASQUERADE, Live 0x0000000000000000',
  'nf_conntrack 184320 3 xt_conntrack,xt_MASQUERADE,nf_nat, Live 0x0000000000000000',
  'br_netfilter 32768 0 - Live 0x0000000000000000',
  'bridge 311296 1 br_netfilter, Live 0x0000000000000000',
  'veth 40960 0 - Live 0x0000000000000000',
  'overlay 200704 12 - Live 0x0000000000000000',
  'nf_tables 303104 112 nft_chain_nat, Live 0x0000000000000000',
  'ip_tables 32768 0 - Live 0x0000000000000000',
  '',
].join('\n');

/** What pods coming and going do to /proc/modules: every count moves, nothing loads or unloads. */
export function churnedModules(text: string, counts: readonly number[]): string {
  return text
    .split('\n')
    .map((l, i) => l.replace(/^(\S+ \d+ )\d+/, (_m, head: string) => `${head}${counts[i % counts.length] ?? 0}`))
    .join('\n');
}

/** What they do to /proc/cgroups: every controller's num_cgroups moves. */
export function churnedCgroups(text: string, counts: readonly number[]): string {
  let i = 0;
  return text.replace(/^([a-z_]+\t\d+\t)\d+/gm, (_m, head: string) => `${head}${counts[i++ % counts.length] ?? 1}`);
}

