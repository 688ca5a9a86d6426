// Streaming decompression chosen by magic bytes (gzip, zstd, xz, or none), always under DecompressLimits.
// gzip: node:zlib; zstd: fzstd (Node 20 has no zlib zstd); xz: xz-decompress (WASM, streaming). See
// /work/shared/reference/dependencies.md for why these three.
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync, constants as zc } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import xzd from 'xz-decompress';

import { DecompressError, LimitMeter, type DecompressLimits } from './limits.ts';

import { MAGIC_BYTES, detectCompression, type Compression } from './compression-magic.ts';

function asBuffer(c: unknown): Buffer {
  if (Buffer.isBuffer(c)) return c;
  if (c instanceof Uint8Array) return Buffer.from(c.buffer, c.byteOffset, c.byteLength);
  if (typeof c === 'string') return Buffer.from(c);
  throw new TypeError('expected binary chunks');
}

function describeLowLevel(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}

function classify(e: unknown, name: string, format: Compression): DecompressError {
  if (e instanceof DecompressError) return e;
  const msg = describeLowLevel(e);
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'Z_BUF_ERROR' || /unexpected end|truncat|premature|eof/i.test(msg)) {
    return new DecompressError('truncated', name, `${format} data is truncated (${msg})`);
  }
  return new DecompressError('corrupt', name, `${format} data is corrupt (${msg})`);
}

/** Counts input as it is consumed. */
async function* metered(src: AsyncIterable<unknown>, meter: LimitMeter): AsyncGenerator<Buffer> {
  for await (const c of src) {
    const b = asBuffer(c);
    meter.addIn(b.length);
    yield b;
  }
}

/** Reads until MAGIC_BYTES are available, then returns them together with an iterable of the whole input. */
async function peek(src: AsyncIterable<unknown>): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const it = src[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let len = 0;
  let done = false;
  while (len < MAGIC_BYTES) {
    const r = await it.next();
    if (r.done === true) {
      done = true;
      break;
    }
    const b = asBuffer(r.value);
    held.push(b);
    len += b.length;
  }
  const head = Buffer.concat(held);
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done === true) return;
      yield asBuffer(r.value);
    }
  }
  return { head, all: all() };
}

async function* gunzipChunks(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const src = Readable.from(input, { objectMode: false });
  const gz = createGunzip({ chunkSize: 64 * 1024 });
  src.on('error', (e) => gz.destroy(e));
  src.pipe(gz);
  try {
    for await (const c of gz) yield c as Buffer;
  } finally {
    src.destroy();
    gz.destroy();
  }
}

async function* zstdChunks(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let out: Buffer[] = [];
  let ended = false;
  const d = new ZstdDecompress((data, final) => {
    out.push(asBuffer(data));
    if (final === true) ended = true;
  });
  for await (const c of input) {
    d.push(c);
    if (out.length > 0) {
      const ready = out;
      out = [];
      yield* ready;
    }
  }
  d.push(new Uint8Array(0), true);
  yield* out;
  if (!ended) throw new Error('unexpected end of zstd stream');
}

async function* xzChunks(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const src = Readable.from(input, { objectMode: false });
  const web = Readable.toWeb(src) as unknown as ReadableStream<Uint8Array>;
  const xz = new xzd.XzReadableStream(web);
  const reader = xz.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) return;
      yield asBuffer(r.value);
    }
  } finally {
    // a consumer that stops early (limit hit, corrupt tar inside) must cancel: the WASM decoder holds a process-wide
    // lock until its stream ends, and every later xz decode would wait on it forever
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
    src.destroy();
  }
}

/**
 * Decompresses a stream whatever its format (detected by magic; plain data passes through), enforcing the limits.
 * Yields buffers; throws DecompressError (truncated, corrupt, too-big, ratio, unsupported) naming `limits.name`.
 */
