// Decompression by magic under limits: real CLI-compressed data round-trips, bombs and truncation fail with one line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

import { detectCompression } from '../../src/archive/compression-magic.ts';
import { decompressBuffer, decompressBufferSync, decompressStream } from '../../src/archive/decompress.ts';
import { DecompressError, FILE_LIMITS } from '../../src/archive/limits.ts';
import { tempDir } from '../helpers/fixtures.ts';

const limits = { ...FILE_LIMITS, name: 'test-input' };

function cliCompress(dir: string, tool: 'gzip' | 'zstd' | 'xz', data: Buffer, extra: string[] = []): Buffer {
  const p = path.join(dir, `in-${tool}`);
  fs.writeFileSync(p, data);
  return execFileSync(tool, [...extra, '-c', p], { maxBuffer: 256 * 1024 * 1024 });
}

function hasTool(t: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${t}`]);
    return true;
  } catch {
    return false;
  }
}

// Real data: a system binary, compressed by the real CLIs the way kbuild and image builders do.
const sample = fs.readFileSync(process.execPath).subarray(0, 3 * 1024 * 1024);

for (const tool of ['gzip', 'zstd', 'xz'] as const) {
  void test(`${tool} output of the real CLI round-trips, streamed and whole`, async (t) => {
    if (!hasTool(tool)) return t.skip(`${tool} CLI missing`);
    const dir = tempDir(t);
    const extra = tool === 'xz' ? ['--check=crc32', '--lzma2=dict=1MiB'] : [];
    const c = cliCompress(dir, tool, sample, extra);
    assert.equal(detectCompression(c), tool);
    assert.ok((await decompressBuffer(c, limits)).equals(sample));
    const chunks: Buffer[] = [];
    for await (const ch of decompressStream(fs.createReadStream(path.join(dir, `in-${tool}`)).pipe(new (await import('node:stream')).PassThrough()), limits)) chunks.push(ch as Buffer);
    assert.ok(Buffer.concat(chunks).equals(sample), 'plain input passes through');
    if (tool !== 'xz') assert.ok(decompressBufferSync(c, limits).equals(sample));
  });

  void test(`truncated ${tool} data fails as truncated or corrupt, naming the input`, async (t) => {
    if (!hasTool(tool)) return t.skip(`${tool} CLI missing`);
    const c = cliCompress(tempDir(t), tool, sample);
    const cut = c.subarray(0, Math.floor(c.length / 2));
    await assert.rejects(decompressBuffer(cut, limits), (e: unknown) => {
      assert.ok(e instanceof DecompressError);
      assert.match(e.message, /^test-input: /);
      assert.ok(['truncated', 'corrupt'].includes(e.kind), e.message);
      return true;
    });
    if (tool !== 'xz') assert.throws(() => decompressBufferSync(cut, limits), DecompressError);
  });
}

void test('a bomb (100x ratio) is stopped by the ratio limit, not by running out of memory', async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  assert.ok(bomb.length * 100 < 64 * 1024 * 1024);
  await assert.rejects(decompressBuffer(bomb, limits), (e: unknown) => e instanceof DecompressError && e.kind === 'ratio' && /bomb/.test(e.message));
  assert.throws(() => decompressBufferSync(bomb, limits), (e: unknown) => e instanceof DecompressError && (e.kind === 'ratio' || e.kind === 'too-big'));
});

void test('the output ceiling applies even to uncompressed data', async () => {
  await assert.rejects(
    decompressBuffer(Buffer.alloc(2048, 1), { name: 'x', maxOutputBytes: 1024, maxRatio: 1000 }),
    (e: unknown) => e instanceof DecompressError && e.kind === 'too-big',
  );
});

void test('bzip2 is named as unsupported', async () => {
  await assert.rejects(decompressBuffer(Buffer.from('BZh91AY&SY'), limits), /bzip2 compression is not supported/);
});

void test('property: arbitrary bytes behind any magic never throw anything but DecompressError', async () => {
  const magics = [Buffer.from([0x1f, 0x8b]), Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]), Buffer.alloc(0)];
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.uint8Array({ maxLength: 512 }), async (m, body) => {
      const input = Buffer.concat([magics[m]!, body]);
      try {
        await decompressBuffer(input, limits);
      } catch (e) {
        assert.ok(e instanceof DecompressError, String(e));
      }
      if (m !== 2) {
        try {
          decompressBufferSync(input, limits);
        } catch (e) {
          assert.ok(e instanceof DecompressError, String(e));
        }
      }
    }),
    { numRuns: 300 },
  );
});
