// What the package readers report per archive member (tar and cpio alike), and how a consumer says which bytes it wants.
export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface ArchiveEntry {
  /** Normalised path without a leading "./" or "/", e.g. "lib/modules/6.1.0-27-amd64/modules.order". */
  readonly path: string;
  readonly kind: EntryKind;
  readonly size: number;
  readonly mode: number;
  /** Symlink or hardlink target as stored. */
  readonly linkTarget?: string;
}

export interface EntrySink {
  /** How many bytes of this entry's data to hold (0: skip the data; the whole entry must fit, else it is skipped). */
  want(entry: ArchiveEntry): number;
  /**
   * When true for a wanted entry, its data is passed in a scratch buffer the reader reuses: valid only during entry().
   * Saves allocating (and collecting) hundreds of MB for data that is only inspected, like module .modinfo.
   */
  transient?(entry: ArchiveEntry): boolean;
  /** Called once per entry, with the data when it was wanted and fitted. */
  entry(entry: ArchiveEntry, data: Buffer | undefined): void;
}

/** Strips "./" and "/" prefixes; undefined for paths that climb out of the archive root (hostile "../"). */
export function normaliseEntryPath(raw: string): string | undefined {
  const parts: string[] = [];
  for (const c of raw.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') return undefined;
    parts.push(c);
  }
  return parts.join('/');
}

/** A growable buffer the readers reuse for transient entry data. */
export class Scratch {
  private buf = Buffer.allocUnsafe(1024 * 1024);

  take(size: number): Buffer {
    if (size > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(size, this.buf.length * 2));
    return this.buf.subarray(0, size);
  }
}
