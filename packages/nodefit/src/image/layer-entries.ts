// Reads one layer (or a plain rootfs tarball) as a list of entries, streaming once: whiteouts, links and metadata for
// every file, contents only for what keep-policy.ts asks for. Hostile names (`../`, absolute paths) are refused.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type * as tarStream from 'tar-stream';

import { MAGIC_BYTES, decompressChunks, detectCompression } from '../archive/decompress.ts';
import { DecompressError, LAYER_LIMITS } from '../archive/limits.ts';
import { UserError } from '../cli/user-error.ts';
import { HEAD_BYTES, keepDecision } from './keep-policy.ts';
import { extractTar } from './tar-extract.ts';

export type LayerEntry =
  | { readonly kind: 'file'; readonly path: string; readonly size: number; readonly mode: number; readonly data?: Buffer; readonly head?: Buffer }
  | { readonly kind: 'dir'; readonly path: string; readonly mode: number }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'hardlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'whiteout'; readonly path: string }
  | { readonly kind: 'opaque'; readonly path: string };

export interface ParsedLayer {
  readonly entries: LayerEntry[];
  /** sha256 of the bytes as stored (the blob digest). */
  readonly rawDigest: string;
  /** sha256 of the uncompressed tar (the diff_id). */
  readonly diffId: string;
}

/** Real layers hold tens of thousands of entries; a million tiny headers is an attack on memory, not an image. */
export const MAX_LAYER_ENTRIES = 1_000_000;

/** "/a/b" from a tar name; refuses absolute names and any `..` component (a hostile layer could escape the root). */
export function normalizeEntryPath(name: string, where: string): string {
  if (name.startsWith('/')) throw new UserError(`${where}: tar entry "${name}" has an absolute path; refusing the archive`);
  const parts: string[] = [];
  for (const c of name.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') throw new UserError(`${where}: tar entry "${name}" contains "..", which would escape the image root; refusing the archive`);
    parts.push(c);
  }
  return '/' + parts.join('/');
}

async function readUpTo(stream: AsyncIterable<Buffer>, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let len = 0;
  for await (const c of stream) {
    if (len < max) {
      const take = c.subarray(0, max - len);
      parts.push(Buffer.from(take));
      len += take.length;
    }
  }
  return Buffer.concat(parts);
}

function tarError(e: unknown, where: string): UserError {
  if (e instanceof UserError) return e;
  if (e instanceof DecompressError) return new UserError(e.message);
  const msg = e instanceof Error ? e.message : String(e);
  if (/unexpected end|premature|truncat/i.test(msg)) return new UserError(`${where}: layer is truncated (${msg})`);
  return new UserError(`${where}: not a readable tar layer (${msg})`);
}

/** One tar entry turned into a LayerEntry, consuming its data. */
export async function entryFromTar(header: tarStream.Header, stream: AsyncIterable<Buffer>, where: string): Promise<LayerEntry | undefined> {
  const path = normalizeEntryPath(header.name, where);
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  const dir = slash <= 0 ? '/' : path.slice(0, slash);
  const mode = header.mode ?? 0o644;
  if (base === '.wh..wh..opq') {
    await readUpTo(stream, 0);
    return { kind: 'opaque', path: dir };
  }
  if (base.startsWith('.wh.')) {
    await readUpTo(stream, 0);
    return { kind: 'whiteout', path: (dir === '/' ? '' : dir) + '/' + base.slice(4) };
  }
  switch (header.type) {
    case 'file':
    case 'contiguous-file': {
      const size = header.size ?? 0;
      const keep = keepDecision(path, size, mode);
      if (keep === 'whole') return { kind: 'file', path, size, mode, data: await readUpTo(stream, size) };
      if (keep === 'head') return { kind: 'file', path, size, mode, head: await readUpTo(stream, HEAD_BYTES) };
      await readUpTo(stream, 0);
      return { kind: 'file', path, size, mode };
    }
    case 'directory':
      await readUpTo(stream, 0);
      return path === '/' ? undefined : { kind: 'dir', path, mode };
    case 'symlink':
      await readUpTo(stream, 0);
      return { kind: 'symlink', path, target: header.linkname ?? '' };
    case 'link':
      await readUpTo(stream, 0);
      return { kind: 'hardlink', path, target: normalizeEntryPath(header.linkname ?? '', where) };
    default:
      // Devices, fifos, pax headers: nothing the image facts need.
      await readUpTo(stream, 0);
      return undefined;
  }
}

/**
 * Parses a layer from its stored bytes (uncompressed, gzip, zstd or xz by magic), hashing both the stored and the
 * uncompressed bytes on the way. `where` names the layer in errors.
 */
export async function parseLayer(raw: AsyncIterable<unknown> | Iterable<unknown>, where: string): Promise<ParsedLayer> {
  const rawHash = createHash('sha256');
  const diffHash = createHash('sha256');
  // An uncompressed layer's diff_id is its blob digest: hash it once (sha256 is the costliest step of a scan).
  let plain: boolean | undefined;
  async function* tapRaw(): AsyncGenerator<Buffer> {
    for await (const c of raw) {
      const b = c as Buffer;
      if (plain === undefined && b.length >= MAGIC_BYTES) plain = detectCompression(b) === 'none';
      rawHash.update(b);
      yield b;
    }
  }
  async function* tapDiff(): AsyncGenerator<Buffer> {
    for await (const c of decompressChunks(tapRaw(), { ...LAYER_LIMITS, name: where })) {
      if (plain !== true) diffHash.update(c);
      yield c;
    }
  }
  const src = Readable.from(tapDiff(), { objectMode: false });
  const { extract, sourceError } = extractTar(src);
  const entries: LayerEntry[] = [];
  try {
    for await (const entry of extract) {
      const e = await entryFromTar(entry.header, entry as AsyncIterable<Buffer>, where);
      if (e !== undefined) entries.push(e);
      if (entries.length > MAX_LAYER_ENTRIES) throw new UserError(`${where}: more than ${MAX_LAYER_ENTRIES} entries in one layer; refusing (metadata alone would exhaust memory)`);
    }
    // The tar may end (two zero blocks) before the stream does: drain so both digests cover every byte.
    if (!src.readableEnded) for await (const _ of src) void _;
  } catch (e) {
    src.destroy();
    throw tarError(sourceError() ?? e, where);
  }
  if (sourceError() !== undefined) throw tarError(sourceError(), where);
  const rawDigest = 'sha256:' + rawHash.digest('hex');
  return { entries, rawDigest, diffId: plain === true ? rawDigest : 'sha256:' + diffHash.digest('hex') };
}
