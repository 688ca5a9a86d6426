// Builds HostFacts for tests: starts from what an empty offline tree yields (all unknown) and lets a test state only
// the facts it is about, each with a typed override and a visible source.
import { collectFacts } from '../../src/facts/collect.ts';
import { known, unknown } from '../../src/facts/fact.ts';
import { readKernelConfigFile } from '../../src/facts/kernel/collect.ts';
import type { KernelConfig } from '../../src/facts/kernel/schema.ts';
import type { ModuleCompression, ModuleFacts, ModuleFile } from '../../src/facts/modules/schema.ts';
import type { CgroupFacts, CgroupCmdline } from '../../src/facts/cgroups/schema.ts';
import type { BinfmtFacts } from '../../src/facts/binfmt/schema.ts';
import type { NetfilterFacts } from '../../src/facts/netfilter/schema.ts';
import type { OsFacts, OsRelease } from '../../src/facts/os/schema.ts';
import type { ProbeFacts } from '../../src/facts/probes/schema.ts';
import type { HostFacts } from '../../src/facts/snapshot.ts';
import { MemoryFs } from '../../src/host/memory-fs.ts';

/** Source recorded on facts a test sets by hand, so evidence in assertions shows where a value came from. */
export const TEST_SOURCE = 'test';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface ProcCgroupsInput {
  readonly name: string;
  readonly enabled?: boolean;
  readonly hierarchy?: number;
  readonly numCgroups?: number;
}

export interface HierarchyInput {
  readonly version: 1 | 2;
  readonly mountPoint: string;
  readonly controllers: readonly string[];
}

/** Compression implied by a module file name, the way kmod and depmod see it. */
export function compressionOfModulePath(path: string): ModuleCompression {
  if (path.endsWith('.ko.gz')) return 'gzip';
  if (path.endsWith('.ko.xz')) return 'xz';
  if (path.endsWith('.ko.zst')) return 'zstd';
  return 'none';
}

/** Module name from its file path: basename without .ko[.ext], dashes folded to underscores (as kmod does). */
export function moduleNameOfPath(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/\.ko(\.(gz|xz|zst))?$/, '').replace(/-/g, '_');
}

/** Config options from a record literal, in its key order: `configOf({ MODULES: 'y', CPUSETS_V1: 'n' })`. */
export function configOf(options: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(options));
}

/** Release from a config header such as "6.1.159" or "6.12.0-124.29.1.el10_1.x86_64"; used when no release is set. */
function releaseFromHeader(cfg: KernelConfig): string | undefined {
  return cfg.headerVersion;
}

export class FactsBuilder {
  private readonly facts: {
    os: Mutable<OsFacts>;
    kernel: Mutable<HostFacts['kernel']>;
    modules: Mutable<ModuleFacts>;
    cgroups: Mutable<CgroupFacts>;
    binfmt: Mutable<BinfmtFacts>;
    netfilter: Mutable<NetfilterFacts>;
    probes?: Mutable<ProbeFacts>;
  };

  constructor(base?: HostFacts) {
    const start = base ?? collectFacts(new MemoryFs('test'), { offline: true });
    this.facts = structuredClone<FactsBuilder['facts']>(start);
  }

  // ---- kernel ----

  withRelease(release: string, source = 'uname(2)'): this {
    this.facts.kernel.release = known(release, source);
    return this;
  }

  /** /proc/version-style build string, e.g. "#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)". */
  withVersion(version: string, source = '/proc/version'): this {
    this.facts.kernel.version = known(version, source);
    return this;
  }

  withCmdline(words: readonly string[], source = '/proc/cmdline'): this {
    this.facts.kernel.cmdline = known([...words], source);
    return this;
  }

  /**
   * Kernel config from an options record (keys without CONFIG_, values "y" | "m" | "n" | strings).
   * Options not named stay absent, i.e. unknown to this config.
   */
  withConfig(options: Readonly<Record<string, string>>, opts: { headerVersion?: string; source?: string } = {}): this {
    const cfg: KernelConfig = {
      options: configOf(options),
      malformedLines: 0,
      ...(opts.headerVersion === undefined ? {} : { headerVersion: opts.headerVersion }),
    };
    this.facts.kernel.config = known(cfg, opts.source ?? '/boot/config');
    return this;
  }

  /** Adds or changes options on top of the current config (creating one when there is none). */
  withConfigOptions(options: Readonly<Record<string, string>>): this {
    const cur = this.facts.kernel.config;
    if (cur.state !== 'known') return this.withConfig(options);
    const merged = new Map(cur.value.options);
    for (const [name, value] of Object.entries(options)) merged.set(name, value);
    this.facts.kernel.config = known({ ...cur.value, options: merged }, cur.source);
    return this;
  }

  /**
   * Kernel config read from a real file (corpus config, /boot/config-*). When `release` is true (default) and no
   * release is known yet, the release is taken from the config header, as a kernel-config target would.
   */
  withConfigFile(path: string, opts: { release?: boolean } = {}): this {
    const cfg = readKernelConfigFile(path);
    this.facts.kernel.config = cfg;
    if ((opts.release ?? true) && cfg.state === 'known' && this.facts.kernel.release.state !== 'known') {
      const r = releaseFromHeader(cfg.value);
      if (r !== undefined) this.facts.kernel.release = known(r, `${path} (header)`);
    }
    return this;
  }

  withoutConfig(reason = 'no kernel config found'): this {
    this.facts.kernel.config = unknown(['/proc/config.gz', '/boot/config'], reason);
    return this;
  }

  // ---- modules ----

