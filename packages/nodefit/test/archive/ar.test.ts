// The ar member table (the container of every .deb): round trips, damaged headers, and properties over arbitrary bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { listArBuffer, listArFile } from '../../src/archive/ar.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import { debFixture, tempDir } from '../helpers/fixtures.ts';

/** Builds an ar archive the way binutils/dpkg do: 60-byte headers, data padded to even offsets. */
export function buildAr(members: ReadonlyArray<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [Buffer.from('!<arch>\n', 'latin1')];
  for (const m of members) {
    const h = `${m.name.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'100644'.padEnd(8)}${String(m.data.length).padEnd(10)}\`\n`;
    parts.push(Buffer.from(h, 'latin1'), m.data);
    if (m.data.length % 2 === 1) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

test('a real .deb lists debian-binary, control.tar and data.tar with their offsets', (t) => {
  const deb = debFixture('kmod');
  if (deb === null) {
    t.skip('kmod .deb not fetched');
    return;
  }
  const members = listArFile(deb.path);
  assert.deepEqual(members.map((m) => m.name), ['debian-binary', 'control.tar.xz', 'data.tar.xz']);
  const fd = fs.openSync(deb.path, 'r');
  const b = Buffer.alloc(4);
  fs.readSync(fd, b, 0, 4, members[0]!.offset);
  fs.closeSync(fd);
  assert.equal(b.toString(), '2.0\n');
});

test('round trip: members come back with their names, offsets and sizes', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9._]{0,14}$/), data: fc.uint8Array({ maxLength: 300 }) }), { maxLength: 6 }), (ms) => {
      const members = ms.map((m) => ({ name: m.name, data: Buffer.from(m.data) }));
      const buf = buildAr(members);
      const listed = listArBuffer(buf, 'x.deb');
      assert.deepEqual(listed.map((m) => m.name), members.map((m) => m.name));
      listed.forEach((m, i) => assert.deepEqual(buf.subarray(m.offset, m.offset + m.size), members[i]!.data));
    }),
  );
});

test('arbitrary bytes and damaged archives fail only with ArchiveError naming the file', () => {
  const good = buildAr([{ name: 'debian-binary', data: Buffer.from('2.0\n') }, { name: 'data.tar.xz', data: Buffer.alloc(99, 7) }]);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(good.length), fc.integer({ min: 0, max: 255 }), (junk, at, byte) => {
      for (const input of [Buffer.from(junk), Buffer.concat([Buffer.from('!<arch>\n'), Buffer.from(junk)]), Buffer.from(good.subarray(0, at)), (() => { const c = Buffer.from(good); c[at % c.length] = byte; return c; })()]) {
        try {
          listArBuffer(input, 'evil.deb');
        } catch (e) {
          assert.ok(e instanceof ArchiveError, String(e));
          assert.match((e as Error).message, /^evil\.deb: /);
          assert.doesNotMatch((e as Error).message, /\n/);
        }
      }
    }),
  );
});

test('a member that claims more bytes than the file has is refused (truncated download)', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'cut.deb');
  const whole = buildAr([{ name: 'debian-binary', data: Buffer.from('2.0\n') }, { name: 'data.tar.xz', data: Buffer.alloc(1000) }]);
  fs.writeFileSync(file, whole.subarray(0, 500));
  assert.throws(() => listArFile(file), /cut\.deb: ar member "data\.tar\.xz" claims 1000 bytes but the file ends/);
  fs.writeFileSync(file, 'hello');
  assert.throws(() => listArFile(file), /not an ar archive/);
});
