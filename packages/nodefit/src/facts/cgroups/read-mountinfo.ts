// Reads the mounts collectors use (MOUNT_TYPES_READ) from the host's mount table once per area: pid 1's first (the
// host's init, what --root /host in a DaemonSet with hostPID sees), then our own, recording which one answered.
import type { CollectContext } from '../collect-context.ts';
import { known, unknown, type Fact } from '../fact.ts';
import { tryRead } from '../../host/host-fs.ts';
import { offlineReason } from '../offline-reason.ts';
import { parseMountsRead, type MountInfoEntry } from './parse-mountinfo.ts';

export const MOUNTINFO_PATHS = ['/proc/1/mountinfo', '/proc/self/mountinfo'] as const;

/** A node with thousands of pod mounts stays far below this; anything larger is not a mount table. */
export const MOUNTINFO_MAX_BYTES = 16 * 1024 * 1024;

export function readMountInfo(ctx: CollectContext): Fact<readonly MountInfoEntry[]> {
  const tried = MOUNTINFO_PATHS.map((p) => ctx.fs.display(p));
  if (ctx.offline) return unknown(tried, offlineReason(ctx, 'mount table'));
  const failures: string[] = [];
  for (const p of MOUNTINFO_PATHS) {
    const r = tryRead(ctx.fs, p, MOUNTINFO_MAX_BYTES);
    if (!r.ok) {
      failures.push(r.error.message);
      continue;
    }
    const parsed = parseMountsRead(r.data.toString('utf8'));
    if (parsed.ok) return known(parsed.entries, ctx.fs.display(p));
    failures.push(`${ctx.fs.display(p)}: ${parsed.reason}`);
  }
  return unknown(tried, failures.join('; '));
}
