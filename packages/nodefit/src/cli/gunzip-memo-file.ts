// The CLI's GunzipMemo: the last decompressed kernel config, kept in the private cache directory beside the compiled
// code, so a repeated live check reads /proc/config.gz's text back instead of loading node:zlib to inflate it again.
import * as nodePath from 'node:path';
import type { GunzipMemo } from '../facts/kernel/decode-config.ts';
import { MAX_CONFIG_FILE, MAX_CONFIG_TEXT } from '../facts/kernel/decode-config.ts';
import { currentUid, privateCacheDir, readPrivateFile, writePrivateFile } from './private-cache.ts';

/** The file's first line; the second holds the compressed input's length in decimal, then input and text follow. */
const MAGIC = 'nodefit-gunzip-memo-v1\n';
const FILE = 'kernel-config-gunzip.memo';
const MAX_HEADER = MAGIC.length + 12;

/**
 * One entry only: the host's own config is what repeats; a different input (another --root, a new boot's kernel)
 * misses, is inflated as before, and replaces it. The whole compressed input is compared, not a hash of it, so a
 * hit is exactly the text gunzip would give.
 */
export function fileGunzipMemo(env: Readonly<Record<string, string | undefined>>): GunzipMemo | undefined {
  const uid = currentUid();
  const dir = privateCacheDir(env, uid);
  if (dir === null) return undefined;
  const file = nodePath.join(dir, FILE);
  return {
    get(compressed) {
      const buf = readPrivateFile(file, uid, MAX_HEADER + MAX_CONFIG_FILE + MAX_CONFIG_TEXT);
      if (buf === undefined || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
      const eol = buf.indexOf(10, MAGIC.length);
      if (eol === -1 || eol > MAX_HEADER) return undefined;
      const length = buf.toString('latin1', MAGIC.length, eol);
      if (length !== String(compressed.length)) return undefined;
      const start = eol + 1;
      if (buf.length < start + compressed.length || !buf.subarray(start, start + compressed.length).equals(compressed)) return undefined;
      return buf.toString('utf8', start + compressed.length);
    },
    put(compressed, text) {
      writePrivateFile(file, [Buffer.from(`${MAGIC}${compressed.length}\n`, 'latin1'), compressed, Buffer.from(text, 'utf8')]);
    },
  };
}
