// Module names and compression from file names alone, the way kmod derives them (no file is opened).
import type { ModuleCompression } from './schema.ts';

/** kmod treats '-' and '_' in module names as the same character and stores '_' (libkmod-util.c underscores()). */
export function foldModuleName(name: string): string {
  return name.includes('-') ? name.replaceAll('-', '_') : name;
}

/**
 * The compression a module file name's suffix says (".ko", ".ko.xz", ".ko.gz", ".ko.zst"), given where its ".ko" starts;
 * undefined when the rest of the name is not one of those suffixes. None of the suffixes holds a second ".ko", so the
 * last ".ko" in a name is where its suffix starts, if it has one.
 */
function suffixCompression(name: string, ko: number): ModuleCompression | undefined {
  switch (name.length - ko) {
    case 3:
      return 'none';
    case 6:
      if (name.endsWith('.xz')) return 'xz';
      return name.endsWith('.gz') ? 'gzip' : undefined;
    case 7:
      return name.endsWith('.zst') ? 'zstd' : undefined;
    default:
      return undefined;
  }
}

/** Compression from the file name; undefined when the name is not a module file at all. */
export function moduleFileKind(fileName: string): { stem: string; compression: ModuleCompression } | undefined {
  const ko = fileName.lastIndexOf('.ko');
  if (ko <= 0) return undefined;
  const compression = suffixCompression(fileName, ko);
  return compression === undefined ? undefined : { stem: fileName.slice(0, ko), compression };
}

/** The compression a module file's name says (the base name of a path), or undefined for any other name; builds no string. */
export function moduleFileCompression(path: string): ModuleCompression | undefined {
  const ko = path.lastIndexOf('.ko');
  return ko > path.lastIndexOf('/') + 1 ? suffixCompression(path, ko) : undefined;
}

/** "kernel/net/ipv4/netfilter/iptable_raw.ko.xz" → "iptable_raw"; a path without a module suffix keeps its base name. */
export function moduleNameFromPath(path: string): string {
  const slash = path.lastIndexOf('/');
  const ko = path.lastIndexOf('.ko');
  const end = ko > slash + 1 && suffixCompression(path, ko) !== undefined ? ko : path.length;
  return foldModuleName(slash === -1 && end === path.length ? path : path.slice(slash + 1, end));
}
