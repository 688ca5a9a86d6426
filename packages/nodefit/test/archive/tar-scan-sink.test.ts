// The tar reader as the image engine drives it: entry data streamed piece by piece or held in part, a path hook that
// may refuse the archive, reading past end-of-archive markers, v7 directories and signed-char checksums, all under
// any chunking, and arbitrary bytes still failing only with ArchiveError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { TarScanner, type ScanSink, type TarScanOptions } from '../../src/archive/tar-scan.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import type { ArchiveEntry } from '../../src/archive/entry.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { packTar } from '../helpers/image-builder.ts';

interface Seen {
  readonly e: ArchiveEntry;
  readonly held?: Buffer;
  readonly streamed?: Buffer;
}

/** Streams files whose name starts with "s", holds the first `head` bytes of the others. */
function scan(buf: Buffer, chunk: number, head: number, options: TarScanOptions = {}): Seen[] {
  const out: Seen[] = [];
  let pieces: Buffer[] = [];
  const sink: ScanSink = {
    want: () => 0,
    head: () => head,
    stream: (e) => e.path.split('/').pop()!.startsWith('s'),
    data: (_e, piece) => pieces.push(Buffer.from(piece)),
    entry: (e, held) => {
      out.push({ e, ...(held !== undefined ? { held: Buffer.from(held) } : {}), ...(pieces.length > 0 ? { streamed: Buffer.concat(pieces) } : {}) });
      pieces = [];
    },
  };
  const s = new TarScanner(sink, 'layer.tar', options);
  for (let i = 0; i < buf.length; i += chunk) s.push(buf.subarray(i, i + chunk));
  s.end();
  return out;
}

const fileArb = fc.record({
  name: fc.constantFrom('s', 'k').chain((p) => fc.stringMatching(/^[a-z0-9]{1,12}$/).map((n) => `${p}${n}`)),
  dir: fc.constantFrom('', 'usr/bin/', `lib/${'deep/'.repeat(30)}`),
  content: fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
});

void test('streamed and partly held entries carry exactly their bytes under any chunking (tar-stream and GNU tar archives)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(fileArb, { minLength: 1, maxLength: 6, selector: (f) => f.dir + f.name }), fc.integer({ min: 1, max: 2000 }), fc.nat(600), async (files, chunk, head) => {
      const tar = await packTar(files.map((f) => ({ name: f.dir + f.name, content: f.content })));
      const got = new Map(scan(tar, chunk, head).map((s) => [s.e.path, s]));
      for (const f of files) {
        const s = got.get(f.dir + f.name);
        assert.ok(s !== undefined, f.dir + f.name);
        assert.equal(s.e.size, f.content.length);
        if (f.name.startsWith('s')) {
          assert.deepEqual(s.streamed ?? Buffer.alloc(0), f.content);
          assert.equal(s.held, undefined);
        } else {
          assert.equal(s.streamed, undefined);
          const want = f.content.subarray(0, head);
          assert.deepEqual(s.held ?? Buffer.alloc(0), want);
        }
      }
    }),
    { numRuns: 60 },
  );
});

void test('GNU long names and pax paths reach the path hook; a hook that throws refuses the archive with its error', (t) => {
  const dir = tempDir(t);
  const long = `${'x'.repeat(120)}/${'y'.repeat(120)}`;
  fs.mkdirSync(path.join(dir, 'root', long), { recursive: true });
  fs.writeFileSync(path.join(dir, 'root', long, 'sfile'), 'streamed bytes');
  for (const format of ['gnu', 'pax']) {
    const tar = spawnSync('tar', [`--format=${format}`, '-C', path.join(dir, 'root'), '-cf', '-', '.']).stdout;
    const seen: string[] = [];
    const got = scan(tar, 333, 0, { normalise: (raw) => (seen.push(raw), raw.replace(/^\.\//, '')) });
    assert.ok(seen.includes(`./${long}/sfile`), format);
    assert.deepEqual(got.find((s) => s.e.path === `${long}/sfile`)?.streamed, Buffer.from('streamed bytes'));
    assert.throws(
      () =>
        scan(tar, 333, 0, {
          normalise: (raw) => {
            if (raw.endsWith('sfile')) throw new RangeError(`refused ${raw}`);
            return raw;
          },
        }),
      /refused .*sfile/,
    );
  }
});

void test('archives joined with their end markers read whole with ignoreZeros, and stop at the first marker without', async () => {
  const a = await packTar([{ name: 'kfirst', content: 'one' }]);
  const b = await packTar([{ name: 'ksecond', content: 'two' }]);
  const joined = Buffer.concat([a, b]);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3000 }), (chunk) => {
      assert.deepEqual(
        scan(joined, chunk, 10, { ignoreZeros: true }).map((s) => s.e.path),
        ['kfirst', 'ksecond'],
      );
      assert.deepEqual(
        scan(joined, chunk, 10).map((s) => s.e.path),
        ['kfirst'],
      );
    }),
  );
  // still truncated when the data stops inside a member
  assert.throws(() => scan(joined.subarray(0, a.length + 700), 512, 0, { ignoreZeros: true }), /truncated/);
});

/** hand-made: a single ustar header (no tool writes v7 directories or signed checksums any more). */
function header(name: string, flag: string, checksum: 'unsigned' | 'signed'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'latin1');
  h.write('0000755\0', 100);
  h.write('00000000000\0', 124);
  h.write(flag, 156);
  h.write('ustar\x0000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const c of h) sum += checksum === 'signed' && c >= 0x80 ? c - 0x100 : c;
  h.write(`${(sum >>> 0).toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, Buffer.alloc(1024)]);
}

void test('a v7 directory (regular type, name ending in "/") is a directory; signed-char checksums are accepted', () => {
  assert.equal(scan(header('etc/', '0', 'unsigned'), 512, 0)[0]?.e.kind, 'dir');
  assert.equal(scan(header('etc/', '\0', 'unsigned'), 512, 0)[0]?.e.kind, 'dir');
  const high = scan(header('caf\xe9/', '5', 'signed'), 512, 0);
  assert.equal(high[0]?.e.kind, 'dir');
  assert.throws(() => scan(header('caf\xe9/', '5', 'signed').fill(0x41, 0, 1), 512, 0), ArchiveError);
});

void test('arbitrary bytes and damaged archives still fail only with ArchiveError, whatever the sink asks', async () => {
  const good = await packTar([
    { name: 'sone', content: 'x'.repeat(900) },
    { name: 'ktwo', content: 'y'.repeat(700) },
  ]);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 700 }), (junk, at, byte, chunk) => {
      const flipped = Buffer.from(good);
      flipped[at] = byte;
      for (const input of [Buffer.from(junk), flipped, good.subarray(0, at)]) {
        for (const options of [{}, { ignoreZeros: true }]) {
          try {
            scan(input, chunk, 100, options);
          } catch (e) {
            assert.ok(e instanceof ArchiveError, String(e));
          }
        }
      }
    }),
  );
});
