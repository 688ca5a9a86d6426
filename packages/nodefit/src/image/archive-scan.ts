// One streaming pass over an image archive (docker save, OCI archive, or a plain rootfs tarball): small JSON documents
// are kept, layer blobs are parsed and hashed as their bytes stream past (never buffered whole), and every other entry
// is kept as a rootfs entry in case the tarball is a plain rootfs.
import * as nodeFs from 'node:fs';

import { ArchiveError } from '../archive/archive-error.ts';
import { MAGIC_BYTES, detectCompression } from '../archive/compression-magic.ts';
import type { ArchiveEntry } from '../archive/entry.ts';
import { DecompressError } from '../archive/limits.ts';
import { TarScanner, type ScanSink } from '../archive/tar-scan.ts';
import { UserError } from '../cli/user-error.ts';
import type { LayerEntry, ParsedLayer } from './layer-entries.ts';
import { READ_BYTES, fileChunks } from './file-chunks.ts';
import { LayerReader, parseLayer } from './layer-reader.ts';
import { LayerSink, imageEntryPath } from './layer-sink.ts';

/** Largest JSON document (index, manifest, config) nodefit reads. */
export const MAX_JSON = 4 * 1024 * 1024;

/** Everything one streaming pass over an archive yields. */
export interface ArchiveScan {
  readonly json: Map<string, Buffer>;
  readonly layers: Map<string, ParsedLayer>;
  /** Non-image entries, in case the tarball is a plain rootfs. */
  readonly rootfs: LayerEntry[];
  readonly names: Set<string>;
}

const IMAGE_NAME = /^\/(manifest\.json|index\.json|oci-layout|repositories|blobs\/.*|[^/]+\.json|[0-9a-f]{64}\/.*)$/;

/** A compressed stream, a tar header ("ustar" at offset 257) or an empty tar; small text files such as <id>/VERSION are none. */
function looksLikeLayer(buf: Buffer): boolean {
  if (detectCompression(buf) !== 'none') return true;
  // An empty layer (e.g. from a WORKDIR step) is just the tar end marker: zero blocks.
  if (buf.length >= 1024 && buf.length % 512 === 0 && buf.every((b) => b === 0)) return true;
  return buf.length >= 512 && buf.subarray(257, 262).toString('latin1') === 'ustar';
}

/** What the synchronous tar walk hands to the asynchronous layer parsing, in archive order. */
type ScanEvent =
  | { readonly t: 'begin'; readonly rel: string }
  | { readonly t: 'data'; readonly piece: Buffer }
  | { readonly t: 'end' }
  | { readonly t: 'small'; readonly rel: string; readonly buf: Buffer };

/** Sorts outer entries: image documents and blobs become events, everything else rootfs entries. */
class ArchiveSink implements ScanSink {
  readonly events: ScanEvent[] = [];
  readonly names = new Set<string>();
  readonly rootfs: LayerSink;

  constructor(ref: string) {
    this.rootfs = new LayerSink(ref, '');
  }

  private blob(e: ArchiveEntry): boolean {
    return e.kind === 'file' && IMAGE_NAME.test('/' + e.path);
  }

  want(e: ArchiveEntry): number {
    if (!this.blob(e)) return this.rootfs.want(e);
    return e.size <= MAX_JSON && !e.path.endsWith('layer.tar') ? MAX_JSON : 0;
  }

  head(e: ArchiveEntry): number {
    return this.blob(e) ? 0 : this.rootfs.head(e);
  }

  stream(e: ArchiveEntry): boolean {
    if (!this.blob(e)) return false;
    this.events.push({ t: 'begin', rel: e.path });
    return true;
  }

  data(_e: ArchiveEntry, piece: Buffer): void {
    this.events.push({ t: 'data', piece });
  }

  entry(e: ArchiveEntry, data: Buffer | undefined): void {
    this.names.add('/' + e.path);
    if (!this.blob(e)) this.rootfs.entry(e, data);
    else if (data !== undefined) this.events.push({ t: 'small', rel: e.path, buf: data });
    else this.events.push({ t: 'end' });
  }
}

