// Reads the member table of a Unix ar archive (the container of a Debian .deb) in place, without loading members.
// Format: "!<arch>\n", then per member a 60-byte header (name 16, mtime 12, uid 6, gid 6, mode 8, size 10, "`\n")
// followed by the data, padded to an even offset (deb(5), ar(5) of binutils).
import * as nodeFs from 'node:fs';
import { ArchiveError } from './archive-error.ts';
import { withPackageFile } from './package-file.ts';

export const AR_MAGIC = '!<arch>\n';
export const AR_HEADER_SIZE = 60;

export interface ArMember {
  /** Name with the GNU "/" terminator and padding removed, e.g. "data.tar.xz". */
  readonly name: string;
  /** Offset of the member's first data byte in the archive. */
  readonly offset: number;
  readonly size: number;
}

/** Parses one member header; throws ArchiveError when it is damaged or claims more bytes than the file has. */
export function parseArHeader(header: Uint8Array, at: number, fileSize: number, file: string): ArMember {
  const h = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  if (h.length < AR_HEADER_SIZE) throw new ArchiveError(file, `ar member header at offset ${at} is truncated`);
  if (h[58] !== 0x60 || h[59] !== 0x0a) throw new ArchiveError(file, `ar member header at offset ${at} is damaged (bad terminator)`);
  const name = h.toString('latin1', 0, 16).trimEnd().replace(/\/$/, '');
  const sizeText = h.toString('latin1', 48, 58).trim();
  if (!/^[0-9]+$/.test(sizeText)) throw new ArchiveError(file, `ar member "${printable(name)}" at offset ${at} has an invalid size field`);
  const size = Number(sizeText);
  const offset = at + AR_HEADER_SIZE;
  if (offset + size > fileSize) {
    throw new ArchiveError(file, `ar member "${printable(name)}" claims ${size} bytes but the file ends ${fileSize - offset} bytes later (truncated?)`);
  }
  return { name, offset, size };
}

/** Lists members of an ar archive held in memory (tests, small archives). */
export function listArBuffer(buf: Uint8Array, file: string): ArMember[] {
  if (buf.length < AR_MAGIC.length || Buffer.from(buf.subarray(0, 8)).toString('latin1') !== AR_MAGIC) {
    throw new ArchiveError(file, 'not an ar archive (no "!<arch>" magic)');
  }
  const out: ArMember[] = [];
  let at = AR_MAGIC.length;
  while (at < buf.length) {
    if (buf.length - at < AR_HEADER_SIZE) throw new ArchiveError(file, `ar member header at offset ${at} is truncated`);
    const m = parseArHeader(buf.subarray(at, at + AR_HEADER_SIZE), at, buf.length, file);
    out.push(m);
    at = m.offset + m.size + (m.size & 1);
  }
  return out;
}

/** Lists members of an ar archive on disk by reading only the headers (positional reads; members stay on disk). */
export function listArFile(path: string): ArMember[] {
  return withPackageFile(path, (fd, stat) => {
    const fileSize = stat.size;
    const magic = Buffer.alloc(8);
    if (nodeFs.readSync(fd, magic, 0, 8, 0) < 8 || magic.toString('latin1') !== AR_MAGIC) {
      throw new ArchiveError(path, 'not an ar archive (no "!<arch>" magic)');
    }
    const out: ArMember[] = [];
    const header = Buffer.alloc(AR_HEADER_SIZE);
    let at = AR_MAGIC.length;
    // a .deb has three members; a thousand is far beyond any real package and bounds a hostile one
    while (at < fileSize && out.length < 1000) {
      const n = nodeFs.readSync(fd, header, 0, AR_HEADER_SIZE, at);
      if (n < AR_HEADER_SIZE) throw new ArchiveError(path, `ar member header at offset ${at} is truncated`);
      const m = parseArHeader(header, at, fileSize, path);
      out.push(m);
      at = m.offset + m.size + (m.size & 1);
    }
    return out;
  });
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}
