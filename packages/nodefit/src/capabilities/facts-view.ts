// Small readers over HostFacts that every capability shares: config options, module presence, kernel release, with
// the evidence line each read produces, so the capabilities themselves stay short and cite what they used.
import type { Fact } from '../facts/fact.ts';
import type { HostFacts } from '../facts/snapshot.ts';
import type { Evidence } from './capability.ts';

/** A config option as a capability sees it: the config may be missing, or the option absent from it. */
export type ConfigRead =
  | { readonly kind: 'no-config'; readonly evidence: Evidence }
  | { readonly kind: 'absent'; readonly evidence: Evidence }
  | { readonly kind: 'set'; readonly value: string; readonly evidence: Evidence };

export function configOption(facts: HostFacts, name: string): ConfigRead {
  const cfg = facts.kernel.config;
  const fact = `kernel.config.${name}`;
  if (cfg.state !== 'known') {
    return { kind: 'no-config', evidence: { fact, value: 'unknown', source: triedOf(cfg) } };
  }
  const v = cfg.value.options.get(name);
  if (v === undefined) return { kind: 'absent', evidence: { fact, value: 'absent', source: cfg.source } };
  return { kind: 'set', value: v, evidence: { fact, value: v, source: cfg.source } };
}

export function hasConfig(facts: HostFacts): boolean {
  return facts.kernel.config.state === 'known';
}

/** "y" or "m". */
export function enabled(r: ConfigRead): boolean {
  return r.kind === 'set' && (r.value === 'y' || r.value === 'm');
}

/** Explicitly "n" ("# CONFIG_X is not set"). */
export function disabled(r: ConfigRead): boolean {
  return r.kind === 'set' && r.value === 'n';
}

export function triedOf(f: Fact<unknown>): string {
  return f.state === 'known' ? f.source : f.tried.length > 0 ? `tried ${f.tried.join(', ')}` : f.reason;
}

export function factEvidence<T>(fact: string, f: Fact<T>, show: (v: T) => string): Evidence {
  if (f.state === 'known') return { fact, value: show(f.value), source: f.source };
  return { fact, value: 'unknown', source: triedOf(f) };
}

/** Kernel release: uname when known, otherwise the config header (kernel-config targets). */
export function kernelRelease(facts: HostFacts): { release: string; evidence: Evidence } | undefined {
  const r = facts.kernel.release;
  if (r.state === 'known') return { release: r.value, evidence: { fact: 'kernel.release', value: r.value, source: r.source } };
  const c = facts.kernel.config;
  if (c.state === 'known' && c.value.headerVersion !== undefined) {
    return {
      release: c.value.headerVersion,
      evidence: { fact: 'kernel.config.header', value: c.value.headerVersion, source: c.source },
    };
  }
  return undefined;
}

/** Whether the facts describe a running system (live /proc and /sys read), judged by the live-only facts. */
export function isLive(facts: HostFacts): boolean {
  return (
    facts.modules.loaded.state === 'known' ||
    facts.cgroups.procCgroups.state === 'known' ||
    facts.cgroups.hierarchies.state === 'known' ||
    facts.netfilter.legacyTablesV4.state === 'known'
  );
}

/** Where a module stands in this kernel, from the strongest evidence available. */
export type ModulePresence =
  | { readonly kind: 'loaded'; readonly evidence: Evidence }
  | { readonly kind: 'builtin'; readonly evidence: Evidence }
  | { readonly kind: 'file'; readonly evidence: Evidence }
  /** The module tree was read and the module is neither a file nor built in. */
  | { readonly kind: 'missing'; readonly evidence: readonly Evidence[] }
  /** No module evidence at all (no tree, not live). */
  | { readonly kind: 'unknown'; readonly evidence: readonly Evidence[] };

export function modulePresence(facts: HostFacts, name: string): ModulePresence {
  const m = facts.modules;
  if (m.loaded.state === 'known' && name in m.loaded.value) {
    return { kind: 'loaded', evidence: { fact: `modules.loaded.${name}`, value: 'loaded', source: m.loaded.source } };
  }
  if (m.builtin.state === 'known' && m.builtin.value.includes(name)) {
    return { kind: 'builtin', evidence: { fact: `modules.builtin.${name}`, value: 'built in', source: m.builtin.source } };
  }
  if (m.builtinModinfo.state === 'known' && m.builtinModinfo.value.includes(name)) {
    return {
      kind: 'builtin',
      evidence: { fact: `modules.builtinModinfo.${name}`, value: 'built in', source: m.builtinModinfo.source },
    };
  }
  if (m.files.state === 'known') {
    const f = m.files.value[name];
    if (f !== undefined) {
      return { kind: 'file', evidence: { fact: `modules.files.${name}`, value: f.path, source: m.files.source } };
    }
    if (Object.keys(m.files.value).length > 0) {
      const ev: Evidence[] = [{ fact: `modules.files.${name}`, value: 'absent', source: m.files.source }];
      ev.push(factEvidence(`modules.builtin.${name}`, m.builtin, () => 'absent'));
      // Without modules.builtin a missing file may still be built-in code: only the config can tell then.
      if (m.builtin.state === 'known' || m.builtinModinfo.state === 'known') return { kind: 'missing', evidence: ev };
      return { kind: 'unknown', evidence: ev };
    }
  }
  return {
    kind: 'unknown',
    evidence: [factEvidence(`modules.files.${name}`, m.files, (v) => (Object.keys(v).length === 0 ? 'empty tree' : 'absent'))],
  };
}

/** RHEL-family major version: from an ".elN" kernel release, else from os-release when the family is rhel. */
export function rhelMajor(facts: HostFacts): number | undefined {
  const rel = kernelRelease(facts)?.release ?? '';
  const m = /\.el(\d+)/.exec(rel);
  if (m !== null) return Number(m[1]);
  const os = facts.os.release;
  if (os.state === 'known' && os.value.family === 'rhel' && os.value.versionId !== undefined) {
    const major = Number.parseInt(os.value.versionId, 10);
    return Number.isFinite(major) ? major : undefined;
  }
  return undefined;
}
