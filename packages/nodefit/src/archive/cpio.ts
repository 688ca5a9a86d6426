// A push-mode reader for "newc" cpio (the payload of an RPM; "070701", or "070702" with checksums): 110-byte ASCII-hex
// headers, the name padded so header+name is a multiple of 4, then the data padded to 4 (cpio(5), rpm's lib/cpio.c).
import { ArchiveError } from './archive-error.ts';
import { normaliseEntryPath, Scratch, type ArchiveEntry, type EntryKind, type EntrySink } from './entry.ts';

export const CPIO_HEADER_SIZE = 110;
const TRAILER = 'TRAILER!!!';
/** Linux PATH_MAX; rpm refuses longer names too. */
const MAX_NAME = 4096;

export interface CpioHeader {
  readonly mode: number;
  readonly nlink: number;
  readonly fileSize: number;
  readonly nameSize: number;
}

/** Parses the fixed part of a newc header; throws ArchiveError on bad magic or non-hex fields. */
export function parseCpioHeader(h: Uint8Array, file: string, index: number): CpioHeader {
  const b = Buffer.from(h.buffer, h.byteOffset, h.byteLength);
  if (b.length < CPIO_HEADER_SIZE) throw new ArchiveError(file, `cpio header #${index} is truncated`);
  const magic = b.toString('latin1', 0, 6);
  if (magic !== '070701' && magic !== '070702') {
    throw new ArchiveError(file, `cpio header #${index} has bad magic ${JSON.stringify(magic.replace(/[^\x20-\x7e]/g, '?'))} (only "newc" cpio is supported)`);
  }
  const field = (i: number): number => {
    const s = b.toString('latin1', 6 + i * 8, 14 + i * 8);
    if (!/^[0-9a-fA-F]{8}$/.test(s)) throw new ArchiveError(file, `cpio header #${index} has a non-hex field`);
    return parseInt(s, 16);
  };
  return { mode: field(1), nlink: field(4), fileSize: field(6), nameSize: field(11) };
}

function kindOf(mode: number): EntryKind {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'dir';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

type Phase =
  | { t: 'header' }
  | { t: 'name'; h: CpioHeader; buf: Buffer; filled: number; pad: number }
  | { t: 'data'; entry: ArchiveEntry | undefined; symlink: boolean; remaining: number; pad: number; hold: Buffer | undefined; filled: number }
  | { t: 'skip'; remaining: number }
  | { t: 'end' };

export class CpioScanner {
  private readonly head = Buffer.alloc(CPIO_HEADER_SIZE);
  private headFill = 0;
  private phase: Phase = { t: 'header' };
  entries = 0;
  private readonly scratch = new Scratch();

  constructor(
    private readonly sink: EntrySink,
    private readonly name: string,
  ) {}

  get ended(): boolean {
    return this.phase.t === 'end';
  }

  push(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      const p = this.phase;
      switch (p.t) {
        case 'end':
          return;
        case 'header': {
          const n = Math.min(CPIO_HEADER_SIZE - this.headFill, chunk.length - i);
          chunk.copy(this.head, this.headFill, i, i + n);
          this.headFill += n;
          i += n;
          if (this.headFill === CPIO_HEADER_SIZE) {
            this.headFill = 0;
            const h = parseCpioHeader(this.head, this.name, this.entries + 1);
            if (h.nameSize === 0 || h.nameSize > MAX_NAME) throw new ArchiveError(this.name, `cpio header #${this.entries + 1} has an impossible name length ${h.nameSize}`);
            this.phase = { t: 'name', h, buf: Buffer.alloc(h.nameSize), filled: 0, pad: pad4(CPIO_HEADER_SIZE + h.nameSize) };
          }
          break;
        }
        case 'name': {
          const want = p.buf.length + p.pad - p.filled;
          const n = Math.min(want, chunk.length - i);
          const copyN = Math.min(n, Math.max(0, p.buf.length - p.filled));
          if (copyN > 0) chunk.copy(p.buf, p.filled, i, i + copyN);
          p.filled += n;
          i += n;
          if (p.filled === p.buf.length + p.pad) this.onName(p.h, p.buf);
          break;
        }
        case 'data': {
          const n = Math.min(p.remaining, chunk.length - i);
          if (p.hold !== undefined) chunk.copy(p.hold, p.filled, i, i + n);
          p.filled += n;
          p.remaining -= n;
          i += n;
          if (p.remaining === 0) this.finishData(p);
          break;
        }
        case 'skip': {
          const n = Math.min(p.remaining, chunk.length - i);
          p.remaining -= n;
          i += n;
          if (p.remaining === 0) this.phase = { t: 'header' };
          break;
        }
      }
    }
  }

  end(): void {
    if (this.phase.t !== 'end') throw new ArchiveError(this.name, 'cpio data is truncated (no TRAILER!!! entry)');
  }

  private onName(h: CpioHeader, nameBuf: Buffer): void {
    const nul = nameBuf.indexOf(0);
    const raw = nameBuf.toString('utf8', 0, nul < 0 ? nameBuf.length : nul);
    if (raw === TRAILER) {
      this.phase = { t: 'end' };
      return;
    }
    this.entries++;
    const kind = kindOf(h.mode);
    const path = normaliseEntryPath(raw);
    const pad = pad4(h.fileSize);
    // newc hardlinks: every link but the last has size 0; those are reported as empty files, which is all a tree needs
    const entry: ArchiveEntry | undefined = path === undefined ? undefined : { path, kind, size: kind === 'symlink' ? 0 : h.fileSize, mode: h.mode & 0o7777 };
    let hold: Buffer | undefined;
    if (entry !== undefined && kind === 'symlink') {
      if (h.fileSize > MAX_NAME) throw new ArchiveError(this.name, `cpio symlink ${raw} has an impossible target length ${h.fileSize}`);
      hold = Buffer.alloc(h.fileSize);
    } else if (entry !== undefined && kind === 'file') {
      const max = this.sink.want(entry);
      if (max > 0 && h.fileSize <= max) hold = this.sink.transient?.(entry) === true ? this.scratch.take(h.fileSize) : Buffer.allocUnsafe(h.fileSize);
    }
    const p: Extract<Phase, { t: 'data' }> = { t: 'data', entry, symlink: kind === 'symlink', remaining: h.fileSize, pad, hold, filled: 0 };
    if (p.remaining === 0) this.finishData(p);
    else this.phase = p;
  }

  private finishData(p: Extract<Phase, { t: 'data' }>): void {
    if (p.entry !== undefined) {
      if (p.symlink) this.sink.entry({ ...p.entry, linkTarget: (p.hold ?? Buffer.alloc(0)).toString('utf8') }, undefined);
      else this.sink.entry(p.entry, p.hold);
    }
    this.phase = p.pad > 0 ? { t: 'skip', remaining: p.pad } : { t: 'header' };
  }
}
