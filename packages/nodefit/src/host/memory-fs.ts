// HostFs over an in-memory tree: what archive readers (kernel packages, image layers) build, and what edge-case tests use.
import {
  DEFAULT_MAX_READ,
  HostFsError,
  type HostFs,
  type HostStat,
} from './host-fs.ts';
import { resolveInRoot, splitPath, type RawTree } from './path-walk.ts';

/** File content, either held or produced on first read (e.g. decompressing a module only when a check needs it). */
export type FileData = Buffer | (() => Buffer);

export type MemoryNode =
  | { kind: 'file'; data: FileData; size: number; mode: number }
  | { kind: 'dir'; children: Map<string, MemoryNode>; mode: number }
  | { kind: 'symlink'; target: string; mode: number };

export class MemoryFs implements HostFs {
  readonly kind = 'memory' as const;
  readonly label: string;
  private readonly rootNode: MemoryNode = { kind: 'dir', children: new Map(), mode: 0o40755 };
  private readonly tree: RawTree;

  constructor(label: string) {
    this.label = label;
    this.tree = {
      entry: (abs) => {
        const n = this.nodeAt(abs);
        if (n === undefined) return undefined;
        if (n.kind === 'symlink') return { kind: 'symlink', target: n.target };
        return { kind: n.kind };
      },
    };
  }

  /** The node at an already-resolved path, without following links. */
  private nodeAt(abs: string): MemoryNode | undefined {
    let cur: MemoryNode = this.rootNode;
    for (const c of splitPath(abs)) {
      if (cur.kind !== 'dir') return undefined;
      const next = cur.children.get(c);
      if (next === undefined) return undefined;
      cur = next;
    }
    return cur;
  }

  private parentDir(path: string): { dir: Extract<MemoryNode, { kind: 'dir' }>; name: string } {
    const parts = splitPath(path).filter((c) => c !== '..');
    const name = parts.pop();
    if (name === undefined) throw new HostFsError('EISDIR', path);
    let cur: MemoryNode = this.rootNode;
    for (const c of parts) {
      if (cur.kind !== 'dir') throw new HostFsError('ENOTDIR', path);
      let next = cur.children.get(c);
      if (next === undefined) {
        next = { kind: 'dir', children: new Map(), mode: 0o40755 };
        cur.children.set(c, next);
      }
      cur = next;
    }
    if (cur.kind !== 'dir') throw new HostFsError('ENOTDIR', path);
    return { dir: cur, name };
  }

  /** Adds or replaces a file; parent directories are created as needed. */
  addFile(path: string, data: FileData, size?: number, mode = 0o100644): void {
    const { dir, name } = this.parentDir(path);
    const len = size ?? (typeof data === 'function' ? 0 : data.length);
    dir.children.set(name, { kind: 'file', data, size: len, mode });
  }

  addDir(path: string, mode = 0o40755): void {
    if (splitPath(path).length === 0) return;
    const { dir, name } = this.parentDir(path);
    const existing = dir.children.get(name);
    if (existing?.kind === 'dir') return;
    dir.children.set(name, { kind: 'dir', children: new Map(), mode });
  }

  addSymlink(path: string, target: string): void {
    const { dir, name } = this.parentDir(path);
    dir.children.set(name, { kind: 'symlink', target, mode: 0o120777 });
  }

  /** Removes a path and everything under it (OCI whiteouts). */
  remove(path: string): void {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) return;
    const parent = this.nodeAt('/' + parts.join('/'));
    if (parent?.kind === 'dir') parent.children.delete(name);
  }

  /** Empties a directory but keeps it (OCI opaque whiteouts). */
  clearDir(path: string): void {
    const n = this.nodeAt(resolveInRoot(this.tree, path));
    if (n?.kind === 'dir') n.children.clear();
  }

  display(path: string): string {
    return path;
  }

  readFile(path: string, maxBytes = DEFAULT_MAX_READ): Buffer {
    const n = this.nodeAt(resolveInRoot(this.tree, path));
    if (n === undefined) throw new HostFsError('ENOENT', path);
    if (n.kind === 'dir') throw new HostFsError('EISDIR', path);
    if (n.kind !== 'file') throw new HostFsError('EIO', path);
    if (n.size > maxBytes) throw new HostFsError('ETOOBIG', path, `file is ${n.size} bytes, more than the ${maxBytes} nodefit reads here`);
    const data = typeof n.data === 'function' ? n.data() : n.data;
    if (data.length > maxBytes) throw new HostFsError('ETOOBIG', path, `file is ${data.length} bytes, more than the ${maxBytes} nodefit reads here`);
    return data;
  }

  stat(path: string): HostStat | undefined {
    return this.statOf(this.safeResolve(path, true));
  }

  lstat(path: string): HostStat | undefined {
    return this.statOf(this.safeResolve(path, false));
  }

  private safeResolve(path: string, follow: boolean): string | undefined {
    try {
      return resolveInRoot(this.tree, path, follow);
    } catch (e) {
      if (e instanceof HostFsError && e.code === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  private statOf(abs: string | undefined): HostStat | undefined {
    if (abs === undefined) return undefined;
    const n = this.nodeAt(abs);
    if (n === undefined) return undefined;
    return { kind: n.kind, size: n.kind === 'file' ? n.size : 0, mode: n.mode };
  }

  readlink(path: string): string | undefined {
    const abs = this.safeResolve(path, false);
    const n = abs === undefined ? undefined : this.nodeAt(abs);
    return n?.kind === 'symlink' ? n.target : undefined;
  }

  readdir(path: string): string[] | undefined {
    const abs = this.safeResolve(path, true);
    const n = abs === undefined ? undefined : this.nodeAt(abs);
    return n?.kind === 'dir' ? [...n.children.keys()].sort() : undefined;
  }

  realpath(path: string): string {
    return resolveInRoot(this.tree, path, true);
  }

  /** Every file path in the tree (not following links), for indexes and tests. */
  *walk(dir = '/'): Generator<string> {
    const n = this.nodeAt(dir);
    if (n?.kind !== 'dir') return;
    for (const [name, child] of [...n.children].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (child.kind === 'dir') yield* this.walk(p);
      else yield p;
    }
  }
}
