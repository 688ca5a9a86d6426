// What every collector receives: the filesystem to read and what earlier collectors already established.
import type { HostFs } from '../host/host-fs.ts';
import type { GunzipMemo } from './kernel/decode-config.ts';

export interface CollectContext {
  readonly fs: HostFs;
  /** Kernel release when already known (uname -r, or the only tree in /lib/modules, or a package name). */
  readonly release: string | undefined;
  /**
   * True when the fs is not a running system (kernel package, image-like tree): /proc and /sys facts are then
   * unknown with that reason instead of being looked for.
   */
  readonly offline: boolean;
  /** Decompressed kernel configs remembered between runs (the CLI's private cache); none in the library by default. */
  readonly gunzipMemo?: GunzipMemo;
  /**
   * Sysctl keys to read besides the ones container networking always needs (netfilter/collect.ts NETFILTER_SYSCTLS):
   * what the profiles being checked ask for (a --kb profile's vm.max_map_count).
   */
  readonly sysctls?: readonly string[];
}
