// The one tar reader (package payloads, image archives and their layers): push-mode, so it walks headers and skips
// unwanted data without copying it, and a 400 MB data.tar or image layer streams at the speed of its source. It never
// holds more than one wanted member (or the first bytes of one), and can hand a member's data on piece by piece.
// Formats: POSIX ustar (prefix field), GNU long names ('L'/'K'), pax 'x' path/linkpath/size records, base-256 sizes,
// v7 directories (a regular entry whose name ends in "/"); every header's checksum is checked.
import { ArchiveError } from './archive-error.ts';
import { normaliseEntryPath, Scratch, type ArchiveEntry, type EntryKind, type EntrySink } from './entry.ts';

/** What a consumer may additionally ask of TarScanner beyond EntrySink. */
export interface ScanSink extends EntrySink {
  /**
   * For a file entry want() did not take whole: how many of its first bytes to hold (0: none). entry() then gets a
   * buffer shorter than entry.size.
   */
  head?(entry: ArchiveEntry): number;
  /** True: the entry's data goes to data() piece by piece as it streams past (views of the input, not copies). */
  stream?(entry: ArchiveEntry): boolean;
  /** A piece of a streamed entry's data; valid only during the call unless the caller keeps the input chunk alive. */
  data?(entry: ArchiveEntry, piece: Buffer): void;
}

export interface TarScanOptions {
  /**
   * Turns a stored name into the entry path (no leading "/"); undefined skips the entry. It may throw to refuse the
   * archive (images refuse absolute and "../" names). Default: normaliseEntryPath (hostile names are skipped).
   */
  readonly normalise?: (raw: string) => string | undefined;
  /**
   * Read on past end-of-archive markers (zero blocks), as `tar --ignore-zeros` does: archives joined with `tar -A`
   * or `cat` keep them in the middle. Default: stop at the first marker.
   */
  readonly ignoreZeros?: boolean;
}

const BLOCK = 512;
/** Long-name and pax records larger than this are not real paths. */
const MAX_META = 1024 * 1024;

function parseOctal(b: Buffer, start: number, len: number): number {
  // base-256 (GNU) for sizes above 8 GiB: high bit set in the first byte
  if ((b[start]! & 0x80) !== 0) {
    let v = 0;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i]!;
    return v;
  }
  let v = 0;
  let seen = false;
  for (let i = start; i < start + len; i++) {
    const c = b[i]!;
    if (c === 0 || c === 0x20) {
      if (seen) break;
      continue;
    }
    if (c < 0x30 || c > 0x37) return -1;
    v = v * 8 + (c - 0x30);
    seen = true;
  }
  return v;
}

function cstr(b: Buffer, start: number, len: number): string {
  let end = start;
  while (end < start + len && b[end] !== 0) end++;
  return b.toString('utf8', start, end);
}

function checksumOk(h: Buffer): boolean {
  const stored = parseOctal(h, 148, 8);
  // the checksum field itself counts as eight spaces; some old tars summed signed chars (each byte >= 0x80 then
  // counts 256 less), which is accepted too
  let sum = 8 * 0x20;
  let high = 0;
  for (let i = 0; i < 148; i++) {
    const c = h[i]!;
    sum += c;
    high += c >> 7;
  }
  for (let i = 156; i < BLOCK; i++) {
    const c = h[i]!;
    sum += c;
    high += c >> 7;
  }
  return stored === sum || stored === sum - 256 * high;
}

function isZeroBlock(h: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (h[i] !== 0) return false;
  return true;
}

function kindOf(flag: number): EntryKind {
  switch (flag) {
    case 0:
    case 0x30:
    case 0x37:
      return 'file';
    case 0x31:
      return 'hardlink';
    case 0x32:
      return 'symlink';
    case 0x35:
      return 'dir';
    default:
      return 'other';
  }
}

