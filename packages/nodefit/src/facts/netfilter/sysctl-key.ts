// Sysctl keys in one place: what one may be (profiles are refused, remediation files written, only with it) and where
// /proc/sys holds it.

/**
 * Dot- or slash-separated names as sysctl(8) and sysctl.d(5) take them; upper case and "." inside a slash-separated
 * name occur in interface names (net/ipv4/conf/eth0.100/rp_filter). A leading "-" is refused because sysctl.d(5) reads
 * it as "ignore a failure to set this", which would hide the very fix the file is for.
 */
export function isSysctlKey(k: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_-]*([./][A-Za-z0-9_-]+)*$/.test(k);
}

/** Dots become slashes and slashes dots: the two spellings of one key. */
function swapSeparators(key: string): string {
  return key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/**
 * The key as sysctl -a prints it: dots between names, "/" for a dot inside one (net.ipv4.conf.eth0/100.rp_filter).
 * As in sysctl.d(5) and procps, the first separator decides: a key whose first is "/" is in the path form, and its dots
 * belong to names.
 */
export function canonicalSysctlKey(key: string): string {
  const first = /[./]/.exec(key)?.[0];
  return first === '/' ? swapSeparators(key) : key;
}

/** The /proc/sys file of a key in either form. */
export function sysctlPath(key: string): string {
  return `/proc/sys/${swapSeparators(canonicalSysctlKey(key))}`;
}

/**
 * The sysctls container networking depends on, each read from /proc/sys (the reader's network namespace, so a
 * DaemonSet needs hostNetwork for these to be the node's):
 * - net.ipv4.ip_forward, net.ipv6.conf.all.forwarding: pod traffic is routed through the node (kubeadm preflight
 *   requires ip_forward=1; dual-stack needs the IPv6 one).
 * - net.bridge.bridge-nf-call-iptables / -ip6tables: bridged pod traffic only reaches iptables (kube-proxy
 *   Services) when these are 1 (kubeadm preflight; Kubernetes network-plugin docs).
 * - net.netfilter.nf_conntrack_max: kube-proxy raises it; a low value drops connections under load.
 * - net.ipv4.conf.all.rp_filter: strict mode (1) drops asymmetric pod traffic (Cilium and Calico docs ask for 0 or 2).
 */
export const NETFILTER_SYSCTLS = [
  'net.ipv4.ip_forward',
  'net.ipv6.conf.all.forwarding',
  'net.bridge.bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables',
  'net.netfilter.nf_conntrack_max',
  'net.ipv4.conf.all.rp_filter',
] as const;
