// Collects binfmt_misc facts: filesystem support, where it is mounted, every registered handler, and what re-registers
// handlers at boot (binfmt.d, the systemd mount units, fstab).
import * as nodePath from 'node:path';
import type { CollectContext } from '../collect-context.ts';
import { known, unknown, type Fact } from '../fact.ts';
import { HostFsError, tryRead, type HostFs } from '../../host/host-fs.ts';
import { offlineReason } from '../offline-reason.ts';
import { readMountInfo } from '../cgroups/read-mountinfo.ts';
import { BINFMT_D_DIRS, effectiveBinfmtDFiles, parseBinfmtD, type BinfmtDFile } from './parse-binfmt-d.ts';
import { parseBinfmtEntry, parseBinfmtStatus } from './parse-binfmt-entry.ts';
import { binfmtFstabMounts } from './parse-fstab.ts';
import type { BinfmtEntry, BinfmtFacts } from './schema.ts';

const CANONICAL_MOUNT = '/proc/sys/fs/binfmt_misc';
/** An entry is at most one kernel page; 64 KiB covers every page size. */
const ENTRY_MAX = 64 * 1024;
/** Real hosts register a few dozen handlers; past this the directory is not a binfmt_misc we trust to list. */
const MAX_ENTRIES = 1024;
const CONFIG_MAX = 1024 * 1024;
/** systemd's unit search path for system units, highest priority first (systemd.unit(5)). */
const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
const BOOT_UNITS = ['proc-sys-fs-binfmt_misc.automount', 'proc-sys-fs-binfmt_misc.mount'];

function collectSupported(ctx: CollectContext): Fact<boolean> {
  const shown = ctx.fs.display('/proc/filesystems');
  if (ctx.offline) return unknown([shown], offlineReason(ctx, '/proc/filesystems'));
  const r = tryRead(ctx.fs, '/proc/filesystems', 64 * 1024);
  if (!r.ok) return unknown([shown], r.error.message);
  // "nodev\tbinfmt_misc"; a modular binfmt_misc not loaded yet is absent here until its first mount loads it
  const listed = r.data
    .toString('utf8')
    .split('\n')
    .some((l) => l.trim().split(/\s+/).pop() === 'binfmt_misc');
  return known(listed, shown);
}

function isMasked(fs: HostFs, path: string): boolean {
  const link = fs.readlink(path);
  if (link === '/dev/null') return true;
  const st = fs.stat(path);
  return st?.kind === 'file' && st.size === 0;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof HostFsError) return fallback;
    throw e;
  }
}

function collectConfig(ctx: CollectContext): BinfmtFacts['config'] {
  const tried = BINFMT_D_DIRS.map((d) => ctx.fs.display(d));
  if (ctx.offline) return unknown(tried, offlineReason(ctx, 'binfmt.d configuration'));
  const files: BinfmtDFile[] = [];
  const seenDirs = new Set<string>();
  for (const dir of BINFMT_D_DIRS) {
    // /lib is /usr/lib on merged-usr systems: one directory, read once
    const real = safe(() => ctx.fs.realpath(dir), dir);
    if (seenDirs.has(real)) continue;
    seenDirs.add(real);
    const names = safe(() => ctx.fs.readdir(dir), undefined) ?? [];
    for (const name of names) files.push({ dir, name, masked: safe(() => isMasked(ctx.fs, `${dir}/${name}`), false) });
  }
  const out: { file: string; line: number; register: string; name: string }[] = [];
  const problems: string[] = [];
  for (const f of effectiveBinfmtDFiles(files)) {
    const path = `${f.dir}/${f.name}`;
    const r = tryRead(ctx.fs, path, CONFIG_MAX);
    if (!r.ok) {
      problems.push(r.error.message);
      continue;
    }
    for (const l of parseBinfmtD(r.data.toString('utf8'))) out.push({ file: ctx.fs.display(path), ...l });
  }
  if (problems.length > 0) return unknown(tried, `unreadable binfmt.d files: ${problems.join('; ')}`);
  return known(out, tried.join(', '));
}