/** pax extended header records: "len key=value\n". */
export function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(data.toString('latin1', i, sp));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) break;
    const rec = data.toString('utf8', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

type Phase =
  | { t: 'header' }
  | {
      t: 'data';
      entry: ArchiveEntry | undefined;
      meta: 'L' | 'K' | 'x' | 'g' | undefined;
      remaining: number;
      pad: number;
      hold: Buffer | undefined;
      filled: number;
      stream: boolean;
    }
  | { t: 'pad'; remaining: number }
  | { t: 'end' };

export class TarScanner {
  private readonly head = Buffer.alloc(BLOCK);
  private headFill = 0;
  private phase: Phase = { t: 'header' };
  private longName: string | undefined;
  private longLink: string | undefined;
  private pax: Map<string, string> | undefined;
  private zeroBlocks = 0;
  entries = 0;
  private readonly scratch = new Scratch();
  private readonly normalise: (raw: string) => string | undefined;
  private readonly ignoreZeros: boolean;

  constructor(
    private readonly sink: ScanSink,
    private readonly name: string,
    options: TarScanOptions = {},
  ) {
    this.normalise = options.normalise ?? normaliseEntryPath;
    this.ignoreZeros = options.ignoreZeros ?? false;
  }

  get ended(): boolean {
    return this.phase.t === 'end';
  }

  push(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      const p = this.phase;
      if (p.t === 'end') return;
      if (p.t === 'header') {
        const n = Math.min(BLOCK - this.headFill, chunk.length - i);
        chunk.copy(this.head, this.headFill, i, i + n);
        this.headFill += n;
        i += n;
        if (this.headFill === BLOCK) {
          this.headFill = 0;
          this.onHeader();
        }
        continue;
      }
      if (p.t === 'pad') {
        const n = Math.min(p.remaining, chunk.length - i);
        p.remaining -= n;
        i += n;
        if (p.remaining === 0) this.phase = { t: 'header' };
        continue;
      }
      // data
      const n = Math.min(p.remaining, chunk.length - i);
      if (p.hold !== undefined && p.filled < p.hold.length) chunk.copy(p.hold, p.filled, i, i + Math.min(n, p.hold.length - p.filled));
      if (p.stream) this.sink.data?.(p.entry!, chunk.subarray(i, i + n));
      p.filled += n;
      p.remaining -= n;
      i += n;
      if (p.remaining === 0) this.finishData(p);
    }
  }

  /** Call at end of input: a stream that stops inside a member, or before any end marker after members, is truncated. */
  end(): void {
    if (this.phase.t === 'end') return;
    if (this.phase.t === 'header' && this.headFill === 0 && (this.zeroBlocks > 0 || this.entries > 0)) {
      // GNU tar tolerates a missing end-of-archive marker; so do we, but only at a member boundary
      return;
    }
    throw new ArchiveError(this.name, 'tar data is truncated (ends inside a member)');
  }

  private onHeader(): void {
    const h = this.head;
    if (isZeroBlock(h)) {
      this.zeroBlocks++;
      if (this.zeroBlocks >= 2 && !this.ignoreZeros) this.phase = { t: 'end' };
      return;
    }
    this.zeroBlocks = 0;
    if (!checksumOk(h)) throw new ArchiveError(this.name, `tar header #${this.entries + 1} has a bad checksum (not a tar file, or corrupt)`);
    const flag = h[156]!;
    let size = parseOctal(h, 124, 12);
    if (size < 0) throw new ArchiveError(this.name, `tar header #${this.entries + 1} has an invalid size field`);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    // meta records: GNU long name/link, pax local/global headers
    if (flag === 0x4c || flag === 0x4b || flag === 0x78 || flag === 0x67) {
      if (size > MAX_META) throw new ArchiveError(this.name, `tar extended header of ${size} bytes is larger than any real path record`);
      const meta = flag === 0x4c ? 'L' : flag === 0x4b ? 'K' : flag === 0x78 ? 'x' : 'g';
      this.startData({ t: 'data', entry: undefined, meta, remaining: size, pad, hold: Buffer.alloc(size), filled: 0, stream: false });
      return;
    }
    const magic = h.toString('latin1', 257, 262);
    let rawPath = this.pax?.get('path') ?? this.longName;
    if (rawPath === undefined) {
      const name = cstr(h, 0, 100);
      const prefix = magic === 'ustar' && h[262] === 0 ? cstr(h, 345, 155) : '';
      rawPath = prefix !== '' ? `${prefix}/${name}` : name;
    }
    const paxSize = this.pax?.get('size');
    if (paxSize !== undefined && /^[0-9]+$/.test(paxSize)) size = Number(paxSize);
    const linkTarget = this.pax?.get('linkpath') ?? this.longLink ?? cstr(h, 157, 100);
    this.longName = undefined;
    this.longLink = undefined;
    this.pax = undefined;
    this.entries++;
    const kind = (flag === 0 || flag === 0x30) && rawPath.endsWith('/') ? 'dir' : kindOf(flag);
    const dataSize = kind === 'file' ? size : kind === 'dir' || kind === 'symlink' || kind === 'hardlink' ? 0 : size;
    const realPad = (BLOCK - (size % BLOCK)) % BLOCK;
    const path = this.normalise(rawPath);
    const entry: ArchiveEntry | undefined =
      path === undefined
        ? undefined
        : {
            path,
            kind,
            size: dataSize,
            mode: parseOctal(h, 100, 8) & 0o7777,
            ...(kind === 'symlink' || kind === 'hardlink' ? { linkTarget } : {}),
          };
    let hold: Buffer | undefined;
    let stream = false;
    if (entry !== undefined && kind === 'file') {
      const max = this.sink.want(entry);
      if (max > 0 && size <= max) hold = this.sink.transient?.(entry) === true ? this.scratch.take(size) : Buffer.allocUnsafe(size);
      else if (this.sink.stream?.(entry) === true) stream = true;
      else {
        const head = Math.min(this.sink.head?.(entry) ?? 0, size);
        if (head > 0) hold = Buffer.allocUnsafe(head);
      }
    }
    this.startData({ t: 'data', entry, meta: undefined, remaining: size, pad: realPad, hold, filled: 0, stream });
  }

  private startData(p: Extract<Phase, { t: 'data' }>): void {
    if (p.remaining === 0) this.finishData(p);
    else this.phase = p;
  }

  private finishData(p: Extract<Phase, { t: 'data' }>): void {
    if (p.meta !== undefined) {
      const data = p.hold ?? Buffer.alloc(0);
      if (p.meta === 'L') this.longName = cstr(data, 0, data.length);
      else if (p.meta === 'K') this.longLink = cstr(data, 0, data.length);
      else if (p.meta === 'x') this.pax = parsePax(data);
    } else if (p.entry !== undefined) {
      this.sink.entry(p.entry, p.hold);
    }
    this.phase = p.pad > 0 ? { t: 'pad', remaining: p.pad } : { t: 'header' };
  }
}
