// NODEFIT_DEBUG=1 stack traces point into src/: the CLI bundle has short names and long lines, and Node applies no
// source map to code compiled through vm.Script, so its frames are mapped here through the bundle's own map.
import * as nodePath from 'node:path';
import type { SourceMap } from 'node:module';

/** A frame's location: "/…/dist/cli-main.cjs:12:345" (1-based line and column). */
const LOCATION = /(\/[^\s()]+\.cjs):(\d+):(\d+)/g;

function loadMap(file: string): SourceMap | null {
  try {
    // node:module only on this path: a run that does not fail never loads it
    const { SourceMap: SourceMapOf } = process.getBuiltinModule('node:module');
    const text = process.getBuiltinModule('node:fs').readFileSync(`${file}.map`, 'utf8');
    return new SourceMapOf(JSON.parse(text) as ConstructorParameters<typeof SourceMapOf>[0]);
  } catch {
    return null;
  }
}

/** The stack with each bundle location replaced by the src/ file, line and column it was built from. */
export function mappedStack(stack: string): string {
  const maps = new Map<string, SourceMap | null>();
  return stack.replace(LOCATION, (whole, file: string, line: string, column: string) => {
    let map = maps.get(file);
    if (map === undefined) {
      map = loadMap(file);
      maps.set(file, map);
    }
    if (map === null) return whole;
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!('originalSource' in entry)) return whole;
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : nodePath.resolve(nodePath.dirname(file), entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
