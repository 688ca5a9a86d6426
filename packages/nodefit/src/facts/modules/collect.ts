// Collects module facts: what the module tree holds (depmod indexes, files and their compression), what is loaded,
// and what can stop a load (modules_disabled, lockdown, sig_enforce, modprobe.d blacklist/install overrides).
import * as nodePath from 'node:path';
import type { CollectContext } from '../collect-context.ts';
import { known, unknown, type Fact } from '../fact.ts';
import { HostFsError, tryRead, type HostFs } from '../../host/host-fs.ts';
import { RootFs } from '../../host/root-fs.ts';
import { findKernelConfig } from '../kernel/collect.ts';
import { offlineReason } from '../offline-reason.ts';
import { splitCmdline } from '../kernel/parse-cmdline.ts';
import { safeReaddir, safeStat } from '../kernel/safe-host.ts';
import { indexText } from './index-text.ts';
import { moduleFileCompression, moduleNameFromPath } from './module-name.ts';
import { cmdlineModprobeBlacklist, MODPROBE_DIRS, orderModprobeFiles, parseModprobeConfig, type ModprobeFile } from './parse-modprobe-conf.ts';
import { parseBuiltinModinfo, parseModuleList, parseModulesAlias, parseModulesSoftdep } from './parse-module-indexes.ts';
import { parseModulesDep } from './parse-modules-dep.ts';
import { parseFlag, parseKernelDecompression, parseLockdown, parseProcModules } from './parse-proc-modules.ts';
import type { KernelConfig, KernelFacts } from '../kernel/schema.ts';
import { recordFromMap } from './plain-record.ts';
import type { ModprobeConfig, ModuleCompression, ModuleFacts, ModuleFile } from './schema.ts';
import { walkHostModuleDir } from './walk-module-tree.ts';

type TreeFacts = Pick<ModuleFacts, 'dir' | 'files' | 'deps' | 'builtin' | 'builtinModinfo' | 'aliases' | 'softdeps' | 'order'>;
type LiveFacts = Omit<ModuleFacts, keyof TreeFacts | 'modprobe'>;

const INDEX_MAX = 64 * 1024 * 1024;
const SMALL = 64 * 1024;
const MODPROBE_FILE_MAX = 1024 * 1024;

/**
 * Where a release's modules live: /lib/modules (kmod's compiled-in default; /usr/lib/modules on merged-/usr systems,
 * and the only place on rpm-ostree), /usr/lib64/modules (Flatcar/CoreOS Container Linux layout) [inferred], and
 * NixOS's /run/booted-system/kernel-modules/lib/modules (NixOS has no /lib/modules).
 */
export function moduleDirCandidates(release: string): string[] {
  return [
    `/lib/modules/${release}`,
    `/usr/lib/modules/${release}`,
    `/usr/lib64/modules/${release}`,
    `/run/booted-system/kernel-modules/lib/modules/${release}`,
  ];
}

type ConfigGetter = () => Fact<KernelConfig>;

/**
 * The kernel config: the one the kernel collector already found when the caller has it (decompressing /proc/config.gz
 * a second time cost a live check on a host without a module tree a few milliseconds), otherwise read at most once
 * and only when an absence needs explaining.
 */
function lazyConfig(ctx: CollectContext, kernel: Pick<KernelFacts, 'config'> | undefined): ConfigGetter {
  if (kernel !== undefined) return () => kernel.config;
  let cfg: Fact<KernelConfig> | undefined;
  return () => (cfg ??= findKernelConfig(ctx));
}

/** Why a module directory is missing, in the words the user needs: says so when the kernel has no module support. */
function noModuleDirReason(ctx: CollectContext, config: ConfigGetter, tried: readonly string[]): string {
  const base = ctx.release === undefined ? 'the kernel release is unknown, so the module directory cannot be named' : `no module directory for kernel ${ctx.release}`;
  const cfg = config();
  if (cfg.state === 'known' && cfg.value.options.get('MODULES') === 'n') {
    return `${base}: the kernel is built without loadable module support (CONFIG_MODULES is not set in ${cfg.source}), so there is no module tree; every feature is built in or absent`;
  }
  return tried.length > 0 ? `${base} (none of ${tried.join(', ')} exists)` : base;
}

/** Lazily reads the kernel config (only when a file is missing) and explains the absence when modules are compiled out. */
function modulesUnsetNote(config: ConfigGetter): () => string {
  return () => {
    const cfg = config();
    return cfg.state === 'known' && cfg.value.options.get('MODULES') === 'n' ? ` (expected: CONFIG_MODULES is not set in ${cfg.source})` : '';
  };
}

function readIndex<T>(fs: HostFs, path: string, parse: (data: Buffer) => T, missing: string): Fact<T> {
  const r = tryRead(fs, path, INDEX_MAX);
  if (!r.ok) return unknown([fs.display(path)], r.error.code === 'ENOENT' ? `${fs.display(path)} is absent: ${missing}` : r.error.message);
  return known(parse(r.data), fs.display(path));
}

