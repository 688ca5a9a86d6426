// Collects cgroup facts: hierarchies from the host's mount table, /proc/cgroups, the v2 root files, and the boot switches.
import * as nodePath from 'node:path';
import type { CollectContext } from '../collect-context.ts';
import { known, unknown, type Fact } from '../fact.ts';
import type { KernelFacts } from '../kernel/schema.ts';
import { tryRead } from '../../host/host-fs.ts';
import { cgroupMode, cgroupMounts, parseControllerList, primaryV2, type V2Mount } from './cgroup-hierarchies.ts';
import { parseCgroupCmdline } from './parse-cmdline-cgroup.ts';
import { parseProcCgroups } from './parse-proc-cgroups.ts';
import { offlineReason } from '../offline-reason.ts';
import { readMountInfo } from './read-mountinfo.ts';
import type { CgroupCmdline, CgroupFacts } from './schema.ts';

type Hierarchy = { version: 1 | 2; mountPoint: string; controllers: string[] };

/** /proc/cgroups has one line per controller the kernel knows; a few KiB at most. */
const PROC_CGROUPS_MAX = 64 * 1024;
const CONTROLLER_FILE_MAX = 4096;

function readControllerFile(ctx: CollectContext, mount: V2Mount | undefined, file: string): Fact<string[]> {
  if (mount === undefined) return unknown([], 'no cgroup2 hierarchy is mounted (see cgroups.hierarchies)');
  const path = nodePath.posix.join(mount.mountPoint, file);
  const r = tryRead(ctx.fs, path, CONTROLLER_FILE_MAX);
  if (!r.ok) return unknown([ctx.fs.display(path)], r.error.message);
  const list = parseControllerList(r.data.toString('utf8'));
  if (list === undefined) return unknown([ctx.fs.display(path)], `${ctx.fs.display(path)}: not a list of controller names`);
  return known(list, ctx.fs.display(path));
}

function collectProcCgroups(ctx: CollectContext): CgroupFacts['procCgroups'] {
  const shown = ctx.fs.display('/proc/cgroups');
  if (ctx.offline) return unknown([shown], offlineReason(ctx, '/proc/cgroups'));
  const r = tryRead(ctx.fs, '/proc/cgroups', PROC_CGROUPS_MAX);
  if (!r.ok) return unknown([shown], r.error.message);
  const parsed = parseProcCgroups(r.data.toString('utf8'));
  return parsed.ok ? known([...parsed.lines], shown) : unknown([shown], `${shown}: ${parsed.reason}`);
}

function collectCmdline(kernel: KernelFacts): Fact<CgroupCmdline> {
  const c = kernel.cmdline;
  if (c.state === 'unknown') return unknown(c.tried, `kernel command line unknown: ${c.reason}`);
  return known(parseCgroupCmdline(c.value), c.source);
}

export function collectCgroups(ctx: CollectContext, kernel: KernelFacts): CgroupFacts {
  const procCgroups = collectProcCgroups(ctx);
  const cmdline = collectCmdline(kernel);
  const mounts = readMountInfo(ctx);
  if (mounts.state === 'unknown') {
    return { mode: mounts, hierarchies: mounts, procCgroups, v2Controllers: mounts, v2SubtreeControl: mounts, cmdline };
  }
  const { v1, v2 } = cgroupMounts(mounts.value);
  const primary = primaryV2(v2);
  const v2Controllers = readControllerFile(ctx, primary, 'cgroup.controllers');
  const v2SubtreeControl = readControllerFile(ctx, primary, 'cgroup.subtree_control');
  const hierarchies: Hierarchy[] = [
    ...v1.map((h) => ({ version: 1 as const, mountPoint: h.mountPoint, controllers: h.controllers })),
    ...v2.map((m) => ({
      version: 2 as const,
      mountPoint: m.mountPoint,
      // only the root cgroup's list is the hierarchy's; a nested mount's list is narrower, so it is not read
      controllers: m === primary && v2Controllers.state === 'known' ? v2Controllers.value : [],
    })),
  ];
  return {
    mode: known(cgroupMode(v1.length, v2.length), mounts.source),
    hierarchies: known(hierarchies, mounts.source),
    procCgroups,
    v2Controllers,
    v2SubtreeControl,
    cmdline,
  };
}
