// Reads one layer blob as its bytes arrive, in one pass: hashes the stored bytes (blob digest), decompresses by magic
// (gzip, zstd, xz) under the layer limits, hashes the tar (diff_id) and walks it. An uncompressed layer, the common
// `docker save` case, never leaves the caller's stack: hash and tar walk run on the very pieces the caller hands in.
import { createHash, type Hash } from 'node:crypto';
import { PassThrough } from 'node:stream';

import { ArchiveError } from '../archive/archive-error.ts';
import { MAGIC_BYTES, detectCompression } from '../archive/compression-magic.ts';
import { DecompressError, LAYER_LIMITS, LimitMeter } from '../archive/limits.ts';
import { TarScanner } from '../archive/tar-scan.ts';
import { UserError } from '../cli/user-error.ts';
import type { ParsedLayer } from './layer-entries.ts';
import { LayerSink, imageEntryPath } from './layer-sink.ts';

/** Compressed bytes queued ahead of the decompressor before write() waits. */
const QUEUE_BYTES = 1024 * 1024;

export class LayerReader {
  private readonly rawHash: Hash = createHash('sha256');
  private readonly sink: LayerSink;
  private readonly scanner: TarScanner;
  private tarBytes = 0;
  /** First bytes, until there are enough to tell the compression. */
  private held: Buffer[] = [];
  private heldLen = 0;
  private mode: 'unknown' | 'plain' | 'compressed' = 'unknown';
  private plainMeter: LimitMeter | undefined;
  private diffHash: Hash | undefined;
  private input: PassThrough | undefined;
  private task: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(private readonly where: string) {
    this.sink = new LayerSink(where);
    this.scanner = new TarScanner(this.sink, where, { normalise: imageEntryPath(where), ignoreZeros: true });
  }

  /**
   * Takes the next stored bytes. Returns a promise only when the caller must wait (compressed data backed up); the
   * piece may be reused by the caller once write returns (or its promise settles).
   */
  write(piece: Buffer): Promise<void> | undefined {
    this.rawHash.update(piece);
    if (this.mode === 'plain') {
      this.plain(piece);
      return undefined;
    }
    if (this.mode === 'compressed') return this.compressed(piece);
    if (this.heldLen === 0 && piece.length >= MAGIC_BYTES) return this.start(piece);
    // a few first bytes split across reads: keep copies (the caller reuses its buffer)
    this.held.push(Buffer.copyBytesFrom(piece));
    this.heldLen += piece.length;
    if (this.heldLen < MAGIC_BYTES) return undefined;
    const first = Buffer.concat(this.held);
    this.held = [];
    return this.start(first);
  }

  private start(held: Buffer): Promise<void> | undefined {
    if (detectCompression(held) === 'none') {
      this.mode = 'plain';
      this.plainMeter = new LimitMeter({ ...LAYER_LIMITS, name: this.where });
      this.plain(held);
      return undefined;
    }
    this.mode = 'compressed';
    const diffHash = createHash('sha256');
    this.diffHash = diffHash;
    const input = new PassThrough({ highWaterMark: QUEUE_BYTES });
    // failures surface through the task below; a write racing a failed decompressor must not become an uncaught error
    input.on('error', () => undefined);
    this.input = input;
    this.task = (async () => {
      // loaded only for compressed layers: zlib, fzstd and the xz decoder cost ~15 ms to load
      const { decompressChunks } = await import('../archive/decompress.ts');
      for await (const c of decompressChunks(input, { ...LAYER_LIMITS, name: this.where })) {
        diffHash.update(c);
        this.tar(c);
      }
    })().catch((e: unknown) => {
      this.failure = { error: e };
      input.destroy();
    });
    return this.compressed(held);
  }

  private plain(piece: Buffer): void {
    this.plainMeter!.addIn(piece.length);
    this.plainMeter!.addOut(piece.length);
    this.tar(piece);
  }

  private tar(piece: Buffer): void {
    this.tarBytes += piece.length;
    try {
      this.scanner.push(piece);
    } catch (e) {
      throw tarError(e, this.where);
    }
  }

  private compressed(piece: Buffer): Promise<void> | undefined {
    if (this.failure !== undefined) throw tarError(this.failure.error, this.where);
    // the decompressor reads asynchronously: keep the bytes, the caller may reuse its buffer
    if (this.input!.write(Buffer.copyBytesFrom(piece))) return undefined;
    return new Promise<void>((resolve) => {
      this.input!.once('drain', resolve);
      void this.task!.then(resolve);
    }).then(() => {
      if (this.failure !== undefined) throw tarError(this.failure.error, this.where);
    });
  }

  /** Gives up on a layer read half-way (the archive failed): stops its decompressor. */
  abort(): void {
    this.input?.destroy();
  }

  /** Call after the last byte: finishes decompression and the tar walk, and gives the entries and both digests. */
  async end(): Promise<ParsedLayer> {
    if (this.mode === 'unknown' && this.heldLen > 0) {
      this.mode = 'plain';
      this.plainMeter = new LimitMeter({ ...LAYER_LIMITS, name: this.where });
      this.plain(Buffer.concat(this.held));
    }
    if (this.mode === 'compressed') {
      this.input!.end();
      await this.task;
      if (this.failure !== undefined) throw tarError(this.failure.error, this.where);
    }
    // An empty blob is an empty layer; anything else must be whole tar members.
    if (this.tarBytes > 0) {
      try {
        this.scanner.end();
      } catch (e) {
        throw tarError(e, this.where);
      }
    }
    const rawDigest = 'sha256:' + this.rawHash.digest('hex');
    // An uncompressed layer's diff_id is its blob digest: hashed once (sha256 is the costliest step of a scan).
    const diffId = this.diffHash === undefined ? rawDigest : 'sha256:' + this.diffHash.digest('hex');
    return { entries: this.sink.entries, rawDigest, diffId };
  }
}

export function tarError(e: unknown, where: string): UserError {
  if (e instanceof UserError) return e;
  if (e instanceof DecompressError) return new UserError(e.message);
  if (e instanceof ArchiveError) {
    const detail = e.message.startsWith(`${e.file}: `) ? e.message.slice(e.file.length + 2) : e.message;
    if (/truncat/i.test(detail)) return new UserError(`${where}: layer is truncated (${detail})`);
    return new UserError(`${where}: not a readable tar layer (${detail})`);
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (/unexpected end|premature|truncat/i.test(msg)) return new UserError(`${where}: layer is truncated (${msg})`);
  return new UserError(`${where}: not a readable tar layer (${msg})`);
}

/** Parses a whole layer from its stored bytes; `where` names the layer in errors. */
export async function parseLayer(raw: AsyncIterable<Buffer> | Iterable<Buffer>, where: string): Promise<ParsedLayer> {
  const reader = new LayerReader(where);
  try {
    for await (const piece of raw) {
      const wait = reader.write(piece);
      if (wait !== undefined) await wait;
    }
  } catch (e) {
    // a source that fails mid-layer (a read error) must not leave the decompressor waiting for more input
    reader.abort();
    throw e;
  }
  return reader.end();
}
