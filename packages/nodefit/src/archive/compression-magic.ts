// Telling a compression format by its first bytes, apart from the decompressors: a reader can decide whether it needs
// them at all (an uncompressed docker-save image does not) without loading zlib, fzstd and the xz WASM decoder.

export type Compression = 'gzip' | 'zstd' | 'xz' | 'bzip2' | 'none';

/** The compression a buffer's first bytes announce; 'none' when no known magic matches. */
export function detectCompression(buf: Uint8Array): Compression {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'gzip';
  // zstd frame magic 0xFD2FB528 (little-endian); a skippable frame 0x184D2A5? also starts a zstd stream (zstd:chunked).
  if (buf.length >= 4 && buf[1] === 0xb5 && buf[2] === 0x2f && buf[3] === 0xfd && buf[0] === 0x28) return 'zstd';
  if (buf.length >= 4 && buf[1] === 0x2a && buf[2] === 0x4d && buf[3] === 0x18 && (buf[0]! & 0xf0) === 0x50) return 'zstd';
  if (buf.length >= 6 && buf[0] === 0xfd && buf[1] === 0x37 && buf[2] === 0x7a && buf[3] === 0x58 && buf[4] === 0x5a && buf[5] === 0x00) return 'xz';
  if (buf.length >= 3 && buf[0] === 0x42 && buf[1] === 0x5a && buf[2] === 0x68) return 'bzip2';
  return 'none';
}

/** Enough leading bytes to tell every supported format apart. */
export const MAGIC_BYTES = 6;
