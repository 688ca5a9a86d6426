// Turns the bytes of a kernel config file (plain text or gzip, as /proc/config.gz) into text, with bounded output.

/** A real config is < 1 MiB of text; anything decompressing past this is refused (decompression bombs). */
export const MAX_CONFIG_TEXT = 16 * 1024 * 1024;
/** Bytes read from disk for a config file, compressed or not. */
export const MAX_CONFIG_FILE = 16 * 1024 * 1024;

/**
 * Remembers decompressed configs between runs, keyed by the whole compressed input, so a hit is exactly what gunzip
 * would give. The CLI keeps one in its private cache (src/cli/gunzip-memo-file.ts): /proc/config.gz is the same on
 * every run of a boot, and decompressing it needs node:zlib, whose stream modules cost a live check more than reading
 * the text back does.
 */
export interface GunzipMemo {
  get(compressed: Buffer): string | undefined;
  put(compressed: Buffer, text: string): void;
}

export type DecodeOutcome = { readonly ok: true; readonly text: string; readonly gzip: boolean } | { readonly ok: false; readonly problem: string };

function looksLikeText(data: Buffer): boolean {
  // NUL bytes never appear in Kconfig output; a binary file (or a wrongly named archive) has them early on
  return data.subarray(0, 4096).indexOf(0) === -1;
}

/** Never throws: every failure becomes a problem sentence without the file name (the caller adds it). */
export function decodeConfig(data: Buffer, memo?: GunzipMemo): DecodeOutcome {
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    const remembered = memo?.get(data);
    if (remembered !== undefined) return { ok: true, text: remembered, gzip: true };
    let out: Buffer;
    try {
      // loaded here, not at the top: zlib brings Node's stream modules, which a plain-text config never needs
      out = process.getBuiltinModule('node:zlib').gunzipSync(data, { maxOutputLength: MAX_CONFIG_TEXT });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
        return { ok: false, problem: `gzip data expands past ${MAX_CONFIG_TEXT} bytes, far more than any kernel config` };
      }
      const what = err.code === 'Z_BUF_ERROR' ? 'truncated gzip data (unexpected end of file)' : `corrupt gzip data (${err.message})`;
      return { ok: false, problem: what };
    }
    if (!looksLikeText(out)) return { ok: false, problem: 'gzip data does not hold a text kernel config' };
    const text = out.toString('utf8');
    memo?.put(data, text);
    return { ok: true, text, gzip: true };
  }
  if (data.length >= 6 && data[0] === 0xfd && data[1] === 0x37 && data[2] === 0x7a && data[3] === 0x58 && data[4] === 0x5a) {
    return { ok: false, problem: 'xz-compressed config; decompress it first (xz -dc)' };
  }
  if (data.length >= 4 && data[0] === 0x28 && data[1] === 0xb5 && data[2] === 0x2f && data[3] === 0xfd) {
    return { ok: false, problem: 'zstd-compressed config; decompress it first (zstd -dc)' };
  }
  if (!looksLikeText(data)) return { ok: false, problem: 'binary data, not a kernel config' };
  return { ok: true, text: data.toString('utf8'), gzip: false };
}
