import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { archFromElf, archFromNode, archFromRelease } from '../../../src/facts/os/arch.ts';
import { need } from '../../helpers/fixtures.ts';

test('architecture from kernel release suffixes, and unknown when the release does not say', () => {
  assert.equal(archFromRelease('6.1.0-27-amd64'), 'x86_64');
  assert.equal(archFromRelease('6.12.117+deb12-arm64'), 'aarch64');
  assert.equal(archFromRelease('5.14.0-362.24.1.el9_3.aarch64'), 'aarch64');
  assert.equal(archFromRelease('4.18.0-513.el8.ppc64le'), 'ppc64le');
  assert.equal(archFromRelease('6.1.0-27-armmp-lpae'), 'armv7l');
  assert.equal(archFromRelease('6.8.0-31-generic'), undefined);
  assert.equal(archFromRelease('6.1.90'), undefined);
});

test('the ELF header of this machine\'s own node binary gives `uname -m`', (t) => {
  if (!need(t, process.platform === 'linux', 'Linux')) return;
  const head = Buffer.alloc(64);
  const fd = fs.openSync(process.execPath, 'r');
  fs.readSync(fd, head, 0, 64, 0);
  fs.closeSync(fd);
  assert.equal(archFromElf(head), execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
  assert.equal(archFromNode(process.arch), execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
});

test('archFromElf never throws and says nothing for non-ELF input (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      const a = archFromElf(b);
      if (!(b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46)) assert.equal(a, undefined);
    }),
  );
});
