// The CLI's private cache directory (compiled code, the last decompressed kernel config): where it is, and reading and
// writing its files so that nothing another user could have placed or changed is ever used.
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';

/**
 * What is cached runs in this process (often as root) or decides its verdicts, so it is only read from and written to
 * places no one else can change: every directory from / down is owned by us or root and writable by no one else, and
 * nothing is a symlink.
 */
function trusted(st: nodeFs.Stats, uid: number): boolean {
  return (st.uid === uid || st.uid === 0) && (st.mode & 0o022) === 0;
}

/** A root-owned sticky directory (/tmp) lets no one else rename or remove what we keep below it. */
function stickyRoot(st: nodeFs.Stats): boolean {
  return st.uid === 0 && (st.mode & 0o1000) !== 0;
}

function trustedDir(dir: string, uid: number): boolean {
  for (let d = dir; ; d = nodePath.dirname(d)) {
    let st: nodeFs.Stats;
    try {
      st = nodeFs.lstatSync(d);
    } catch {
      return false;
    }
    if (!st.isDirectory() || !(trusted(st, uid) || (d !== dir && stickyRoot(st)))) return false;
    if (d === nodePath.dirname(d)) return true;
  }
}

/** Our uid, or -1 where the platform has none (Windows): then there is no private cache. */
export function currentUid(): number {
  return process.getuid?.() ?? -1;
}

/**
 * $NODEFIT_COMPILE_CACHE (a directory, or "0" to keep nothing), else $XDG_CACHE_HOME/nodefit or ~/.cache/nodefit.
 * Only the last directory is ever created, inside a parent that already passes the checks; otherwise (a read-only or
 * foreign home, `sudo -E` with someone else's HOME) the CLI runs without a cache. Null when there is none to use.
 */
export function privateCacheDir(env: Readonly<Record<string, string | undefined>>, uid: number): string | null {
  if (uid === -1) return null;
  const set = env.NODEFIT_COMPILE_CACHE;
  if (set === '0' || set === 'off') return null;
  const xdg = env.XDG_CACHE_HOME;
  const home = env.HOME;
  const dir = set ? set : xdg ? nodePath.join(xdg, 'nodefit') : home ? nodePath.join(home, '.cache', 'nodefit') : null;
  if (dir === null || !nodePath.isAbsolute(dir)) return null;
  if (!nodeFs.existsSync(dir)) {
    try {
      nodeFs.mkdirSync(dir, { mode: 0o700 });
    } catch {
      // made by a concurrent run, or its parent is missing: either way the checks below decide
    }
  }
  return trustedDir(dir, uid) ? dir : null;
}

/**
 * A regular file of ours that no one else can write, at most maxBytes long; undefined for anything else. It is read
 * into `scratch` when it fits (the result is then a view of it), so a caller that has pages already touched can
 * spare the process fresh ones.
 */
export function readPrivateFile(file: string, uid: number, maxBytes: number, scratch?: Buffer): Buffer | undefined {
  let fd: number;
  try {
    fd = nodeFs.openSync(file, nodeFs.constants.O_RDONLY | nodeFs.constants.O_NOFOLLOW | nodeFs.constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = nodeFs.fstatSync(fd);
    if (!st.isFile() || st.uid !== uid || (st.mode & 0o022) !== 0 || st.size > maxBytes) return undefined;
    const buf = scratch !== undefined && scratch.length >= st.size ? scratch.subarray(0, st.size) : Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = nodeFs.readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) return undefined;
      off += n;
    }
    return buf;
  } catch {
    return undefined;
  } finally {
    nodeFs.closeSync(fd);
  }
}

/** Replaces `file` whole (a private temp file renamed over it) or leaves it as it was; never throws. */
export function writePrivateFile(file: string, data: Buffer | readonly Buffer[]): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = nodeFs.openSync(tmp, 'wx', 0o600);
    try {
      for (const part of Buffer.isBuffer(data) ? [data] : data) {
        for (let off = 0; off < part.length; ) off += nodeFs.writeSync(fd, part, off);
      }
    } finally {
      nodeFs.closeSync(fd);
    }
    nodeFs.renameSync(tmp, file);
    return true;
  } catch {
    nodeFs.rmSync(tmp, { force: true });
    return false;
  }
}
