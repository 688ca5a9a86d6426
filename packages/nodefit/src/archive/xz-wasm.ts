// xz through the WASM decoder (xz-decompress) for when no `xz` executable is available. xz-decompress serialises
// decoders behind a process-wide lock that only a finished or cancelled stream releases, so a consumer that stops
// early (a bomb limit, a corrupt tar inside) must cancel the stream, or every later xz decode in the process waits
// forever. This wrapper always cancels; output is metered against the limits like every other path.
import { Readable } from 'node:stream';
import xzd from 'xz-decompress';
import { DecompressError, LimitMeter, type DecompressLimits } from './limits.ts';

export async function* xzWasmChunks(input: AsyncIterable<Buffer> | Iterable<Buffer>, limits: DecompressLimits): AsyncGenerator<Buffer> {
  const meter = new LimitMeter(limits);
  async function* metered(): AsyncGenerator<Buffer> {
    for await (const c of input) {
      meter.addIn(c.length);
      yield c;
    }
  }
  const src = Readable.from(metered(), { objectMode: false });
  const web = Readable.toWeb(src) as unknown as ReadableStream<Uint8Array>;
  const reader = new xzd.XzReadableStream(web).getReader();
  let done = false;
  try {
    for (;;) {
      let r: Awaited<ReturnType<typeof reader.read>>;
      try {
        r = await reader.read();
      } catch (e) {
        done = true; // the decoder released its lock when it failed
        const msg = e instanceof Error ? e.message : String(e);
        const truncated = /null|undefined|end/i.test(msg);
        throw new DecompressError(truncated ? 'truncated' : 'corrupt', limits.name, `xz data is ${truncated ? 'truncated' : 'corrupt'} (${msg.split('\n')[0] ?? msg})`);
      }
      if (r.done) {
        done = true;
        return;
      }
      meter.addOut(r.value.length);
      yield Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    src.destroy();
  }
}

/** Decompresses a whole .xz buffer (a module) under the limits. */
export async function xzWasmBuffer(buf: Buffer, limits: DecompressLimits): Promise<Buffer> {
  function* one(): Generator<Buffer> {
    for (let i = 0; i < buf.length; i += 256 * 1024) yield buf.subarray(i, i + 256 * 1024);
  }
  const parts: Buffer[] = [];
  for await (const c of xzWasmChunks(one(), limits)) parts.push(c);
  return Buffer.concat(parts);
}
