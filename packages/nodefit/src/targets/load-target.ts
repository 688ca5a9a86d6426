// Turns a target spec into a snapshot: collects from a filesystem, reads a saved snapshot, or assembles offline inputs.
import { collectFacts } from '../facts/collect.ts';
import { readKernelConfigFile } from '../facts/kernel/collect.ts';
import type { GunzipMemo } from '../facts/kernel/decode-config.ts';
import { collectModuleTreeDir } from '../facts/modules/collect.ts';
import type { HostFacts, Snapshot, TargetKind } from '../facts/snapshot.ts';
import { SNAPSHOT_SCHEMA_VERSION } from '../facts/snapshot-version.ts';
import type { HostFs } from '../host/host-fs.ts';
import { RootFs } from '../host/root-fs.ts';
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { known } from '../facts/fact.ts';
import { TOOL } from '../version.ts';
import { describeTarget, type TargetSpec } from './target-spec.ts';
import { UserError } from '../cli/user-error.ts';

function envelope(kind: TargetKind, description: string, facts: HostFacts, hostname?: string): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    kind: 'nodefit-snapshot',
    tool: { name: 'nodefit', version: TOOL.version },
    target: hostname === undefined ? { kind, description } : { kind, description, hostname },
    facts,
  };
}

function requireDir(dir: string, flag: string): void {
  let st: nodeFs.Stats;
  try {
    st = nodeFs.statSync(dir);
  } catch {
    throw new UserError(`${flag} ${dir}: no such directory`);
  }
  if (!st.isDirectory()) throw new UserError(`${flag} ${dir}: not a directory`);
}

/**
 * Applies --kernel-config / --modules on top of whatever the base target gave. A module tree replaces only the
 * tree's own facts: what the running system says (loaded modules, lockdown, modprobe.d) stays.
 */
function withOverrides(facts: HostFacts, spec: TargetSpec): HostFacts {
  let out = facts;
  if (spec.kernelConfig !== undefined) {
    out = { ...out, kernel: { ...out.kernel, config: readKernelConfigFile(spec.kernelConfig) } };
  }
  if (spec.modulesDir !== undefined) {
    requireDir(spec.modulesDir, '--modules');
    const tree = collectModuleTreeDir(spec.modulesDir);
    const runningSystem = spec.base.kind === 'live' || spec.base.kind === 'root';
    out = {
      ...out,
      modules: runningSystem
        ? {
            ...out.modules,
            dir: tree.dir,
            files: tree.files,
            deps: tree.deps,
            builtin: tree.builtin,
            builtinModinfo: tree.builtinModinfo,
            aliases: tree.aliases,
            softdeps: tree.softdeps,
            order: tree.order,
          }
        : tree,
    };
  }
  return out;
}

/** A root without a live procfs (an image or an unpacked package tree) is read as an offline target. */
function hasLiveProc(fs: HostFs): boolean {
  return fs.stat('/proc/self/stat') !== undefined || fs.stat('/proc/1/stat') !== undefined;
}

function hostnameOf(fs: HostFs): string | undefined {
  try {
    const h = fs.readFile('/proc/sys/kernel/hostname', 4096).toString('utf8').trim();
    return h === '' ? undefined : h;
  } catch {
    return undefined;
  }
}

export interface LoadOptions {
  /** For a live or --root target: decompressed kernel configs remembered between runs (see CollectContext). */
  readonly gunzipMemo?: GunzipMemo;
  /**
   * For a live or --root target: the fs every fact is read through, given the one over the host's directory (the CLI
   * records the reads there for its run memo). The directory itself as default.
   */
  readonly readThrough?: (fs: RootFs) => HostFs;
  /** For a live or --root target: sysctl keys the profiles being checked need (CollectContext.sysctls). */
  readonly sysctls?: readonly string[];
}

export async function loadTarget(spec: TargetSpec, options: LoadOptions = {}): Promise<Snapshot> {
  const description = describeTarget(spec);
  const { gunzipMemo } = options;
  const sysctls = options.sysctls === undefined ? {} : { sysctls: options.sysctls };
  const through = options.readThrough ?? ((fs: RootFs): HostFs => fs);
  switch (spec.base.kind) {
    case 'live': {
      const fs = through(new RootFs('/'));
      return envelope('live', '/', withOverrides(collectFacts(fs, { gunzipMemo, ...sysctls }), spec), hostnameOf(fs));
    }
    case 'root': {
      const fs = through(new RootFs(spec.base.dir));
      // asked through fs, so a --root that stops being a directory is a different answer to a recorded run
      if (fs.stat('/')?.kind !== 'dir') {
        requireDir(spec.base.dir, '--root');
        throw new UserError(`--root ${spec.base.dir}: not a directory`);
      }
      const offline = !hasLiveProc(fs);
      return envelope('root', spec.base.dir, withOverrides(collectFacts(fs, { offline, gunzipMemo, ...sysctls }), spec), offline ? undefined : hostnameOf(fs));
    }
    case 'snapshot': {
      // the validator (zod) is loaded only when a snapshot is actually read
      const { readSnapshotFile } = await import('./read-snapshot.ts');
      const snap = readSnapshotFile(spec.base.file);
      if (spec.kernelConfig === undefined && spec.modulesDir === undefined) return snap;
      return { ...snap, facts: withOverrides(snap.facts, spec) };
    }
    case 'kernel-package': {
      // package readers, decompressors and WASM load only for packages: the live scan stays at Node's start-up cost
      const { readKernelPackage } = await import('../host/kernel-package.ts');
      const pkg = await readKernelPackage(spec.base.file);
      const facts = collectFacts(pkg.fs, { release: pkg.release, offline: true });
      const kernel = facts.kernel.release.state === 'known' ? facts.kernel : { ...facts.kernel, release: known(pkg.release, spec.base.file) };
      return envelope('kernel-package', spec.base.file, withOverrides({ ...facts, kernel }, spec));
    }
    case 'offline': {
      // a /lib/modules/<release> directory names its release
      const release = spec.modulesDir === undefined ? undefined : path.basename(path.resolve(spec.modulesDir));
      const { MemoryFs } = await import('../host/memory-fs.ts');
      const empty = collectFacts(new MemoryFs('the kernel config and module tree given'), { offline: true, release });
      const kind: TargetKind = spec.kernelConfig !== undefined ? 'kernel-config' : 'modules';
      return envelope(kind, description, withOverrides(empty, spec));
    }
  }
}