  /**
   * Module files in the tree, given as paths relative to the module dir
   * ("kernel/net/ipv4/netfilter/ip_tables.ko.xz"); compression follows the extension. Replaces earlier files.
   */
  withModules(paths: readonly string[], dir?: string): this {
    const files: Record<string, ModuleFile> = {};
    for (const p of paths) files[moduleNameOfPath(p)] = { path: p, compression: compressionOfModulePath(p) };
    const rel = this.facts.kernel.release.state === 'known' ? this.facts.kernel.release.value : 'test';
    const d = dir ?? `/lib/modules/${rel}`;
    this.facts.modules.dir = known(d, d);
    this.facts.modules.files = known(files, `${d}/modules.dep`);
    return this;
  }

  /** Names in modules.builtin. */
  withBuiltin(names: readonly string[], source = '/lib/modules/test/modules.builtin'): this {
    this.facts.modules.builtin = known([...names], source);
    return this;
  }

  /** /proc/modules: names of loaded modules (live state). */
  withLoaded(names: readonly string[], source = '/proc/modules'): this {
    const loaded: Record<string, { size: number; refcount: number; usedBy: string[]; state: string }> = {};
    for (const n of names) loaded[n] = { size: 0, refcount: 0, usedBy: [], state: 'Live' };
    this.facts.modules.loaded = known(loaded, source);
    return this;
  }

  withSysModule(names: readonly string[], source = '/sys/module'): this {
    this.facts.modules.sysModule = known([...names], source);
    return this;
  }

  /** /sys/module/compression content; null = file absent on a live host (no MODULE_DECOMPRESS). */
  withKernelDecompression(value: 'gzip' | 'xz' | 'zstd' | null, source = '/sys/module/compression'): this {
    this.facts.modules.kernelDecompression = known(value, source);
    return this;
  }

  withModulesDisabled(disabled: boolean, source = '/proc/sys/kernel/modules_disabled'): this {
    this.facts.modules.modulesDisabled = known(disabled, source);
    return this;
  }

  // ---- cgroups ----

  withCgroupMode(mode: 'v1' | 'v2' | 'hybrid' | 'none', source = '/proc/self/mountinfo'): this {
    this.facts.cgroups.mode = known(mode, source);
    return this;
  }

  /** /proc/cgroups lines; enabled defaults to true, hierarchy to 0. */
  withProcCgroups(lines: readonly (ProcCgroupsInput | string)[], source = '/proc/cgroups'): this {
    this.facts.cgroups.procCgroups = known(
      lines.map((l) => {
        const x: ProcCgroupsInput = typeof l === 'string' ? { name: l } : l;
        return { name: x.name, hierarchy: x.hierarchy ?? 0, numCgroups: x.numCgroups ?? 1, enabled: x.enabled ?? true };
      }),
      source,
    );
    return this;
  }

  withHierarchies(hs: readonly HierarchyInput[], source = '/proc/self/mountinfo'): this {
    this.facts.cgroups.hierarchies = known(
      hs.map((h) => ({ version: h.version, mountPoint: h.mountPoint, controllers: [...h.controllers] })),
      source,
    );
    return this;
  }

  withV2Controllers(names: readonly string[], source = '/sys/fs/cgroup/cgroup.controllers'): this {
    this.facts.cgroups.v2Controllers = known([...names], source);
    return this;
  }

  withCgroupCmdline(c: Partial<CgroupCmdline>, source = '/proc/cmdline'): this {
    this.facts.cgroups.cmdline = known({ noV1: [], enable: [], disable: [], ...c }, source);
    return this;
  }

  // ---- binfmt ----

  withBinfmtSupported(supported: boolean, source = '/proc/filesystems'): this {
    this.facts.binfmt.supported = known(supported, source);
    return this;
  }

  withBinfmtMounts(mounts: readonly string[], source = '/proc/1/mountinfo'): this {
    this.facts.binfmt.mounts = known([...mounts], source);
    return this;
  }

  // ---- netfilter ----

  withLegacyTables(v4: readonly string[], v6?: readonly string[]): this {
    this.facts.netfilter.legacyTablesV4 = known([...v4], '/proc/net/ip_tables_names');
    if (v6 !== undefined) this.facts.netfilter.legacyTablesV6 = known([...v6], '/proc/net/ip6_tables_names');
    return this;
  }

  withNfTablesActive(active: boolean, source = '/sys/module/nf_tables'): this {
    this.facts.netfilter.nfTablesActive = known(active, source);
    return this;
  }

  // ---- os ----

  withOs(release: Partial<OsRelease> & Pick<OsRelease, 'id' | 'family'>, source = '/etc/os-release'): this {
    this.facts.os.release = known({ idLike: [], ...release }, source);
    return this;
  }

  withArch(arch: string, source = 'uname(2)'): this {
    this.facts.os.arch = known(arch, source);
    return this;
  }

  // ---- probes ----

  withProbes(p: ProbeFacts): this {
    this.facts.probes = { ...(this.facts.probes ?? {}), ...p };
    return this;
  }

  // ---- escape hatch ----

  /** Sets any fact directly: `.with('netfilter', 'nft', known('/usr/sbin/nft', 'test'))`. */
  with<A extends Exclude<keyof HostFacts, 'probes'>, K extends keyof HostFacts[A]>(
    area: A,
    key: K,
    fact: HostFacts[A][K],
  ): this {
    (this.facts[area] as Record<K, HostFacts[A][K]>)[key] = fact;
    return this;
  }

  build(): HostFacts {
    return structuredClone<HostFacts>(this.facts);
  }
}

/** A builder over all-unknown offline facts. */
export function factsBuilder(base?: HostFacts): FactsBuilder {
  return new FactsBuilder(base);
}