function collectBootMount(ctx: CollectContext): BinfmtFacts['bootMount'] {
  const tried = [...UNIT_DIRS.flatMap((d) => BOOT_UNITS.map((u) => ctx.fs.display(`${d}/${u}`))), ctx.fs.display('/etc/fstab')];
  if (ctx.offline) return unknown(tried, offlineReason(ctx, 'boot configuration'));
  const found: string[] = [];
  for (const unit of BOOT_UNITS) {
    for (const dir of UNIT_DIRS) {
      const path = `${dir}/${unit}`;
      if (safe(() => ctx.fs.lstat(path), undefined) === undefined) continue;
      // the first directory holding the unit decides; a mask there (symlink to /dev/null) disables it
      if (!safe(() => isMasked(ctx.fs, path), false)) found.push(ctx.fs.display(path));
      break;
    }
  }
  const fstab = tryRead(ctx.fs, '/etc/fstab', CONFIG_MAX);
  if (fstab.ok) {
    for (const m of binfmtFstabMounts(fstab.data.toString('utf8'))) found.push(`${ctx.fs.display('/etc/fstab')}:${m.line} ${m.mountPoint}`);
  } else if (fstab.error.code !== 'ENOENT') {
    return unknown(tried, fstab.error.message);
  }
  return known(found, [...UNIT_DIRS, '/etc/fstab'].map((p) => ctx.fs.display(p)).join(', '));
}

function interpreterExists(fs: HostFs, path: string): boolean | undefined {
  if (!path.startsWith('/')) return undefined;
  return safe(() => fs.stat(path) !== undefined, undefined);
}

function readEntries(ctx: CollectContext, dir: string): Fact<BinfmtEntry[]> {
  const shownDir = ctx.fs.display(dir);
  const names = safe(() => ctx.fs.readdir(dir), undefined);
  if (names === undefined) return unknown([shownDir], `${shownDir} cannot be listed`);
  const handlerNames = names.filter((n) => n !== 'register' && n !== 'status');
  if (handlerNames.length > MAX_ENTRIES) {
    return unknown([shownDir], `${shownDir} lists ${handlerNames.length} handlers, more than the ${MAX_ENTRIES} nodefit reads`);
  }
  const entries: BinfmtEntry[] = [];
  for (const name of handlerNames) {
    const path = nodePath.posix.join(dir, name);
    const r = tryRead(ctx.fs, path, ENTRY_MAX);
    if (!r.ok) return unknown([shownDir], r.error.message);
    const parsed = parseBinfmtEntry(name, r.data.toString('utf8'));
    if (!parsed.ok) return unknown([ctx.fs.display(path)], parsed.reason);
    const exists = interpreterExists(ctx.fs, parsed.entry.interpreter);
    entries.push(exists === undefined ? parsed.entry : { ...parsed.entry, interpreterExists: exists });
  }
  return known(entries, shownDir);
}

export function collectBinfmt(ctx: CollectContext): BinfmtFacts {
  const supported = collectSupported(ctx);
  const config = collectConfig(ctx);
  const bootMount = collectBootMount(ctx);
  const mountInfo = readMountInfo(ctx);
  const mounts: Fact<string[]> =
    mountInfo.state === 'known'
      ? known(
          mountInfo.value.filter((e) => e.fsType === 'binfmt_misc').map((e) => e.mountPoint),
          mountInfo.source,
        )
      : mountInfo;
  if (ctx.offline) {
    const why = unknown([ctx.fs.display(CANONICAL_MOUNT)], offlineReason(ctx, 'registered binfmt_misc handlers'));
    return { supported, mounts, enabled: why, entries: why, config, bootMount };
  }
  // read the handlers where the host's own mount is; without a mount table, try the usual place anyway
  let dir: string | undefined = CANONICAL_MOUNT;
  if (mounts.state === 'known') dir = mounts.value.includes(CANONICAL_MOUNT) ? CANONICAL_MOUNT : mounts.value[0];
  if (dir === undefined) {
    const why = unknown(
      [ctx.fs.display(CANONICAL_MOUNT)],
      `binfmt_misc is not mounted in ${mounts.state === 'known' ? mounts.source : 'the mount table'}; its status and handlers are only visible through a mount`,
    );
    return { supported, mounts, enabled: why, entries: why, config, bootMount };
  }
  const statusPath = nodePath.posix.join(dir, 'status');
  const st = tryRead(ctx.fs, statusPath, 4096);
  let enabled: Fact<boolean>;
  if (!st.ok) {
    enabled = unknown([ctx.fs.display(statusPath)], st.error.message);
  } else {
    const b = parseBinfmtStatus(st.data.toString('utf8'));
    enabled =
      b === undefined
        ? unknown([ctx.fs.display(statusPath)], `${ctx.fs.display(statusPath)}: neither "enabled" nor "disabled"`)
        : known(b, ctx.fs.display(statusPath));
  }
  const entries = st.ok ? readEntries(ctx, dir) : unknown([ctx.fs.display(dir)], st.error.message);
  return { supported, mounts, enabled, entries, config, bootMount };
}