/**
 * Module name → file, from the walk's paths in sorted order (so names keep the order they had since the first release).
 * Two files with one name (updates/ overriding kernel/): the one depmod chose wins, else updates/ as depmod's default
 * search order, else the first path.
 */
function pickFiles(paths: readonly string[], depPaths: ReadonlyMap<string, string> | undefined): Record<string, ModuleFile> {
  const byName = new Map<string, ModuleFile>();
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i] as string;
    const name = moduleNameFromPath(path);
    const prev = byName.get(name);
    if (prev !== undefined) {
      const chosen = depPaths?.get(name);
      if (chosen !== path && (chosen !== undefined || !path.startsWith('updates/') || prev.path.startsWith('updates/'))) continue;
    }
    // the walk keeps module file names only, so the compression is always there
    byName.set(name, { path, compression: moduleFileCompression(path) as ModuleCompression });
  }
  return recordFromMap(byName);
}

/** A real directory is walked with Dirent types (fast path); any other HostFs entry by entry. */
function walkTree(fs: HostFs, dir: string): string[] | undefined {
  try {
    return fs.walkModuleDir !== undefined ? fs.walkModuleDir(dir) : walkHostModuleDir(fs, dir);
  } catch (e) {
    if (e instanceof HostFsError) return undefined;
    throw e;
  }
}

const depmodHint = 'depmod has not been run for this tree (or the kernel has no modules)';

/** Tree facts from a module directory inside fs. */
export function collectTree(fs: HostFs, dir: string): TreeFacts {
  const at = (name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);
  const dep = readIndex(fs, at('modules.dep'), (d) => parseModulesDep(indexText(d)), depmodHint);
  const depPaths = dep.state === 'known' ? dep.value.paths : undefined;
  const found = walkTree(fs, dir);
  const depSource = dep.state === 'known' && dep.value.malformedLines > 0 ? `${dep.source} (${dep.value.malformedLines} malformed lines ignored)` : undefined;
  const raw = fs.display(dir);
  const shown = raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw;
  return {
    dir: known(shown, shown),
    files: found === undefined ? unknown([shown], `${shown} cannot be walked (a symlink loop or unreadable directory)`) : known(pickFiles(found, depPaths), `directory walk of ${shown}`),
    deps: dep.state === 'known' ? known(dep.value.deps, depSource ?? dep.source) : dep,
    builtin: readIndex(fs, at('modules.builtin'), (d) => parseModuleList(indexText(d)), 'kbuild writes it at modules_install (Linux 3.0+)'),
    builtinModinfo: readIndex(fs, at('modules.builtin.modinfo'), parseBuiltinModinfo, 'kbuild writes it from Linux 5.2 on'),
    aliases: readIndex(fs, at('modules.alias'), (d) => parseModulesAlias(indexText(d)), depmodHint),
    softdeps: readIndex(fs, at('modules.softdep'), (d) => parseModulesSoftdep(indexText(d)), depmodHint),
    order: readIndex(fs, at('modules.order'), (d) => parseModuleList(indexText(d)), 'kbuild writes it at modules_install'),
  };
}

function treeUnknown(tried: readonly string[], reason: string): TreeFacts {
  const u = unknown(tried, reason);
  return { dir: u, files: u, deps: u, builtin: u, builtinModinfo: u, aliases: u, softdeps: u, order: u };
}

function liveUnknown(reason: string): LiveFacts {
  const u = unknown([], reason);
  return { loaded: u, sysModule: u, kernelDecompression: u, modulesDisabled: u, lockdown: u, sigEnforce: u };
}

function readSmall(fs: HostFs, path: string): { text?: string; missing: boolean; error?: string } {
  const r = tryRead(fs, path, SMALL);
  if (r.ok) return { text: r.data.toString('utf8'), missing: false };
  return { missing: r.error.code === 'ENOENT', error: r.error.message };
}

function parsedFact<T>(fs: HostFs, path: string, parse: (t: string) => T | undefined, missingReason: () => string): Fact<T> {
  const shown = fs.display(path);
  const r = readSmall(fs, path);
  if (r.text === undefined) return unknown([shown], r.missing ? `${shown} is absent: ${missingReason()}` : (r.error ?? 'unreadable'));
  const v = parse(r.text);
  if (v === undefined) return unknown([shown], `${shown} holds ${JSON.stringify(r.text.trim().slice(0, 80))}, which nodefit does not recognise`);
  return known(v, shown);
}

