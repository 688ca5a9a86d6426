// How module files are compressed: what a container's modprobe must be able to read. The files themselves are the
// truth (distributions compress at packaging time whatever Kconfig says); the config is the fallback.
// Packaging: Fedora/RHEL kernel.spec compresses every module with xz ("%define zipmodules 1"), so RHEL 9's
// MODULE_COMPRESS_NONE=y still ships .ko.xz. Bottlerocket changed format three times (incidents.md Case 1).
import type { HostFacts } from '../facts/snapshot.ts';
import type { CompressionKind } from './capabilities.ts';
import { capability, type Capability, type Evidence } from './capability.ts';
import { configCompression, type Compression } from './compression-config.ts';
import { kernelRelease } from './facts-view.ts';

export function deriveModuleCompression(facts: HostFacts): Capability<CompressionKind> {
  const files = facts.modules.files;
  const cfg = configCompression(facts);
  const ev: Evidence[] = [];

  if (files.state === 'known' && Object.keys(files.value).length > 0) {
    const counts = new Map<Compression, number>();
    for (const f of Object.values(files.value)) counts.set(f.compression, (counts.get(f.compression) ?? 0) + 1);
    const histogram = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}:${n}`).join(' ');
    ev.push({ fact: 'modules.files', value: histogram, source: files.source });
    if (cfg !== undefined) ev.push(...cfg.evidence);
    if (counts.size > 1) {
      return capability<CompressionKind>('mixed', `module files use more than one format (${histogram})`, ev);
    }
    const only = [...counts.keys()][0]!;
    if (cfg?.installed !== undefined && cfg.installed !== only) {
      return capability<CompressionKind>(
        'mixed',
        `module files are ${only} but the kernel config says ${cfg.installed} (${cfg.reason}): the tree was recompressed or mixed by packaging`,
        ev,
      );
    }
    return capability<CompressionKind>(only, `all ${Object.keys(files.value).length} module files are ${only === 'none' ? 'uncompressed' : only}`, ev);
  }

  if (cfg === undefined) {
    ev.push({
      fact: 'modules.files',
      value: files.state === 'known' ? 'empty' : 'unknown',
      source: files.state === 'known' ? files.source : files.tried.join(', ') || files.reason,
    });
    return capability<CompressionKind>('unknown', 'no module files and no kernel config to tell the module format', ev);
  }
  ev.push(...cfg.evidence);
  const rel = kernelRelease(facts);
  const packagedXz = rel !== undefined && /\.(el|fc)\d+/.test(rel.release) && cfg.installed === 'none';
  if (packagedXz) {
    ev.push(rel.evidence);
    return capability<CompressionKind>(
      'xz',
      `${cfg.reason}, but Red Hat-family kernel packages compress modules with xz at build time (kernel.spec "zipmodules"); no module tree was read to confirm`,
      ev,
    );
  }
  const value = cfg.installed ?? cfg.chosen;
  if (value === undefined) return capability<CompressionKind>('unknown', cfg.reason, ev);
  return capability<CompressionKind>(value, `${cfg.reason} (from the kernel config; no module tree was read)`, ev);
}
