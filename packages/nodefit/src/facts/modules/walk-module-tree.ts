// Lists every module file under a module directory from directory entries alone: names give compression, no file is opened.
import * as nodeFs from 'node:fs';
import type { HostFs } from '../../host/host-fs.ts';
import { safeLstat, safeReaddir } from '../kernel/safe-host.ts';
import { moduleFileKind } from './module-name.ts';
import type { ModuleCompression } from './schema.ts';

export interface FoundModule {
  /** Relative to the module directory, '/'-separated. */
  readonly path: string;
  readonly stem: string;
  readonly compression: ModuleCompression;
}

/**
 * `build` and `source` are symlinks into kernel headers/sources (Debian, RHEL); they hold no installed modules and can
 * point anywhere, so they are never entered. Symlinked directories in general are not followed (loops, escapes);
 * symlinked module files are listed (RHEL weak-updates/ links modules built for another release of the same ABI).
 */
const SKIP_TOP = new Set(['build', 'source']);

/** Walks a real on-disk directory with one readdir per directory and no stat per file. */
export function walkRealModuleDir(absDir: string): FoundModule[] {
  const out: FoundModule[] = [];
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    let entries: nodeFs.Dirent[];
    try {
      entries = nodeFs.readdirSync(rel === '' ? absDir : `${absDir}/${rel}`, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const name = e.name;
      if (e.isDirectory()) {
        if (rel === '' && SKIP_TOP.has(name)) continue;
        stack.push(rel === '' ? name : `${rel}/${name}`);
        continue;
      }
      if (!e.isFile() && !e.isSymbolicLink()) continue;
      const k = moduleFileKind(name);
      if (k !== undefined) out.push({ path: rel === '' ? name : `${rel}/${name}`, stem: k.stem, compression: k.compression });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The same walk through any HostFs (archives, memory trees): names with a module suffix are taken without a stat. */
export function walkHostModuleDir(fs: HostFs, dir: string): FoundModule[] {
  const out: FoundModule[] = [];
  const stack: string[] = [''];
  const base = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    const names = safeReaddir(fs, rel === '' ? base || '/' : `${base}/${rel}`) ?? [];
    for (const name of names) {
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const k = moduleFileKind(name);
      if (k !== undefined) {
        out.push({ path: relPath, stem: k.stem, compression: k.compression });
        continue;
      }
      if (rel === '' && SKIP_TOP.has(name)) continue;
      if (safeLstat(fs, `${base}/${relPath}`)?.kind === 'dir') stack.push(relPath);
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
