// newc cpio (RPM payloads): round trips under arbitrary chunking, hostile headers, truncation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CpioScanner } from '../../src/archive/cpio.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import type { ArchiveEntry } from '../../src/archive/entry.ts';

const hex = (n: number): string => n.toString(16).padStart(8, '0');
const pad4 = (n: number): Buffer => Buffer.alloc((4 - (n % 4)) % 4);

export function cpioEntry(name: string, mode: number, data: Buffer): Buffer {
  const nameBuf = Buffer.from(name + '\0');
  const h = '070701' + [1, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, nameBuf.length, 0].map(hex).join('');
  return Buffer.concat([Buffer.from(h, 'latin1'), nameBuf, pad4(110 + nameBuf.length), data, pad4(data.length)]);
}

export function buildCpio(files: ReadonlyArray<{ name: string; data: Buffer; mode?: number }>): Buffer {
  return Buffer.concat([...files.map((f) => cpioEntry(f.name, f.mode ?? 0o100644, f.data)), cpioEntry('TRAILER!!!', 0, Buffer.alloc(0))]);
}

function scan(buf: Buffer, chunk: number): Array<{ e: ArchiveEntry; data?: Buffer }> {
  const out: Array<{ e: ArchiveEntry; data?: Buffer }> = [];
  const s = new CpioScanner({ want: () => 1 << 20, entry: (e, data) => out.push(data === undefined ? { e } : { e, data: Buffer.from(data) }) }, 'p.rpm');
  for (let i = 0; i < buf.length; i += chunk) s.push(buf.subarray(i, i + chunk));
  s.end();
  return out;
}

test('round trip under any chunking: names normalised, data intact, symlink targets read', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ name: fc.stringMatching(/^\.\/[a-z]{1,8}(\/[a-z0-9]{1,8}(\.ko)?){0,3}$/), data: fc.uint8Array({ maxLength: 200 }) }), { maxLength: 8 }),
      fc.integer({ min: 1, max: 97 }),
      (files, chunk) => {
        const buf = buildCpio([...files.map((f) => ({ name: f.name, data: Buffer.from(f.data) })), { name: './l', data: Buffer.from('target/x'), mode: 0o120777 }]);
        const got = scan(buf, chunk);
        assert.equal(got.length, files.length + 1);
        files.forEach((f, i) => {
          assert.equal(got[i]!.e.path, f.name.slice(2));
          assert.deepEqual(got[i]!.data, Buffer.from(f.data));
        });
        assert.equal(got[files.length]!.e.kind, 'symlink');
        assert.equal(got[files.length]!.e.linkTarget, 'target/x');
      },
    ),
  );
});

test('arbitrary bytes, bit flips and truncation fail only with ArchiveError', () => {
  const good = buildCpio([{ name: './usr/lib/modules/6.12.0/modules.order', data: Buffer.from('kernel/a.ko.xz\n') }]);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (junk, at, byte) => {
      const flipped = Buffer.from(good);
      flipped[at] = byte;
      for (const input of [Buffer.from(junk), flipped, good.subarray(0, at)]) {
        try {
          scan(input, 64);
        } catch (e) {
          assert.ok(e instanceof ArchiveError, String(e));
          assert.match((e as Error).message, /^p\.rpm: /);
        }
      }
    }),
  );
});

test('hostile headers: wrong magic, impossible name length, "../" paths dropped, missing trailer', () => {
  assert.throws(() => scan(Buffer.from('0707070000'.padEnd(110, '0')), 110), /bad magic "070707" \(only "newc" cpio is supported\)/);
  const huge = Buffer.from('070701' + [1, 0o100644, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x7fffffff, 0].map(hex).join(''), 'latin1');
  assert.throws(() => scan(huge, 110), /impossible name length/);
  const got = scan(buildCpio([{ name: '../../etc/passwd', data: Buffer.from('x') }, { name: './ok', data: Buffer.from('y') }]), 7);
  assert.deepEqual(got.map((g) => g.e.path), ['ok']);
  const noTrailer = cpioEntry('./a', 0o100644, Buffer.from('abc'));
  assert.throws(() => scan(noTrailer, 50), /truncated \(no TRAILER!!! entry\)/);
});