function collectLive(ctx: CollectContext, config: ConfigGetter): LiveFacts {
  const { fs } = ctx;
  if (ctx.offline) return liveUnknown(offlineReason(ctx));
  const unset = modulesUnsetNote(config);
  const loadedRead = tryRead(fs, '/proc/modules', INDEX_MAX);
  const loaded: LiveFacts['loaded'] = loadedRead.ok
    ? known(parseProcModules(loadedRead.data.toString('utf8')), fs.display('/proc/modules'))
    : unknown([fs.display('/proc/modules')], loadedRead.error.message + unset());
  const sysNames = safeReaddir(fs, '/sys/module');
  const sysModule: LiveFacts['sysModule'] =
    sysNames === undefined ? unknown([fs.display('/sys/module')], `${fs.display('/sys/module')} is not readable (sysfs not mounted?)`) : known(sysNames, fs.display('/sys/module'));
  let kernelDecompression: LiveFacts['kernelDecompression'];
  if (sysNames === undefined) {
    kernelDecompression = unknown([fs.display('/sys/module/compression')], 'sysfs is not available, so /sys/module/compression cannot be checked');
  } else {
    const r = readSmall(fs, '/sys/module/compression');
    const shown = fs.display('/sys/module/compression');
    if (r.text !== undefined) {
      const v = parseKernelDecompression(r.text);
      kernelDecompression = v === undefined ? unknown([shown], `${shown} holds ${JSON.stringify(r.text.trim())}`) : known(v, shown);
    } else if (r.missing) {
      // absent with sysfs present: the kernel has no in-kernel decompression (CONFIG_MODULE_DECOMPRESS unset, or < 5.17)
      kernelDecompression = known(null, `${shown} (absent)`);
    } else {
      kernelDecompression = unknown([shown], r.error ?? 'unreadable');
    }
  }
  return {
    loaded,
    sysModule,
    kernelDecompression,
    modulesDisabled: parsedFact(fs, '/proc/sys/kernel/modules_disabled', parseFlag, () => `the kernel has no modules_disabled switch${unset()}`),
    lockdown: parsedFact(fs, '/sys/kernel/security/lockdown', parseLockdown, () => 'securityfs is not mounted at /sys/kernel/security, or the kernel has no lockdown LSM'),
    sigEnforce: parsedFact(fs, '/sys/module/module/parameters/sig_enforce', parseFlag, () => `the parameter exists only with CONFIG_MODULE_SIG${unset()}`),
  };
}

function collectModprobe(ctx: CollectContext, kernel: Pick<KernelFacts, 'cmdline'> | undefined): Fact<ModprobeConfig> {
  const { fs } = ctx;
  const dirs: Array<{ dir: string; names: string[] }> = [];
  for (const dir of MODPROBE_DIRS) {
    const names = safeReaddir(fs, dir);
    if (names !== undefined) dirs.push({ dir, names });
  }
  const tried = MODPROBE_DIRS.map((d) => fs.display(d));
  if (dirs.length === 0 && ctx.offline) return unknown(tried, 'no modprobe.d directory in this tree (a kernel package does not carry the host configuration)');
  const files: ModprobeFile[] = [];
  for (const p of orderModprobeFiles(dirs)) {
    const r = tryRead(fs, p, MODPROBE_FILE_MAX);
    // kmod skips what it cannot open (and warns about directories); so does nodefit
    if (r.ok) files.push({ path: fs.display(p), text: r.data.toString('utf8') });
  }
  let cmdlineBlacklist: string[] = [];
  if (kernel !== undefined) {
    if (kernel.cmdline.state === 'known') cmdlineBlacklist = cmdlineModprobeBlacklist(kernel.cmdline.value);
  } else if (!ctx.offline) {
    const c = readSmall(fs, '/proc/cmdline');
    if (c.text !== undefined) cmdlineBlacklist = cmdlineModprobeBlacklist(splitCmdline(c.text));
  }
  const source = dirs.length === 0 ? `none of ${tried.join(', ')} exists` : dirs.map((d) => fs.display(d.dir)).join(', ');
  return known(parseModprobeConfig(files, cmdlineBlacklist), source);
}

/** `kernel`: what the kernel collector found for the same target, reused instead of read again. */
export function collectModules(ctx: CollectContext, kernel?: Pick<KernelFacts, 'config' | 'cmdline'>): ModuleFacts {
  const { fs } = ctx;
  const config = lazyConfig(ctx, kernel);
  let tree: TreeFacts;
  if (ctx.release === undefined) {
    tree = treeUnknown([], noModuleDirReason(ctx, config, []));
  } else {
    const candidates = moduleDirCandidates(ctx.release);
    const dir = candidates.find((d) => safeStat(fs, d)?.kind === 'dir');
    tree = dir === undefined ? treeUnknown(candidates.map((d) => fs.display(d)), noModuleDirReason(ctx, config, candidates.map((d) => fs.display(d)))) : collectTree(fs, dir);
  }
  return { ...tree, ...collectLive(ctx, config), modprobe: collectModprobe(ctx, kernel) };
}

/** Module facts from a real /lib/modules/<release> directory given with --modules; the release is the directory's name. */
export function collectModuleTreeDir(dir: string): ModuleFacts {
  const abs = nodePath.resolve(dir);
  const release = nodePath.basename(abs);
  const fs = new RootFs(abs);
  const reason = `--modules ${dir} gives the module tree of ${release} only; nothing about a running system`;
  const u = unknown([], reason);
  return { ...collectTree(fs, '/'), ...liveUnknown(reason), modprobe: u };
}
