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
 */
export function walkRealModuleDir(absDir: string): string[] {
  const out: string[] = [];
  // directories still to read, as prefixes of their entries' relative paths ('' for the top, else 'kernel/net/')
  const stack: string[] = [''];
  while (stack.length > 0) {
    const prefix = stack.pop() as string;
    let entries: nodeFs.Dirent[];
    try {
      entries = nodeFs.readdirSync(prefix === '' ? absDir : absDir + '/' + prefix, { withFileTypes: true });
    } catch {
      continue;
    }
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as nodeFs.Dirent;
      const name = e.name;
      if (e.isDirectory()) {
        if (prefix !== '' || !SKIP_TOP.has(name)) stack.push(prefix + name + '/');
      } else if (moduleFileCompression(name) !== undefined && (e.isFile() || e.isSymbolicLink())) {
        out.push(prefix + name);
      }
    }
  }
  // one sort of plain strings runs in the engine without calling back into JavaScript
  return out.sort();
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
