// Parses /proc/<pid>/mountinfo (proc(5)), the one place that says which cgroup and binfmt_misc filesystems are mounted where.

export interface MountInfoEntry {
  readonly id: number;
  readonly parentId: number;
  /** "major:minor" of the filesystem: every mount of one cgroup hierarchy shares it. */
  readonly device: string;
  /**
   * Path inside the filesystem that is mounted here ("/" for the whole filesystem), or what a filesystem with its
   * own show_path prints instead: nsfs gives "net:[4026531833]" (fs/nsfs.c nsfs_show_path) for every network
   * namespace bind-mounted under /run/netns, as CNI plugins and `ip netns add` make one per pod.
   */
  readonly root: string;
  readonly mountPoint: string;
  readonly mountOptions: readonly string[];
  readonly optionalFields: readonly string[];
  readonly fsType: string;
  readonly source: string;
  readonly superOptions: readonly string[];
}

export type MountInfoResult =
  | { readonly ok: true; readonly entries: readonly MountInfoEntry[] }
  | { readonly ok: false; readonly reason: string };

/**
 * The kernel escapes space, tab, newline and backslash in paths as three-digit octal (\040, \011, \012, \134)
 * (fs/proc_namespace.c show_mountinfo → seq_path_root with " \t\n\\"). Any other backslash is kept as is.
 */
export function unescapeMountField(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\([0-3][0-7]{2})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** nsfs_show_path's "%s:[%lu]": the namespace type's name (net, mnt, uts, ipc, pid, user, cgroup, time), its inode. */
const NSFS_ROOT = /^[a-z_]+:\[\d+\]$/;

function parseLine(line: string): MountInfoEntry | undefined {
  const fields = line.split(' ');
  // 6 fixed fields, optional fields, "-", then fstype, source, super options
  const sep = fields.indexOf('-', 6);
  if (sep < 0 || fields.length < sep + 3) return undefined;
  const [idS, parentS, device, root, mountPoint, mountOpts] = fields;
  if (idS === undefined || parentS === undefined || device === undefined || root === undefined) return undefined;
  if (mountPoint === undefined || mountOpts === undefined) return undefined;
  if (!/^\d+$/.test(idS) || !/^\d+$/.test(parentS) || !/^\d+:\d+$/.test(device)) return undefined;
  const fsType = fields[sep + 1] as string;
  const source = fields[sep + 2] as string;
  // super options never contain spaces; anything after them means the line is not what the kernel writes
  if (fields.length > sep + 4) return undefined;
  const superOpts = fields[sep + 3] ?? '';
  // the root is a path or an nsfs name (see MountInfoEntry.root); the mount point is always a path (seq_path_root)
  if (fsType === '' || !(root.startsWith('/') || NSFS_ROOT.test(root)) || !mountPoint.startsWith('/')) return undefined;
  return {
    id: Number(idS),
    parentId: Number(parentS),
    device,
    root: unescapeMountField(root),
    mountPoint: unescapeMountField(mountPoint),
    mountOptions: mountOpts.split(','),
    optionalFields: fields.slice(6, sep),
    fsType: unescapeMountField(fsType),
    source: unescapeMountField(source),
    superOptions: superOpts === '' ? [] : superOpts.split(',').map(unescapeMountField),
  };
}

/**
 * Parses the whole file. The kernel never writes a malformed line, so one means this is not a real mountinfo
 * (a damaged copy, the wrong file): the result is then a reason, not a partial list that looks complete.
 */
export function parseMountInfo(text: string): MountInfoResult {
  const entries: MountInfoEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const e = parseLine(line);
    if (e === undefined) {
      const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line;
      return { ok: false, reason: `line ${i + 1} is not a mountinfo line: ${JSON.stringify(shown)}` };
    }
    entries.push(e);
  }
  if (entries.length === 0) return { ok: false, reason: 'no mounts listed (empty file)' };
  return { ok: true, entries };
}

/**
 * The filesystem types any collector reads from the mount table: cgroup hierarchies (cgroups/collect.ts) and the
 * binfmt_misc mount (binfmt/collect.ts). Every other line (a pod's overlay rootfs, its secret tmpfs, a CNI netns) is
 * churn on a busy node, so it is dropped as the table is read: nothing after this can come to depend on it, which
 * is what lets the run memo take a table that only churned as unchanged (facts/churn.ts).
 */
export const MOUNT_TYPES_READ: ReadonlySet<string> = new Set(['cgroup', 'cgroup2', 'binfmt_misc']);

/** parseMountInfo, keeping only the mounts of MOUNT_TYPES_READ (a malformed line anywhere still refuses the file). */
export function parseMountsRead(text: string): MountInfoResult {
  const parsed = parseMountInfo(text);
  return parsed.ok ? { ok: true, entries: parsed.entries.filter((e) => MOUNT_TYPES_READ.has(e.fsType)) } : parsed;
}
