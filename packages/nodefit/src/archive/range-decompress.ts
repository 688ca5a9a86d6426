// Streams one member of a package file (a byte range read in place) through the right decompressor under limits.
// xz is the bottleneck for kernel packages: the WASM decoder (xz-embedded) runs ~4x slower than liblzma, so when an
// `xz` (or `zstd`) executable is on PATH the range is piped through it instead; NODEFIT_NATIVE_DECOMPRESS=0 forces the
// pure JS/WASM path, which is also the fallback. Either way output is metered against the same bomb limits.
import { spawn } from 'node:child_process';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { detectCompression, MAGIC_BYTES, type Compression } from './compression-magic.ts';
import { decompressChunks } from './decompress.ts';
import { DecompressError, LimitMeter, type DecompressLimits } from './limits.ts';
import { xzWasmChunks } from './xz-wasm.ts';
import { withPackageFile } from './package-file.ts';

const nativeCache = new Map<string, string | null>();

/** Absolute path of an executable on PATH, or null. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const cached = nativeCache.get(name);
  if (cached !== undefined) return cached;
  let found: string | null = null;
  for (const dir of (env.PATH ?? '').split(':')) {
    if (dir === '') continue;
    const p = nodePath.join(dir, name);
    try {
      nodeFs.accessSync(p, nodeFs.constants.X_OK);
      if (nodeFs.statSync(p).isFile()) {
        found = p;
        break;
      }
    } catch {
      // not here
    }
  }
  nativeCache.set(name, found);
  return found;
}

function nativeCommand(format: Compression): { cmd: string; args: string[] } | null {
  if (process.env.NODEFIT_NATIVE_DECOMPRESS === '0') return null;
  if (format === 'xz') {
    const xz = findExecutable('xz');
    return xz === null ? null : { cmd: xz, args: ['-dc', '-T0', '-q'] };
  }
  if (format === 'zstd') {
    const z = findExecutable('zstd');
    return z === null ? null : { cmd: z, args: ['-dc', '-q', '--long=31'] };
  }
  return null;
}

function readHead(path: string, start: number, size: number): Buffer {
  return withPackageFile(path, (fd) => {
    const b = Buffer.alloc(Math.min(MAGIC_BYTES, size));
    const n = nodeFs.readSync(fd, b, 0, b.length, start);
    return b.subarray(0, n);
  });
}

const READ_HWM = 1024 * 1024;

async function* nativeChunks(path: string, start: number, size: number, cmd: { cmd: string; args: string[] }, format: Compression, limits: DecompressLimits): AsyncGenerator<Buffer> {
  const child = spawn(cmd.cmd, cmd.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const input = nodeFs.createReadStream(path, { start, end: start + size - 1, highWaterMark: READ_HWM });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < 4096) stderr += s;
  });
  // EPIPE when we stop reading early (a limit tripped) is expected; the limit error is the one to report
  child.stdin.on('error', () => {});
  input.on('error', (e) => child.stdin.destroy(e));
  input.pipe(child.stdin);
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => resolve(code));
    // the executable vanished between lookup and spawn, or cannot run: report it like a failed decode
    child.on('error', (e) => {
      stderr += `${cmd.cmd}: ${e.message}\n`;
      resolve(-1);
    });
  });
  const meter = new LimitMeter(limits);
  meter.addIn(size);
  let finished = false;
  try {
    for await (const c of child.stdout) {
      const b = c as Buffer;
      meter.addOut(b.length);
      yield b;
    }
    const code = await exited;
    finished = true;
    if (code !== 0) {
      const first = stderr.split('\n').find((l) => l.trim() !== '') ?? `exit status ${String(code)}`;
      const truncated = /unexpected end|truncat|premature/i.test(first);
      throw new DecompressError(truncated ? 'truncated' : 'corrupt', limits.name, `${format} data is ${truncated ? 'truncated' : 'corrupt'} (${first.replace(/^[^:]*: \(stdin\): /, '')})`);
    }
  } finally {
    if (!finished) {
      input.destroy();
      child.kill('SIGKILL');
    }
  }
}

async function* fileChunks(path: string, start: number, size: number): AsyncGenerator<Buffer> {
  if (size === 0) return;
  for await (const c of nodeFs.createReadStream(path, { start, end: start + size - 1, highWaterMark: READ_HWM })) yield c as Buffer;
}

/** Decompressed bytes of [start, start+size) of a file, whatever its compression (or none). */
export function decompressRange(path: string, start: number, size: number, limits: DecompressLimits): { format: Compression; chunks: AsyncIterable<Buffer> } {
  const head = readHead(path, start, size);
  const format = detectCompression(head);
  const native = nativeCommand(format);
  if (native !== null) return { format, chunks: nativeChunks(path, start, size, native, format, limits) };
  if (format === 'xz') return { format, chunks: xzWasmChunks(fileChunks(path, start, size), limits) };
  return { format, chunks: decompressChunks(fileChunks(path, start, size), limits) };
}
