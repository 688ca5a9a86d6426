// Lists every module file under a module directory from directory entries alone: names give compression, no file is opened.
import * as nodeFs from 'node:fs';
import type { HostFs } from '../../host/host-fs.ts';
import { safeLstat, safeReaddir } from '../kernel/safe-host.ts';
import { moduleFileCompression } from './module-name.ts';

/**
 * `build` and `source` are symlinks into kernel headers/sources (Debian, RHEL); they hold no installed modules and can
 * point anywhere, so they are never entered. Symlinked directories in general are not followed (loops, escapes);
 * symlinked module files are listed (RHEL weak-updates/ links modules built for another release of the same ABI).
 */
const SKIP_TOP = new Set(['build', 'source']);

/**
 * Walks a real on-disk directory with one readdir per directory and no stat per file. Returns the module files' paths
 * relative to the directory, '/'-separated, sorted by UTF-16 code units (the order the rest of the collector relies on).
 *
 * The order comes without sorting the whole list: readdir hands each directory's names over sorted, and a depth-first
 * walk that takes a directory's entries in order, each subdirectory ranked as "name/" (what its files' paths continue
 * with), lists paths in sorted order. A directory whose entries are not in that order (a sibling "x-y" or "x.y" next to
 * directory "x", or names beyond ASCII) is sorted on its own.
 */
export function walkRealModuleDir(absDir: string): string[] {
  const out: string[] = [];
  // entries still to visit, last to visit first: file paths, and directories as prefixes ending in '/' ('' for the top)
  const stack: string[] = [''];
  const items: string[] = [];
  while (stack.length > 0) {
    const item = stack.pop() as string;
    if (item !== '' && !item.endsWith('/')) {
      out.push(item);
      continue;
    }
    let entries: nodeFs.Dirent[];
    try {
      entries = nodeFs.readdirSync(item === '' ? absDir : absDir + '/' + item.slice(0, -1), { withFileTypes: true });
    } catch {
      continue;
    }
    items.length = 0;
    let dirs = 0;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as nodeFs.Dirent;
      const name = e.name;
      if (e.isDirectory()) {
        if (item !== '' || !SKIP_TOP.has(name)) {
          items.push(item + name + '/');
          dirs++;
        }
      } else if (moduleFileCompression(name) !== undefined && (e.isFile() || e.isSymbolicLink())) {
        items.push(item + name);
      }
    }
    let inOrder = true;
    for (let i = 1; inOrder && i < items.length; i++) inOrder = (items[i - 1] as string) < (items[i] as string);
    if (!inOrder) items.sort();
    if (dirs === 0) {
      // a leaf directory (most of them): its files go straight out
      for (let i = 0; i < items.length; i++) out.push(items[i] as string);
    } else {
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i] as string);
    }
  }
  return out;
}

/** The same walk through any HostFs (archives, memory trees): names with a module suffix are taken without a stat. */
export function walkHostModuleDir(fs: HostFs, dir: string): string[] {
  const out: string[] = [];
  const stack: string[] = [''];
  const base = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    const names = safeReaddir(fs, rel === '' ? base || '/' : `${base}/${rel}`) ?? [];
    for (const name of names) {
      const relPath = rel === '' ? name : `${rel}/${name}`;
      if (moduleFileCompression(name) !== undefined) {
        out.push(relPath);
        continue;
      }
      if (rel === '' && SKIP_TOP.has(name)) continue;
      if (safeLstat(fs, `${base}/${relPath}`)?.kind === 'dir') stack.push(relPath);
    }
  }
  return out.sort();
}
