// Locates an RPM's payload in place: 96-byte lead, signature header (padded to 8 bytes), main header, then the
// compressed cpio payload. Layout and sanity limits follow rpm's lib/header.c and lib/header_internal.h
// (hdrchkTags: at most 0xffff index entries; hdrchkData: at most 256 MiB of data) and doc/manual/format.md.
import * as nodeFs from 'node:fs';
import { ArchiveError } from './archive-error.ts';
import { withPackageFile } from './package-file.ts';

export const RPM_LEAD_SIZE = 96;
const LEAD_MAGIC = [0xed, 0xab, 0xee, 0xdb];
const HEADER_MAGIC = [0x8e, 0xad, 0xe8, 0x01];
/** rpm's HEADER_TAGS_MAX / HEADER_DATA_MAX. */
export const RPM_MAX_TAGS = 0xffff;
export const RPM_MAX_DATA = 256 * 1024 * 1024;
/** The main header is parsed for its name/version tags only when it is this small (kernel packages: ~1 MB). */
const MAX_PARSED_HEADER = 32 * 1024 * 1024;

const TAG_NAME = 1000;
const TAG_VERSION = 1001;
const TAG_RELEASE = 1002;
const TAG_PAYLOADFORMAT = 1124;
const TAG_PAYLOADCOMPRESSOR = 1125;
const RPM_STRING_TYPE = 6;

export interface RpmHeaderIntro {
  readonly indexCount: number;
  readonly dataSize: number;
  /** Bytes of the whole header structure: 16-byte intro + 16 per index entry + data. */
  readonly totalSize: number;
}

/** Parses a 16-byte header intro (magic, reserved, index count, data size) and checks it against rpm's limits and the file. */
export function parseRpmHeaderIntro(b: Uint8Array, at: number, fileSize: number, file: string, what: string): RpmHeaderIntro {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length < 16) throw new ArchiveError(file, `rpm ${what} at offset ${at} is truncated`);
  for (let i = 0; i < 4; i++) if (buf[i] !== HEADER_MAGIC[i]) throw new ArchiveError(file, `rpm ${what} at offset ${at} has bad magic`);
  const indexCount = buf.readUInt32BE(8);
  const dataSize = buf.readUInt32BE(12);
  if (indexCount === 0 || indexCount > RPM_MAX_TAGS) throw new ArchiveError(file, `rpm ${what} claims ${indexCount} index entries (rpm allows 1 to ${RPM_MAX_TAGS})`);
  if (dataSize > RPM_MAX_DATA) throw new ArchiveError(file, `rpm ${what} claims ${dataSize} bytes of data (rpm allows at most ${RPM_MAX_DATA})`);
  const totalSize = 16 + indexCount * 16 + dataSize;
  if (at + totalSize > fileSize) {
    throw new ArchiveError(file, `rpm ${what} claims ${totalSize} bytes but the file ends ${fileSize - at} bytes after it starts (truncated, or a lying header)`);
  }
  return { indexCount, dataSize, totalSize };
}

/** Reads string tags from a header's index + data (the bytes after the 16-byte intro); entries pointing outside are ignored. */
export function readRpmStringTags(body: Buffer, intro: RpmHeaderIntro, tags: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  const dataStart = intro.indexCount * 16;
  for (let i = 0; i < intro.indexCount; i++) {
    const e = i * 16;
    if (e + 16 > body.length) break;
    const tag = body.readUInt32BE(e);
    const type = body.readUInt32BE(e + 4);
    const offset = body.readInt32BE(e + 8);
    if (!tags.includes(tag) || type !== RPM_STRING_TYPE || offset < 0 || offset >= intro.dataSize) continue;
    const start = dataStart + offset;
    const nul = body.indexOf(0, start);
    if (nul < 0 || nul > dataStart + intro.dataSize) continue;
    out.set(tag, body.toString('utf8', start, nul));
  }
  return out;
}

export interface RpmLayout {
  readonly payloadOffset: number;
  readonly payloadSize: number;
  readonly name?: string;
  readonly version?: string;
  readonly release?: string;
  /** PAYLOADCOMPRESSOR, e.g. "xz" or "zstd"; the bytes' magic decides in the end. */
  readonly compressor?: string;
  readonly format?: string;
}

/** Reads the lead and both headers with positional reads; the payload stays on disk. */
export function readRpmLayout(path: string): RpmLayout {
  return withPackageFile(path, (fd, stat) => {
    const fileSize = stat.size;
    const read = (len: number, at: number): Buffer => {
      const b = Buffer.alloc(len);
      const n = nodeFs.readSync(fd, b, 0, len, at);
      return n === len ? b : b.subarray(0, n);
    };
    const lead = read(RPM_LEAD_SIZE, 0);
    if (lead.length < 4 || LEAD_MAGIC.some((m, i) => lead[i] !== m)) throw new ArchiveError(path, 'not an RPM package (no lead magic ed ab ee db)');
    if (lead.length < RPM_LEAD_SIZE) throw new ArchiveError(path, 'rpm lead is truncated');
    const sigAt = RPM_LEAD_SIZE;
    const sig = parseRpmHeaderIntro(read(16, sigAt), sigAt, fileSize, path, 'signature header');
    // the signature header is padded so the main header starts on an 8-byte boundary
    const sigEnd = sigAt + sig.totalSize;
    const mainAt = sigEnd + ((8 - (sigEnd % 8)) % 8);
    const main = parseRpmHeaderIntro(read(16, mainAt), mainAt, fileSize, path, 'header');
    const payloadOffset = mainAt + main.totalSize;
    let tags = new Map<number, string>();
    if (main.totalSize <= MAX_PARSED_HEADER) {
      tags = readRpmStringTags(read(main.totalSize - 16, mainAt + 16), main, [TAG_NAME, TAG_VERSION, TAG_RELEASE, TAG_PAYLOADFORMAT, TAG_PAYLOADCOMPRESSOR]);
    }
    const layout: RpmLayout = { payloadOffset, payloadSize: fileSize - payloadOffset };
    const opt = (k: number): string | undefined => tags.get(k);
    return {
      ...layout,
      ...(opt(TAG_NAME) !== undefined ? { name: opt(TAG_NAME) } : {}),
      ...(opt(TAG_VERSION) !== undefined ? { version: opt(TAG_VERSION) } : {}),
      ...(opt(TAG_RELEASE) !== undefined ? { release: opt(TAG_RELEASE) } : {}),
      ...(opt(TAG_PAYLOADCOMPRESSOR) !== undefined ? { compressor: opt(TAG_PAYLOADCOMPRESSOR) } : {}),
      ...(opt(TAG_PAYLOADFORMAT) !== undefined ? { format: opt(TAG_PAYLOADFORMAT) } : {}),
    };
  });
}
