// Directory listing and stat that turn hostile-tree errors (symlink loops, EACCES) into "nothing here" for collectors.
import { HostFsError, type HostFs, type HostStat } from '../../host/host-fs.ts';

/** Entry names, or undefined when the path is not a listable directory for any reason (including a symlink loop). */
export function safeReaddir(fs: HostFs, path: string): string[] | undefined {
  try {
    return fs.readdir(path);
  } catch (e) {
    if (e instanceof HostFsError) return undefined;
    throw e;
  }
}

export function safeStat(fs: HostFs, path: string): HostStat | undefined {
  try {
    return fs.stat(path);
  } catch (e) {
    if (e instanceof HostFsError) return undefined;
    throw e;
  }
}

export function safeLstat(fs: HostFs, path: string): HostStat | undefined {
  try {
    return fs.lstat(path);
  } catch (e) {
    if (e instanceof HostFsError) return undefined;
    throw e;
  }
}
