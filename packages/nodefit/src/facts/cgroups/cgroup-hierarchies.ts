// Turns mount table entries into cgroup hierarchies and the v1 / v2 / hybrid mode; pure, so it is property-tested.
import type { CgroupMode } from './schema.ts';
import type { MountInfoEntry } from './parse-mountinfo.ts';

export interface V1Hierarchy {
  readonly version: 1;
  readonly mountPoint: string;
  readonly controllers: string[];
}

export interface V2Mount {
  readonly version: 2;
  readonly mountPoint: string;
  /** Mounted cgroup path: "/" for the root cgroup, whose cgroup.controllers is the host's. */
  readonly root: string;
}

/**
 * Options cgroup1_show_options() prints that are not controllers (kernel/cgroup/cgroup-v1.c), plus the generic
 * rw/ro. "name=…" stays: it identifies named hierarchies such as systemd's.
 */
const V1_NON_CONTROLLER_OPTIONS = new Set(['rw', 'ro', 'noprefix', 'cpuset_v2_mode', 'favordynmods', 'xattr', 'clone_children']);

function v1Controllers(superOptions: readonly string[]): string[] {
  return superOptions.filter((o) => o !== '' && !V1_NON_CONTROLLER_OPTIONS.has(o) && !o.startsWith('release_agent='));
}

function preferred(a: MountInfoEntry, b: MountInfoEntry): MountInfoEntry {
  // the whole hierarchy ("/") beats a bind mount of one cgroup; then the shorter, more canonical mount point
  if ((a.root === '/') !== (b.root === '/')) return a.root === '/' ? a : b;
  return b.mountPoint.length < a.mountPoint.length ? b : a;
}

/**
 * One entry per hierarchy: every mount of one hierarchy shares its superblock (device), so bind mounts and
 * the same hierarchy mounted twice are counted once, under its most canonical mount point.
 */
export function cgroupMounts(entries: readonly MountInfoEntry[]): { v1: V1Hierarchy[]; v2: V2Mount[] } {
  const byDevice = new Map<string, MountInfoEntry>();
  const order: string[] = [];
  for (const e of entries) {
    if (e.fsType !== 'cgroup' && e.fsType !== 'cgroup2') continue;
    const key = `${e.fsType} ${e.device}`;
    const prev = byDevice.get(key);
    if (prev === undefined) order.push(key);
    byDevice.set(key, prev === undefined ? e : preferred(prev, e));
  }
  const v1: V1Hierarchy[] = [];
  const v2: V2Mount[] = [];
  for (const key of order) {
    const e = byDevice.get(key) as MountInfoEntry;
    if (e.fsType === 'cgroup') v1.push({ version: 1, mountPoint: e.mountPoint, controllers: v1Controllers(e.superOptions) });
    else v2.push({ version: 2, mountPoint: e.mountPoint, root: e.root });
  }
  return { v1, v2 };
}

/**
 * v2: only cgroup2 (systemd "unified"); v1: only v1 hierarchies ("legacy"); hybrid: both, typically systemd's
 * layout with v1 controllers under /sys/fs/cgroup and an extra cgroup2 at /sys/fs/cgroup/unified. runc and the
 * kubelet call that layout v1 (they test whether /sys/fs/cgroup itself is cgroup2), so checks look at where
 * each controller is, not only at this label.
 */
export function cgroupMode(v1Count: number, v2Count: number): CgroupMode {
  if (v1Count > 0 && v2Count > 0) return 'hybrid';
  if (v1Count > 0) return 'v1';
  if (v2Count > 0) return 'v2';
  return 'none';
}

/** The cgroup2 mount whose root-cgroup files describe the host: /sys/fs/cgroup, then systemd's hybrid spot, then any. */
export function primaryV2(v2: readonly V2Mount[]): V2Mount | undefined {
  const rooted = v2.filter((m) => m.root === '/');
  return (
    rooted.find((m) => m.mountPoint === '/sys/fs/cgroup') ??
    rooted.find((m) => m.mountPoint === '/sys/fs/cgroup/unified') ??
    rooted[0]
  );
}

/** cgroup.controllers / cgroup.subtree_control: space-separated names on one line. */
export function parseControllerList(text: string): string[] | undefined {
  const t = text.trim();
  if (t === '') return [];
  const names = t.split(/\s+/);
  return names.every((n) => /^[a-z0-9_]+$/.test(n)) ? names : undefined;
}
