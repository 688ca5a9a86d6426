// Resolves a path inside a root the way the kernel would inside a chroot, so absolute symlinks in a --root or an image never escape it.
import { HostFsError } from './host-fs.ts';

/** Linux's own limit on symlinks followed in one lookup (MAXSYMLINKS). */
export const MAX_SYMLINK_HOPS = 40;

export interface RawTree {
  /** 'symlink' with its target, 'dir', 'other', or undefined when absent; never follows links. */
  entry(absPath: string): { kind: 'symlink'; target: string } | { kind: 'dir' | 'file' | 'other' } | undefined;
}

export function splitPath(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * Canonical path of `path` under the tree's root. With followLast=false the final component is left as is
 * (lstat semantics). Throws ELOOP after MAX_SYMLINK_HOPS, ENOTDIR when a middle component is a file.
 * A missing component ends resolution: the rest is joined lexically, so callers then see ENOENT.
 */
export function resolveInRoot(tree: RawTree, path: string, followLast = true): string {
  let pending = splitPath(path);
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const comp = pending.shift() as string;
    if (comp === '..') {
      done.pop();
      continue;
    }
    const candidate = '/' + [...done, comp].join('/');
    const isLast = pending.length === 0;
    const e = tree.entry(candidate);
    if (e === undefined) {
      // nothing exists below a missing component: the rest is resolved lexically, still never above the root
      done.push(comp);
      for (const rest of pending) {
        if (rest === '..') done.pop();
        else done.push(rest);
      }
      return '/' + done.join('/');
    }
    if (e.kind === 'symlink' && (!isLast || followLast)) {
      hops += 1;
      if (hops > MAX_SYMLINK_HOPS) throw new HostFsError('ELOOP', path);
      const target = splitPath(e.target);
      if (e.target.startsWith('/')) done.length = 0;
      pending = [...target, ...pending];
      continue;
    }
    if (!isLast && e.kind !== 'dir' && e.kind !== 'symlink') {
      throw new HostFsError('ENOTDIR', path);
    }
    done.push(comp);
  }
  return '/' + done.join('/');
}
