// The full set of derived capabilities: one place that names them, so checks, renderers and the report agree.
import type { Capability } from './capability.ts';

export type Availability = 'available' | 'unavailable';
export type CompressionKind = 'none' | 'gzip' | 'xz' | 'zstd' | 'mixed';
export type NftFamily = 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';
export type NftChainType = 'filter' | 'nat' | 'route';
export type NftHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting' | 'ingress' | 'egress';

export interface NftCell {
  readonly family: NftFamily;
  readonly type: NftChainType;
  readonly hook: NftHook;
  /** accepted: the kernel takes this base chain; rejected: never valid; unsupported: valid in principle, missing here. */
  readonly verdict: 'accepted' | 'rejected' | 'unsupported' | 'unknown';
  readonly reason: string;
}

export interface Capabilities {
  /** Legacy xtables (ip_tables, iptable_*) can be used: built in, loaded, or a loadable module exists. */
  readonly iptablesLegacy: Capability<Availability>;
  /** nf_tables with the xtables compat needed by iptables-nft. */
  readonly iptablesNft: Capability<Availability>;
  /** How module files are compressed: files win over config; "mixed" when they disagree. */
  readonly moduleCompression: Capability<CompressionKind>;
  /** The format the kernel decompresses itself (MODULE_DECOMPRESS, /sys/module/compression), or "none". */
  readonly inKernelDecompression: Capability<'none' | 'gzip' | 'xz' | 'zstd'>;
  /** v1 controllers the kernel can mount (e.g. cpuset and memory disappear without CPUSETS_V1 / MEMCG_V1). */
  readonly cgroupV1Controllers: Capability<readonly string[]>;
  readonly cgroupV2Controllers: Capability<readonly string[]>;
  /** binfmt_misc drops every registration when its last mount goes away (6.7 mainline; stable backports). */
  readonly binfmtClearsOnUnmount: Capability<boolean>;
  /** Family × type × hook: which base chains the kernel accepts. */
  readonly nftChains: Capability<readonly NftCell[]>;
  /** Module loading possible at all: CONFIG_MODULES, modules_disabled. */
  readonly moduleLoading: Capability<Availability>;
}

export type CapabilityName = keyof Capabilities;