/** Turns the sink's events into JSON documents and parsed layers; layer data arrives as views of the read chunk. */
class LayerAssembler {
  private current: { rel: string; reader: LayerReader } | undefined;

  constructor(
    private readonly scan: ArchiveScan,
    private readonly ref: string,
  ) {}

  async apply(events: readonly ScanEvent[]): Promise<void> {
    for (const ev of events) {
      switch (ev.t) {
        case 'begin':
          this.current = { rel: ev.rel, reader: new LayerReader(`${this.ref}: ${ev.rel}`) };
          break;
        case 'data': {
          const wait = this.current!.reader.write(ev.piece);
          if (wait !== undefined) await wait;
          break;
        }
        case 'end': {
          const { rel, reader } = this.current!;
          this.current = undefined;
          this.scan.layers.set(rel, await reader.end());
          break;
        }
        case 'small': {
          const { rel, buf } = ev;
          if (buf[0] === 0x7b /* { */ || buf[0] === 0x5b /* [ */ || rel === 'oci-layout') this.scan.json.set(rel, buf);
          else if (looksLikeLayer(buf)) this.scan.layers.set(rel, await parseLayer([buf], `${this.ref}: ${rel}`));
          break;
        }
      }
    }
  }

  /** Stops a layer left half-read by an error (a running decompressor must not outlive the scan). */
  abort(): void {
    this.current?.reader.abort();
    this.current = undefined;
  }
}

/** `readBytes` is the read size (tests vary it to put chunk boundaries everywhere). */
export async function scanArchive(file: string, ref: string, readBytes = READ_BYTES): Promise<ArchiveScan> {
  const sink = new ArchiveSink(ref);
  const scan: ArchiveScan = { json: new Map(), layers: new Map(), rootfs: sink.rootfs.entries, names: sink.names };
  const tar = new TarScanner(sink, ref, { normalise: imageEntryPath(ref), ignoreZeros: true });
  const assembler = new LayerAssembler(scan, ref);
  let bytes = 0;
  try {
    for await (const chunk of archiveChunks(file, ref, readBytes)) {
      bytes += chunk.length;
      tar.push(chunk);
      // the chunk may be overwritten by the next read: the events' views of it are consumed now
      await assembler.apply(sink.events);
      sink.events.length = 0;
    }
    // An empty file reads as an empty rootfs, as it always has; anything else must end at a member boundary.
    if (bytes > 0) tar.end();
  } catch (e) {
    assembler.abort();
    throw archiveError(e, ref);
  }
  return scan;
}

/**
 * The archive's tar bytes: a plain tar (every docker save and OCI archive) as read, a compressed rootfs tarball
 * (.tar.gz) through its decompressor.
 */
async function* archiveChunks(file: string, ref: string, readBytes: number): AsyncGenerator<Buffer> {
  const head = Buffer.alloc(MAGIC_BYTES);
  const fd = nodeFs.openSync(file, 'r');
  let n: number;
  try {
    n = nodeFs.readSync(fd, head, 0, MAGIC_BYTES, 0);
  } finally {
    nodeFs.closeSync(fd);
  }
  if (detectCompression(head.subarray(0, n)) === 'none') {
    yield* fileChunks(file, readBytes);
    return;
  }
  const { decompressChunks } = await import('../archive/decompress.ts');
  yield* decompressChunks(nodeFs.createReadStream(file, { highWaterMark: readBytes }), { name: ref, maxOutputBytes: 64 * 1024 * 1024 * 1024, maxRatio: 50 });
}

function archiveError(e: unknown, ref: string): UserError {
  if (e instanceof UserError) return e;
  if (e instanceof DecompressError) return new UserError(e.message);
  let msg = e instanceof Error ? e.message : String(e);
  if (e instanceof ArchiveError && msg.startsWith(`${e.file}: `)) msg = msg.slice(e.file.length + 2);
  if (/unexpected end|premature|truncat/i.test(msg)) return new UserError(`${ref}: archive is truncated (${msg})`);
  return new UserError(`${ref}: not a readable image archive (${msg})`);
}
