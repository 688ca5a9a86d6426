// Module names and compression from file names alone, the way kmod derives them (no file is opened).
import type { ModuleCompression } from './schema.ts';

/** kmod treats '-' and '_' in module names as the same character and stores '_' (libkmod-util.c underscores()). */
export function foldModuleName(name: string): string {
  return name.includes('-') ? name.replaceAll('-', '_') : name;
}

/**
 * Length of the module suffix a name or path ends with: ".ko" 3, ".ko.xz" and ".ko.gz" 6, ".ko.zst" 7, else 0.
 * endsWith runs inside the engine; lastIndexOf is a call into the runtime, and these run tens of thousands of times.
 */
function suffixLength(s: string): number {
  if (s.endsWith('.ko')) return 3;
  if (s.endsWith('.ko.xz') || s.endsWith('.ko.gz')) return 6;
  return s.endsWith('.ko.zst') ? 7 : 0;
}

/** The suffix of a name or path, when something other than '/' stands before it (the file name has a stem). */
function stemmedSuffixLength(s: string): number {
  const n = suffixLength(s);
  return n > 0 && s.length > n && s.charCodeAt(s.length - n - 1) !== 47 ? n : 0;
}

function compressionOf(s: string, suffix: number): ModuleCompression {
  if (suffix === 3) return 'none';
  if (suffix === 7) return 'zstd';
  return s.charCodeAt(s.length - 2) === 120 ? 'xz' : 'gzip';
}

/** Compression from the file name; undefined when the name is not a module file at all. */
export function moduleFileKind(fileName: string): { stem: string; compression: ModuleCompression } | undefined {
  const n = suffixLength(fileName);
  if (n === 0 || fileName.length <= n) return undefined;
  return { stem: fileName.slice(0, fileName.length - n), compression: compressionOf(fileName, n) };
}

/** The compression a module file's name says (the base name of a path), or undefined for any other name; builds no string. */
export function moduleFileCompression(path: string): ModuleCompression | undefined {
  const n = stemmedSuffixLength(path);
  return n === 0 ? undefined : compressionOf(path, n);
}

/** "kernel/net/ipv4/netfilter/iptable_raw.ko.xz" → "iptable_raw"; a path without a module suffix keeps its base name. */
export function moduleNameFromPath(path: string): string {
  const end = path.length - stemmedSuffixLength(path);
  const start = path.lastIndexOf('/', end - 1) + 1;
  return foldModuleName(start === 0 && end === path.length ? path : path.slice(start, end));
}
