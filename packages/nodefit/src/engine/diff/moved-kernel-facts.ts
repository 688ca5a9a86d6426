// Kernel facts behind the incident checks, compared directly between two snapshots: they show what moved even where a
// check cites a capability rather than the option (module compression none → xz, CPUSETS_V1 y → n, ...).
import type { Snapshot } from '../../facts/snapshot.ts';
import type { MovedFact } from './diff-report.ts';

/**
 * Options the five incident checks turn on (../shared/reference/incidents.md): module compression and in-kernel
 * decompression, the v1 cpuset/memory controllers made optional in 6.11/6.12, legacy xtables made optional in 6.9+,
 * binfmt_misc and nf_tables.
 */
export const WATCHED_OPTIONS = [
  'MODULES', 'MODULE_COMPRESS', 'MODULE_COMPRESS_NONE', 'MODULE_COMPRESS_GZIP', 'MODULE_COMPRESS_XZ', 'MODULE_COMPRESS_ZSTD',
  'MODULE_COMPRESS_ALL', 'MODULE_DECOMPRESS', 'MODULE_SIG_FORCE', 'SECURITY_LOCKDOWN_LSM', 'CGROUPS', 'CPUSETS', 'CPUSETS_V1', 'MEMCG', 'MEMCG_V1',
  'NETFILTER_XTABLES', 'NETFILTER_XTABLES_LEGACY', 'IP_NF_IPTABLES', 'IP_NF_IPTABLES_LEGACY', 'IP6_NF_IPTABLES', 'IP6_NF_IPTABLES_LEGACY',
  'NF_TABLES', 'NFT_COMPAT', 'BINFMT_MISC',
] as const;

function compressionSummary(s: Snapshot): { value: string; source?: string } {
  const f = s.facts.modules.files;
  if (f.state !== 'known') return { value: 'unknown' };
  const counts = new Map<string, number>();
  for (const m of Object.values(f.value)) counts.set(m.compression, (counts.get(m.compression) ?? 0) + 1);
  if (counts.size === 0) return { value: 'no module files', source: f.source };
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} (${n})`);
  return { value: parts.join(', '), source: f.source };
}

export function movedKernelFacts(before: Snapshot, after: Snapshot): MovedFact[] {
  const out: MovedFact[] = [];
  const bc = compressionSummary(before);
  const ac = compressionSummary(after);
  const kindsOnly = (v: string): string => v.replace(/ \(\d+\)/g, '');
  if (kindsOnly(bc.value) !== kindsOnly(ac.value)) {
    out.push({ fact: 'modules.files.compression', before: bc.value, after: ac.value, ...(bc.source ? { beforeSource: bc.source } : {}), ...(ac.source ? { afterSource: ac.source } : {}) });
  }
  const bcfg = before.facts.kernel.config;
  const acfg = after.facts.kernel.config;
  if (bcfg.state === 'known' && acfg.state === 'known') {
    for (const o of WATCHED_OPTIONS) {
      const b = bcfg.value.options.get(o) ?? '(absent)';
      const a = acfg.value.options.get(o) ?? '(absent)';
      if (b !== a) out.push({ fact: `kernel.config.${o}`, before: b, after: a, beforeSource: bcfg.source, afterSource: acfg.source });
    }
  }
  return out;
}

/** Value of a dotted fact name on a snapshot, for the names checks cite: kernel.config.X, modules.files.X, kernel.release. */
export function lookupFact(s: Snapshot): (fact: string) => string | undefined {
  return (fact) => {
    if (fact.startsWith('kernel.config.')) {
      const c = s.facts.kernel.config;
      return c.state === 'known' ? (c.value.options.get(fact.slice('kernel.config.'.length)) ?? '(absent)') : undefined;
    }
    if (fact.startsWith('modules.files.')) {
      const f = s.facts.modules.files;
      return f.state === 'known' ? (f.value[fact.slice('modules.files.'.length)]?.path ?? '(absent)') : undefined;
    }
    if (fact === 'kernel.release') {
      const r = s.facts.kernel.release;
      return r.state === 'known' ? r.value : undefined;
    }
    return undefined;
  };
}
