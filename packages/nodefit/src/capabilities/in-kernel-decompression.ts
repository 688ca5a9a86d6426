// The format the kernel decompresses itself (finit_module with MODULE_INIT_COMPRESSED_FILE): with it, kmod >= 33 and
// busybox >= 1.37 can load modules they cannot decompress (incidents.md Case 1).
// Sources: kernel/module/decompress.c (compression_show → /sys/module/compression, only with MODULE_DECOMPRESS);
// b1ae6dc41eaa (5.17) "module: add in-kernel support for decompressing"; on 6.12+ MODULE_DECOMPRESS depends on
// MODULE_COMPRESS (c7ff693fa209) and decompresses the chosen MODULE_COMPRESS_<type>.
import type { HostFacts } from '../facts/snapshot.ts';
import { capability, type Capability, type Evidence } from './capability.ts';
import { configCompression } from './compression-config.ts';
import { configOption, factEvidence, isLive } from './facts-view.ts';

type Kind = 'none' | 'gzip' | 'xz' | 'zstd';

export function deriveInKernelDecompression(facts: HostFacts): Capability<Kind> {
  const sys = facts.modules.kernelDecompression;
  const ev: Evidence[] = [factEvidence('modules.kernelDecompression', sys, (v) => v ?? 'absent')];
  if (sys.state === 'known') {
    if (sys.value === null) {
      return capability<Kind>('none', '/sys/module/compression is absent: the running kernel has no MODULE_DECOMPRESS', ev);
    }
    return capability<Kind>(sys.value, `/sys/module/compression says ${sys.value}`, ev);
  }
  const dec = configOption(facts, 'MODULE_DECOMPRESS');
  ev.push(dec.evidence);
  if (dec.kind === 'no-config') {
    return capability<Kind>('unknown', isLive(facts) ? '/sys/module/compression could not be read and no kernel config is available' : 'no kernel config and no live /sys to read', ev);
  }
  if (dec.kind === 'absent' || dec.value === 'n') {
    return capability<Kind>(
      'none',
      dec.kind === 'absent' ? 'the kernel config has no MODULE_DECOMPRESS (before 5.17, or modules not compressed)' : 'CONFIG_MODULE_DECOMPRESS is not set',
      ev,
    );
  }
  const cc = configCompression(facts);
  if (cc !== undefined) ev.push(...cc.evidence);
  const chosen = cc?.chosen ?? (cc?.installed !== 'none' ? cc?.installed : undefined);
  if (chosen === undefined) {
    return capability<Kind>('unknown', 'CONFIG_MODULE_DECOMPRESS=y but no MODULE_COMPRESS_<type> is chosen in the config', ev);
  }
  return capability<Kind>(chosen, `CONFIG_MODULE_DECOMPRESS=y with CONFIG_MODULE_COMPRESS_${chosen.toUpperCase()}=y`, ev);
}
