// The merged image filesystem: layers applied in order onto a MemoryFs (OCI whiteouts and opaque dirs, hard links),
// plus the first bytes of executables whose whole content was not kept.
import * as posix from 'node:path/posix';

import { UserError } from '../cli/user-error.ts';
import { HostFsError } from '../host/host-fs.ts';
import { MemoryFs } from '../host/memory-fs.ts';
import type { LayerEntry } from './layer-entries.ts';

export class ImageTree {
  readonly fs: MemoryFs;
  /** Real path → first bytes, for files kept only in part. */
  private readonly heads = new Map<string, Buffer>();

  constructor(label: string) {
    this.fs = new MemoryFs(label);
  }

  /** Whole content when kept, else the kept first bytes; undefined when neither is available. */
  readPrefix(path: string): Buffer | undefined {
    let real: string;
    try {
      real = this.fs.realpath(path);
    } catch {
      return undefined;
    }
    const h = this.heads.get(real);
    if (h !== undefined) return h;
    try {
      return this.fs.readFile(real);
    } catch {
      return undefined;
    }
  }

  private forget(prefix: string): void {
    for (const k of this.heads.keys()) if (k === prefix || k.startsWith(prefix + '/')) this.heads.delete(k);
  }

  /**
   * Where an entry lands: its parent directory resolved through symlinks inside the image (as a container runtime's
   * breakout-safe extraction does), so `bin/x` under a usrmerged `/bin -> usr/bin` lands in /usr/bin.
   */
  private place(path: string): string {
    const dir = posix.dirname(path);
    if (dir === '/') return path;
    let real: string;
    try {
      real = this.fs.realpath(dir);
    } catch (e) {
      if (e instanceof HostFsError) throw new UserError(`${this.fs.label}: tar entry ${path}: ${e.code === 'ELOOP' ? 'its parent directories form a symlink loop' : 'a parent path is not a directory'}`);
      throw e;
    }
    return posix.join(real, posix.basename(path));
  }

  /** Applies one layer: its whiteouts first (they hide lower layers only), then its entries in tar order. */
  apply(entries: readonly LayerEntry[]): void {
    try {
      this.applyUnchecked(entries);
    } catch (e) {
      if (e instanceof HostFsError) throw new UserError(`${this.fs.label}: ${e.message}`);
      throw e;
    }
  }

  private applyUnchecked(entries: readonly LayerEntry[]): void {
    for (const e of entries) {
      if (e.kind === 'opaque') {
        const p = e.path === '/' ? '/' : this.place(e.path);
        this.fs.clearDir(p);
        this.forget(p);
      } else if (e.kind === 'whiteout') {
        const p = this.place(e.path);
        this.fs.remove(p);
        this.forget(p);
      }
    }
    for (const e of entries) {
      if (e.kind === 'opaque' || e.kind === 'whiteout') continue;
      const path = this.place(e.path);
      switch (e.kind) {
        case 'dir':
          // As the container runtimes unpack: a directory entry replaces whatever non-directory was there.
          this.fs.addDir(path, 0o40000 | (e.mode & 0o7777));
          break;
        case 'file':
          this.forget(path);
          if (e.data !== undefined) this.fs.addFile(path, e.data, e.size, 0o100000 | (e.mode & 0o7777));
          else {
            this.fs.addFile(path, notKept(path), e.size, 0o100000 | (e.mode & 0o7777));
            if (e.head !== undefined) this.heads.set(path, e.head);
          }
          break;
        case 'symlink':
          this.forget(path);
          this.fs.addSymlink(path, e.target);
          break;
        case 'hardlink':
          this.forget(path);
          this.link(path, e.target);
          break;
      }
    }
  }

  private link(path: string, target: string): void {
    const st = this.fs.lstat(target);
    if (st?.kind !== 'file') return;
    let data: Buffer | (() => Buffer);
    try {
      data = this.fs.readFile(target);
    } catch {
      data = notKept(path);
    }
    this.fs.addFile(path, data, st.size, st.mode);
    const h = this.heads.get(target);
    if (h !== undefined) this.heads.set(path, h);
  }
}

function notKept(path: string): () => Buffer {
  return () => {
    throw new HostFsError('EIO', path, 'content was not kept in memory by the image reader (only metadata)');
  };
}
