// Converts between in-memory facts (maps for fast lookup) and the snapshot's wire form (lines, fast to parse); lossless.
import type { Fact } from './fact.ts';
import type { KernelConfig } from './kernel/schema.ts';
import type { ModuleFile } from './modules/schema.ts';
import { moduleFileCompression, moduleNameFromPath } from './modules/module-name.ts';
import type { Snapshot } from './snapshot.ts';
import type { WireSnapshot } from './snapshot-wire.ts';

type WireConfig = Omit<KernelConfig, 'options'> & { options: string };

function mapKnown<T, U>(f: Fact<T>, fn: (v: T) => U): Fact<U> {
  return f.state === 'known' ? { state: 'known', value: fn(f.value), source: f.source } : f;
}

/** Snapshots come from untrusted agents: a "__proto__" line must not reach a record's prototype. */
const safeKey = (k: string) => k !== '__proto__' && k !== 'constructor' && k !== 'prototype';

export function encodeConfig(c: KernelConfig): WireConfig {
  const { options } = c;
  // default sort: UTF-16 code unit order without a call back into JavaScript per comparison. The parser's keys are
  // slices of the config text, which V8 compares only through a runtime call; the JSON round trip hands sort flat
  // copies it compares inline (10,000 keys: ~20 M instructions less than sorting the slices).
  const lines = JSON.parse(JSON.stringify(Array.from(options.keys()))) as string[];
  lines.sort();
  for (let i = 0; i < lines.length; i++) {
    const k = lines[i] as string;
    lines[i] = k + '=' + (options.get(k) ?? '');
  }
  return { ...c, options: lines.join('\n') };
}

export function decodeConfig(c: WireConfig): KernelConfig {
  // a Map takes any name as a plain key, so unlike the records below no name needs turning away
  const options = new Map<string, string>();
  if (c.options !== '') {
    for (const line of c.options.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) options.set(line.slice(0, eq), line.slice(eq + 1));
    }
  }
  return { ...c, options };
}

/** A file line is its path, or "name\tpath" when the name does not follow from the path (never seen; kept lossless). */
function encodeFiles(files: Record<string, ModuleFile>): string[] {
  // default sort: UTF-16 code unit order without a call back into JavaScript per comparison
  const names = Object.keys(files).sort();
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const f = files[name] as ModuleFile;
    names[i] = moduleFileCompression(f.path) === f.compression && moduleNameFromPath(f.path) === name ? f.path : `${name}\t${f.compression}\t${f.path}`;
  }
  return names;
}

function decodeFiles(lines: readonly string[]): Record<string, ModuleFile> {
  const out: Record<string, ModuleFile> = {};
  for (const line of lines) {
    const parts = line.split('\t');
    if (parts.length === 3) {
      if (!safeKey(parts[0] as string)) continue;
      out[parts[0] as string] = { path: parts[2] as string, compression: parts[1] as ModuleFile['compression'] };
      continue;
    }
    // the inverse of encodeFiles: the same two functions decide name and compression from the path
    const name = moduleNameFromPath(line);
    if (!safeKey(name)) continue;
    out[name] = { path: line, compression: moduleFileCompression(line) ?? 'none' };
  }
  return out;
}

function encodeLists(m: Record<string, string[]>, sep: string): string[] {
  const bare = sep.trimEnd();
  const keys = Object.keys(m).sort();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const list = m[k] ?? [];
    // most lists hold one name or none: skip join() for them
    keys[i] = list.length === 0 ? k + bare : k + sep + (list.length === 1 ? (list[0] ?? '') : list.join(' '));
  }
  return keys;
}

function decodeLists(lines: readonly string[], sep: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const bare = sep.trimEnd();
  for (const line of lines) {
    const i = line.indexOf(sep);
    const key = i < 0 ? line : line.slice(0, i);
    if (!safeKey(key) || !safeKey(key.endsWith(bare) && bare !== '' ? key.slice(0, -bare.length) : key)) continue;
    if (i < 0) {
      out[bare === '' ? line : line.endsWith(bare) ? line.slice(0, -bare.length) : line] = [];
      continue;
    }
    out[line.slice(0, i)] = line.slice(i + sep.length).split(' ').filter((x) => x !== '');
  }
  return out;
}

export function encodeSnapshot(s: Snapshot): WireSnapshot {
  const m = s.facts.modules;
  return {
    ...s,
    facts: {
      ...s.facts,
      kernel: { ...s.facts.kernel, config: mapKnown(s.facts.kernel.config, encodeConfig) },
      modules: {
        ...m,
        files: mapKnown(m.files, encodeFiles),
        deps: mapKnown(m.deps, (d) => encodeLists(d, ': ')),
        aliases: mapKnown(m.aliases, (a) => encodeLists(a, ' ')),
      },
    },
  };
}

export function decodeSnapshot(w: WireSnapshot): Snapshot {
  const m = w.facts.modules;
  return {
    ...w,
    facts: {
      ...w.facts,
      kernel: { ...w.facts.kernel, config: mapKnown(w.facts.kernel.config, decodeConfig) },
      modules: {
        ...m,
        files: mapKnown(m.files, decodeFiles),
        deps: mapKnown(m.deps, (l) => decodeLists(l, ': ')),
        aliases: mapKnown(m.aliases, (l) => decodeLists(l, ' ')),
      },
    },
  };
}
