// Module names and compression from file names alone, the way kmod derives them (no file is opened).
import type { ModuleCompression } from './schema.ts';

/** kmod treats '-' and '_' in module names as the same character and stores '_' (libkmod-util.c underscores()). */
export function foldModuleName(name: string): string {
  return name.includes('-') ? name.replaceAll('-', '_') : name;
}

const SUFFIXES: ReadonlyArray<readonly [string, ModuleCompression]> = [
  ['.ko', 'none'],
  ['.ko.xz', 'xz'],
  ['.ko.gz', 'gzip'],
  ['.ko.zst', 'zstd'],
];

/** Compression from the file name; undefined when the name is not a module file at all. */
export function moduleFileKind(fileName: string): { stem: string; compression: ModuleCompression } | undefined {
  for (const [suffix, compression] of SUFFIXES) {
    if (fileName.length > suffix.length && fileName.endsWith(suffix)) {
      return { stem: fileName.slice(0, fileName.length - suffix.length), compression };
    }
  }
  return undefined;
}

/** "kernel/net/ipv4/netfilter/iptable_raw.ko.xz" → "iptable_raw"; a path without a module suffix keeps its base name. */
export function moduleNameFromPath(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const k = moduleFileKind(base);
  return foldModuleName(k === undefined ? base : k.stem);
}
