// Turns the tar reader's entries into layer entries as they stream past: whiteouts and opaque markers, links, and
// metadata for every file, holding contents only where keep-policy.ts asks (whole, or the first bytes).
import type { ArchiveEntry } from '../archive/entry.ts';
import type { ScanSink } from '../archive/tar-scan.ts';
import { UserError } from '../cli/user-error.ts';
import { HEAD_BYTES, keepDecision, type KeepDecision } from './keep-policy.ts';
import { MAX_LAYER_ENTRIES, normalizeEntryPath, type LayerEntry } from './layer-entries.ts';

/** The tar reader's path hook for image archives: refuses hostile names, gives "a/b" for "./a/b". */
export function imageEntryPath(where: string): (raw: string) => string {
  return (raw) => normalizeEntryPath(raw, where).slice(1);
}

export class LayerSink implements ScanSink {
  readonly entries: LayerEntry[] = [];
  // want(), head() and entry() ask about the same entry in turn: decide once
  private decided: ArchiveEntry | undefined;
  private decision: KeepDecision = 'none';

  /** `scope` finishes "more than N entries…" in the error for too many entries. */
  constructor(
    private readonly where: string,
    private readonly scope = ' in one layer',
  ) {}

  private keep(e: ArchiveEntry): KeepDecision {
    if (e !== this.decided) {
      this.decided = e;
      this.decision = keepDecision('/' + e.path, e.size, e.mode);
    }
    return this.decision;
  }

  want(e: ArchiveEntry): number {
    return this.keep(e) === 'whole' ? e.size : 0;
  }

  head(e: ArchiveEntry): number {
    return this.keep(e) === 'head' ? HEAD_BYTES : 0;
  }

  entry(e: ArchiveEntry, data: Buffer | undefined): void {
    const le = this.toLayerEntry(e, data);
    if (le === undefined) return;
    this.entries.push(le);
    if (this.entries.length > MAX_LAYER_ENTRIES) {
      throw new UserError(`${this.where}: more than ${MAX_LAYER_ENTRIES} entries${this.scope}; refusing (metadata alone would exhaust memory)`);
    }
  }

  private toLayerEntry(e: ArchiveEntry, data: Buffer | undefined): LayerEntry | undefined {
    const path = '/' + e.path;
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1);
    const dir = slash <= 0 ? '/' : path.slice(0, slash);
    if (base === '.wh..wh..opq') return { kind: 'opaque', path: dir };
    if (base.startsWith('.wh.')) return { kind: 'whiteout', path: (dir === '/' ? '' : dir) + '/' + base.slice(4) };
    switch (e.kind) {
      case 'file': {
        const { size, mode } = e;
        const keep = this.keep(e);
        // an empty file is held as an empty buffer (the reader holds nothing for it)
        if (keep === 'whole') return { kind: 'file', path, size, mode, data: data ?? Buffer.alloc(0) };
        if (keep === 'head') return { kind: 'file', path, size, mode, head: data ?? Buffer.alloc(0) };
        return { kind: 'file', path, size, mode };
      }
      case 'dir':
        return path === '/' ? undefined : { kind: 'dir', path, mode: e.mode };
      case 'symlink':
        return { kind: 'symlink', path, target: e.linkTarget ?? '' };
      case 'hardlink':
        return { kind: 'hardlink', path, target: normalizeEntryPath(e.linkTarget ?? '', this.where) };
      case 'other':
        // Devices, fifos: nothing the image facts need.
        return undefined;
    }
  }
}
