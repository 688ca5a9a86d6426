// Parses /proc/modules (what lsmod prints) and the small sysfs files about module loading policy.

export interface LoadedModuleEntry {
  size: number;
  /** -1 when the kernel prints "-" (built without CONFIG_MODULE_UNLOAD, so no reference counting is shown). */
  refcount: number;
  usedBy: string[];
  state: string;
}

/**
 * Lines as kernel/module/procfs.c m_show() prints them: "name size refcount deps state address [taints]", deps being
 * "-" or "a,b,". Malformed lines are skipped.
 */
export function parseProcModules(text: string): Record<string, LoadedModuleEntry> {
  const out = new Map<string, LoadedModuleEntry>();
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w.length < 5) continue;
    const [name, sizeS, refS, depsS, state] = w as [string, string, string, string, string];
    if (!/^\d+$/.test(sizeS)) continue;
    const refcount = refS === '-' ? -1 : /^\d+$/.test(refS) ? Number(refS) : NaN;
    if (Number.isNaN(refcount)) continue;
    const size = Number(sizeS);
    if (!Number.isSafeInteger(size) || !Number.isSafeInteger(refcount)) continue;
    const usedBy = depsS === '-' ? [] : depsS.split(',').filter((s) => s !== '');
    out.set(name, { size, refcount, usedBy, state });
  }
  return Object.fromEntries(out);
}

/** /sys/kernel/security/lockdown: "none [integrity] confidentiality" → the bracketed mode. */
export function parseLockdown(text: string): 'none' | 'integrity' | 'confidentiality' | undefined {
  const m = /\[(none|integrity|confidentiality)\]/.exec(text);
  return m === null ? undefined : (m[1] as 'none' | 'integrity' | 'confidentiality');
}

/** /sys/module/compression: "gzip", "xz" or "zstd" (kernel/module/decompress.c compression_show). */
export function parseKernelDecompression(text: string): 'gzip' | 'xz' | 'zstd' | undefined {
  const t = text.trim();
  return t === 'gzip' || t === 'xz' || t === 'zstd' ? t : undefined;
}

/** A sysfs bool parameter ("Y"/"N", or "1"/"0" in procfs). */
export function parseFlag(text: string): boolean | undefined {
  const t = text.trim();
  if (t === 'Y' || t === 'y' || t === '1') return true;
  if (t === 'N' || t === 'n' || t === '0') return false;
  return undefined;
}
