// The payload tar reader (.deb data.tar): GNU long names, pax and ustar prefixes as GNU tar writes them, any chunking,
// and arbitrary or damaged bytes failing only with ArchiveError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { TarScanner } from '../../src/archive/tar-scan.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import type { ArchiveEntry } from '../../src/archive/entry.ts';
import { tempDir } from '../helpers/fixtures.ts';

function scan(buf: Buffer, chunk: number, transient = false): Array<{ e: ArchiveEntry; data?: string }> {
  const out: Array<{ e: ArchiveEntry; data?: string }> = [];
  const s = new TarScanner({ want: () => 1 << 20, transient: () => transient, entry: (e, d) => out.push(d === undefined ? { e } : { e, data: d.toString() }) }, 'data.tar');
  for (let i = 0; i < buf.length; i += chunk) s.push(buf.subarray(i, i + chunk));
  s.end();
  return out;
}

const LONG = `lib/modules/6.12.117+deb12-amd64/kernel/${'drivers/'.repeat(12)}very_long_module_name.ko.xz`;

test('GNU, pax and ustar archives from GNU tar: long names, symlinks, data intact under any chunking', (t) => {
  const dir = tempDir(t);
  const root = path.join(dir, 'root');
  fs.mkdirSync(path.dirname(path.join(root, LONG)), { recursive: true });
  fs.writeFileSync(path.join(root, LONG), 'module bytes');
  fs.mkdirSync(path.join(root, 'boot'));
  fs.writeFileSync(path.join(root, 'boot/config-6.12'), 'CONFIG_X=y\n');
  fs.symlinkSync('config-6.12', path.join(root, 'boot/config'));
  for (const format of ['gnu', 'pax', 'ustar']) {
    const r = spawnSync('tar', [`--format=${format}`, '--sort=name', '-C', root, '-cf', '-', '.']);
    assert.equal(r.status, 0, r.stderr.toString());
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1500 }), fc.boolean(), (chunk, transient) => {
        const got = scan(r.stdout, chunk, transient);
        const files = new Map(got.map((g) => [g.e.path, g]));
        assert.equal(files.get(LONG)?.data, 'module bytes', format);
        assert.equal(files.get('boot/config-6.12')?.data, 'CONFIG_X=y\n');
        assert.equal(files.get('boot/config')?.e.kind, 'symlink');
        assert.equal(files.get('boot/config')?.e.linkTarget, 'config-6.12');
        assert.equal(files.get('boot')?.e.kind, 'dir');
      }),
      { numRuns: 30 },
    );
  }
});

test('arbitrary bytes, bit flips and truncation fail only with ArchiveError naming the input', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'f'), 'x'.repeat(700));
  const good = spawnSync('tar', ['--format=gnu', '-C', dir, '-cf', '-', 'f']).stdout;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (junk, at, byte) => {
      const flipped = Buffer.from(good);
      flipped[at] = byte;
      for (const input of [Buffer.from(junk), flipped, good.subarray(0, at)]) {
        try {
          scan(input, 97);
        } catch (e) {
          assert.ok(e instanceof ArchiveError, String(e));
          assert.match((e as Error).message, /^data\.tar: /);
        }
      }
    }),
  );
  assert.throws(() => scan(good.subarray(0, 700), 512), /tar data is truncated \(ends inside a member\)/);
  assert.throws(() => scan(Buffer.alloc(512, 0x41), 512), /bad checksum/);
});
