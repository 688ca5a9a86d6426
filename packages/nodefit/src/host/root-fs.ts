// HostFs over a real directory: the live host at "/", or a host root mounted elsewhere (--root /host in a DaemonSet).
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import {
  DEFAULT_MAX_READ,
  HostFsError,
  type FileKind,
  type HostFs,
  type HostFsErrorCode,
  type HostStat,
} from './host-fs.ts';
import { resolveInRoot, type RawTree } from './path-walk.ts';
import { walkRealModuleDir } from '../facts/modules/walk-module-tree.ts';

const READ_CHUNK = 64 * 1024;
/** Reads are synchronous, so one buffer serves every readBounded call in the process. */
let scratch: Buffer | undefined;

function kindOf(s: nodeFs.Stats): FileKind {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  if (s.isSymbolicLink()) return 'symlink';
  return 'other';
}

function codeOf(e: unknown): HostFsErrorCode {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'EACCES':
    case 'ELOOP':
    case 'ENOTDIR':
    case 'EISDIR':
      return code;
    case 'EPERM':
      return 'EACCES';
    default:
      return 'EIO';
  }
}

/**
 * Reads at most maxBytes from a real file. procfs/sysfs files report size 0, so the size is not trusted:
 * the file is read in chunks and refused as soon as it passes the limit, keeping memory bounded.
 */
export function readBounded(realPath: string, shownPath: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = nodeFs.openSync(realPath, 'r');
  } catch (e) {
    throw new HostFsError(codeOf(e), shownPath);
  }
  try {
    const st = nodeFs.fstatSync(fd);
    if (st.isDirectory()) throw new HostFsError('EISDIR', shownPath);
    if (st.size > maxBytes) {
      throw new HostFsError('ETOOBIG', shownPath, `file is ${st.size} bytes, more than the ${maxBytes} nodefit reads here`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    // a file that states its size is read into a buffer of its own; the rest (and the read that finds the end) go
    // through one shared scratch buffer, copied out: procfs and sysfs files hold a few bytes each, and a fresh 64 KiB
    // buffer per read was a third of what reading them cost
    let own = st.size > 0 ? Buffer.allocUnsafe(Math.min(st.size + 1, maxBytes + 1)) : undefined;
    for (;;) {
      const into = own ?? (scratch ??= Buffer.allocUnsafeSlow(READ_CHUNK));
      let n: number;
      try {
        n = nodeFs.readSync(fd, into, 0, into.length, null);
      } catch (e) {
        throw new HostFsError(codeOf(e), shownPath);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) {
        throw new HostFsError('ETOOBIG', shownPath, `file is larger than the ${maxBytes} bytes nodefit reads here`);
      }
      chunks.push(own === undefined ? Buffer.from(into.subarray(0, n)) : n === own.length ? own : own.subarray(0, n));
      own = undefined;
    }
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
  } finally {
    nodeFs.closeSync(fd);
  }
}

/** An absolute path that nodePath.resolve would return unchanged: no empty, "." or ".." component, no trailing "/". */
export function isPlainAbsolute(path: string): boolean {
  if (path === '/') return true;
  return path.startsWith('/') && !path.endsWith('/') && !path.includes('//') && !/\/\.\.?(\/|$)/.test(path);
}

export class RootFs implements HostFs {
  readonly kind: 'live' | 'root';
  readonly label: string;
  /** The absolute directory read as the host's "/". */
  readonly root: string;
  private readonly tree: RawTree;

  constructor(root = '/') {
    this.root = nodePath.resolve(root);
    this.kind = this.root === '/' ? 'live' : 'root';
    this.label = this.kind === 'live' ? '/' : `--root ${this.root}`;
    const base = this.root;
    this.tree = {
      entry(abs) {
        // abs is canonical ("/" and components, resolveInRoot), so plain concatenation is the join
        const onDisk = base + abs;
        try {
          // a missing component is the common answer (a dozen places tried for one file): no exception is made for it
          const s = nodeFs.lstatSync(onDisk, { throwIfNoEntry: false });
          if (s === undefined) return undefined;
          if (s.isSymbolicLink()) return { kind: 'symlink', target: nodeFs.readlinkSync(onDisk) };
          return { kind: kindOf(s) === 'dir' ? 'dir' : kindOf(s) === 'file' ? 'file' : 'other' };
        } catch (e) {
          const c = codeOf(e);
          if (c === 'ENOENT' || c === 'ENOTDIR') return undefined;
          throw new HostFsError(c, abs);
        }
      },
    };
  }

  /** Real on-disk path for a host path; on the live host the kernel resolves links itself. */
  private real(path: string, followLast = true): string {
    if (this.kind === 'live') return isPlainAbsolute(path) ? path : nodePath.resolve('/', path);
    const inRoot = resolveInRoot(this.tree, path, followLast);
    // the root itself keeps its trailing slash, as path.join gave it: a --root that is a symlink is then followed
    return inRoot === '/' ? `${this.root}/` : this.root + inRoot;
  }

  display(path: string): string {
    return this.kind === 'live' ? path : nodePath.join(this.root, path);
  }

  readFile(path: string, maxBytes = DEFAULT_MAX_READ): Buffer {
    return readBounded(this.real(path), this.display(path), maxBytes);
  }

  stat(path: string): HostStat | undefined {
    return this.statWith(path, true);
  }

  lstat(path: string): HostStat | undefined {
    return this.statWith(path, false);
  }

  private statWith(path: string, follow: boolean): HostStat | undefined {
    try {
      const real = this.real(path, follow);
      // a missing path is the common answer (a dozen places tried for one file): no exception is made for it
      const s = follow ? nodeFs.statSync(real, { throwIfNoEntry: false }) : nodeFs.lstatSync(real, { throwIfNoEntry: false });
      return s === undefined ? undefined : { kind: kindOf(s), size: s.size, mode: s.mode };
    } catch (e) {
      if (e instanceof HostFsError && e.code !== 'ENOENT' && e.code !== 'ENOTDIR') throw e;
      return undefined;
    }
  }

  readlink(path: string): string | undefined {
    try {
      return nodeFs.readlinkSync(this.real(path, false));
    } catch {
      return undefined;
    }
  }

  readdir(path: string): string[] | undefined {
    try {
      return nodeFs.readdirSync(this.real(path)).sort();
    } catch (e) {
      if (e instanceof HostFsError && e.code === 'ELOOP') throw e;
      return undefined;
    }
  }

  walkModuleDir(dir: string): string[] {
    // display(realpath(p)) is the on-disk path of p with symlinks resolved inside the root
    return walkRealModuleDir(this.display(this.realpath(dir)));
  }

  realpath(path: string): string {
    if (this.kind === 'live') {
      try {
        return nodeFs.realpathSync(path);
      } catch (e) {
        throw new HostFsError(codeOf(e), path);
      }
    }
    return resolveInRoot(this.tree, path, true);
  }
}
