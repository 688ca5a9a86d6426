// The single read-only view of a host that every collector reads through: live /, a root mounted elsewhere, or an archive.

export type FileKind = 'file' | 'dir' | 'symlink' | 'other';

export interface HostStat {
  readonly kind: FileKind;
  /** Bytes; procfs and sysfs report 0 for files that do have content. */
  readonly size: number;
  readonly mode: number;
}

export type HostFsErrorCode = 'ENOENT' | 'EACCES' | 'ELOOP' | 'ETOOBIG' | 'ENOTDIR' | 'EISDIR' | 'EIO';

/** A failed read, with the host path as the user would name it. */
export class HostFsError extends Error {
  constructor(
    readonly code: HostFsErrorCode,
    readonly path: string,
    detail?: string,
  ) {
    super(`${path}: ${detail ?? describeCode(code)}`);
    this.name = 'HostFsError';
  }
}

export function describeCode(code: HostFsErrorCode): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links (a loop?)';
    case 'ETOOBIG':
      return 'file is larger than nodefit reads for this purpose';
    case 'ENOTDIR':
      return 'not a directory';
    case 'EISDIR':
      return 'is a directory';
    case 'EIO':
      return 'read error';
  }
}

/** Default ceiling for one file read: config files, procfs tables, module indexes all fit far below it. */
export const DEFAULT_MAX_READ = 64 * 1024 * 1024;

export interface HostFs {
  /** "live", "root", or "memory" (archives, snapshots of trees, tests). */
  readonly kind: 'live' | 'root' | 'memory';
  /** How to name this host in messages, e.g. "/" or "--root /host". */
  readonly label: string;
  /** Reads a whole file after resolving symlinks inside the root; throws HostFsError. */
  readFile(path: string, maxBytes?: number): Buffer;
  /** Like stat(2): follows symlinks inside the root. Undefined when the path does not exist. */
  stat(path: string): HostStat | undefined;
  /** Like lstat(2): does not follow the last component. */
  lstat(path: string): HostStat | undefined;
  /** Target of a symlink, as stored; undefined when the path is not a symlink. */
  readlink(path: string): string | undefined;
  /** Sorted entry names; undefined when the path is not a directory. */
  readdir(path: string): string[] | undefined;
  /** Canonical absolute path inside the root, symlinks resolved (absolute targets stay inside the root). */
  realpath(path: string): string;
  /** How a host path appears in evidence, e.g. "/host/proc/cgroups" for --root /host. */
  display(path: string): string;
  /**
   * A real directory's fast path for listing a module tree (walk-module-tree.ts walkRealModuleDir): the module files
   * under `dir`, '/'-separated and sorted. Absent where the fs is not a real directory; throws HostFsError.
   */
  walkModuleDir?(dir: string): string[];
}

/** Reads text, or undefined when the file does not exist; other failures still throw. */
export function readTextIfExists(fs: HostFs, path: string, maxBytes?: number): string | undefined {
  try {
    return fs.readFile(path, maxBytes).toString('utf8');
  } catch (e) {
    if (e instanceof HostFsError && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return undefined;
    throw e;
  }
}

export type ReadOutcome =
  | { readonly ok: true; readonly path: string; readonly data: Buffer }
  | { readonly ok: false; readonly path: string; readonly error: HostFsError };

/** Reads without throwing, so collectors can record why a path gave nothing. */
export function tryRead(fs: HostFs, path: string, maxBytes?: number): ReadOutcome {
  try {
    return { ok: true, path, data: fs.readFile(path, maxBytes) };
  } catch (e) {
    if (e instanceof HostFsError) return { ok: false, path, error: e };
    throw e;
  }
}

/** Tries paths in order; returns the first readable one and the reasons the others failed. */
export function readFirst(
  fs: HostFs,
  paths: readonly string[],
  maxBytes?: number,
): { found?: { path: string; data: Buffer }; tried: string[]; failures: string[] } {
  const tried: string[] = [];
  const failures: string[] = [];
  for (const p of paths) {
    tried.push(fs.display(p));
    const r = tryRead(fs, p, maxBytes);
    if (r.ok) return { found: { path: p, data: r.data }, tried, failures };
    failures.push(r.error.message);
  }
  return { tried, failures };
}
