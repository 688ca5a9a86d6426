// Parses depmod's modules.dep ("path: dep-path dep-path ...") into module names, dependencies and file paths.
import { moduleNameFromPath } from './module-name.ts';

export interface ModulesDep {
  /** Module name → names of the modules it needs, in file order. */
  readonly deps: Record<string, string[]>;
  /** Module name → its path as depmod wrote it (relative to the module directory). */
  readonly paths: Record<string, string>;
  /** Lines without the "path:" form; skipped, counted so damage is visible. */
  readonly malformedLines: number;
}

/** Never throws. When a name appears twice (a module in updates/ and in kernel/), the first line wins, as in kmod's index. */
export function parseModulesDep(text: string): ModulesDep {
  const deps = new Map<string, string[]>();
  const paths = new Map<string, string>();
  const names = new Map<string, string>();
  let malformed = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line === '' || line.startsWith('#') || line.trim() === '') continue;
    const colon = line.indexOf(':');
    const path = colon === -1 ? '' : line.slice(0, colon).trim();
    if (path === '' || path.includes(' ') || path.includes('\t')) {
      malformed++;
      continue;
    }
    const name = moduleNameFromPath(path);
    if (deps.has(name)) continue;
    const list: string[] = [];
    for (const w of line.slice(colon + 1).split(' ')) {
      const t = w.includes('\t') ? w.trim() : w;
      if (t === '') continue;
      // the same dependency paths recur thousands of times: derive each name once
      let n = names.get(t);
      if (n === undefined) {
        n = moduleNameFromPath(t);
        names.set(t, n);
      }
      list.push(n);
    }
    deps.set(name, list);
    paths.set(name, path);
  }
  return { deps: Object.fromEntries(deps), paths: Object.fromEntries(paths), malformedLines: malformed };
}