export async function* decompressChunks(input: AsyncIterable<unknown>, limits: DecompressLimits): AsyncGenerator<Buffer> {
  const meter = new LimitMeter(limits);
  const { head, all } = await peek(metered(input, meter));
  const format = detectCompression(head);
  let inner: AsyncIterable<Buffer>;
  switch (format) {
    case 'gzip':
      inner = gunzipChunks(all);
      break;
    case 'zstd':
      inner = zstdChunks(all);
      break;
    case 'xz':
      inner = xzChunks(all);
      break;
    case 'bzip2':
      throw new DecompressError('unsupported', limits.name, 'bzip2 compression is not supported (use gzip, zstd or xz)');
    case 'none':
      inner = all;
      break;
  }
  try {
    for await (const c of inner) {
      meter.addOut(c.length);
      yield c;
    }
  } catch (e) {
    throw classify(e, limits.name, format);
  }
}

/** Stream form of decompressChunks: a Readable of the decompressed bytes that errors with DecompressError. */
export function decompressStream(input: Readable | AsyncIterable<unknown>, limits: DecompressLimits): Readable {
  return Readable.from(decompressChunks(input, limits), { objectMode: false });
}

async function* toAsync<T>(it: Iterable<T>): AsyncGenerator<T> {
  for (const x of it) yield await Promise.resolve(x);
}

/** Decompresses a whole buffer (any supported format, or none) under the limits. */
export async function decompressBuffer(buf: Uint8Array, limits: DecompressLimits): Promise<Buffer> {
  const parts: Buffer[] = [];
  // Feed in slices so the ratio check sees input and output grow together.
  function* slices(): Generator<Buffer> {
    const b = asBuffer(buf);
    for (let i = 0; i < b.length; i += 256 * 1024) yield b.subarray(i, i + 256 * 1024);
  }
  for await (const c of decompressChunks(toAsync(slices()), limits)) parts.push(c);
  return Buffer.concat(parts);
}

/**
 * Synchronous decompression for lazy file contents (MemoryFs FileData thunks): gzip and zstd, or plain data.
 * xz has no synchronous decoder here (xz-decompress is stream-only): decompress those with decompressBuffer first.
 */
export function decompressBufferSync(buf: Uint8Array, limits: DecompressLimits): Buffer {
  const format = detectCompression(buf);
  const meter = new LimitMeter(limits);
  meter.addIn(buf.length);
  try {
    switch (format) {
      case 'none':
        meter.addOut(buf.length);
        return asBuffer(buf);
      case 'gzip': {
        const cap = Math.min(limits.maxOutputBytes, Math.max(limits.ratioFloorBytes ?? 8 * 1024 * 1024, limits.maxRatio * buf.length));
        let out: Buffer;
        try {
          out = gunzipSync(buf, { maxOutputLength: cap + 1, finishFlush: zc.Z_SYNC_FLUSH });
        } catch (e) {
          if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
            meter.addOut(cap + 1);
          }
          throw e;
        }
        meter.addOut(out.length);
        // Z_SYNC_FLUSH lets truncated input through silently; a complete member ends with an 8-byte trailer (CRC, size).
        const isize = buf.length >= 18 ? asBuffer(buf).readUInt32LE(buf.length - 4) : -1;
        if (isize !== (out.length >>> 0)) {
          // Re-run strictly to get zlib's own verdict (truncated or corrupt), or accept multi-member files.
          gunzipSync(buf, { maxOutputLength: cap + 1 });
        }
        return out;
      }
      case 'zstd': {
        const parts: Buffer[] = [];
        let ended = false;
        const d = new ZstdDecompress((data, final) => {
          meter.addOut(data.length);
          parts.push(asBuffer(data));
          if (final === true) ended = true;
        });
        const b = asBuffer(buf);
        for (let i = 0; i < b.length; i += 256 * 1024) d.push(b.subarray(i, i + 256 * 1024));
        d.push(new Uint8Array(0), true);
        if (!ended) throw new Error('unexpected end of zstd stream');
        return Buffer.concat(parts);
      }
      case 'xz':
        throw new DecompressError('unsupported', limits.name, 'xz needs the asynchronous decompressBuffer');
      case 'bzip2':
        throw new DecompressError('unsupported', limits.name, 'bzip2 compression is not supported (use gzip, zstd or xz)');
    }
  } catch (e) {
    throw classify(e, limits.name, format);
  }
}
