// Parses depmod's modules.dep ("path: dep-path dep-path ...") into module names, dependencies and file paths.
import { moduleNameFromPath } from './module-name.ts';
import { setOwn } from './plain-record.ts';

export interface ModulesDep {
  /** Module name → names of the modules it needs, in file order. */
  readonly deps: Record<string, string[]>;
  /** Module name → its path as depmod wrote it (relative to the module directory). */
  readonly paths: ReadonlyMap<string, string>;
  /** Lines without the "path:" form; skipped, counted so damage is visible. */
  readonly malformedLines: number;
}

/** Never throws. When a name appears twice (a module in updates/ and in kernel/), the first line wins, as in kmod's index. */
export function parseModulesDep(text: string): ModulesDep {
  const deps: Record<string, string[]> = {};
  const paths = new Map<string, string>();
  // the same dependency paths recur thousands of times: derive each name once
  const names = new Map<string, string>();
  let malformed = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '' || line.startsWith('#') || line.trim() === '') continue;
    const colon = line.indexOf(':');
    const path = colon === -1 ? '' : line.slice(0, colon).trim();
    if (path === '' || path.includes(' ') || path.includes('\t')) {
      malformed++;
      continue;
    }
    const name = moduleNameFromPath(path);
    if (paths.has(name)) continue;
    paths.set(name, path);
    const list: string[] = [];
    setOwn(deps, name, list);
    // depmod writes "path:" alone, or "path: dep dep" with single spaces
    if (colon === line.length - 1) continue;
    const words = line.slice(colon + 1).split(' ');
    for (let j = 0; j < words.length; j++) {
      const w = words[j] as string;
      const t = w.includes('\t') ? w.trim() : w;
      if (t === '') continue;
      let n = names.get(t);
      if (n === undefined) {
        n = moduleNameFromPath(t);
        names.set(t, n);
      }
      list.push(n);
    }
  }
  return { deps, paths, malformedLines: malformed };
}
