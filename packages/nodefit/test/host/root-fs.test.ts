import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { isPlainAbsolute, RootFs } from '../../src/host/root-fs.ts';
import { MemoryFs } from '../../src/host/memory-fs.ts';
import { HostFsError } from '../../src/host/host-fs.ts';
import { tempDir } from '../helpers/fixtures.ts';

test('absolute symlinks inside --root resolve inside the root, never to the real /', (t) => {
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, 'etc'));
  fs.writeFileSync(path.join(root, 'etc/os-release-real'), 'ID=inside\n');
  // /etc/os-release -> /etc/os-release-real (absolute) must mean <root>/etc/os-release-real
  fs.symlinkSync('/etc/os-release-real', path.join(root, 'etc/os-release'));
  // /escape -> ../../../../etc/passwd must stay inside the root and so not exist
  fs.symlinkSync('../../../../../../etc/hostname', path.join(root, 'escape'));
  const h = new RootFs(root);
  assert.equal(h.readFile('/etc/os-release').toString(), 'ID=inside\n');
  assert.equal(h.realpath('/etc/os-release'), '/etc/os-release-real');
  assert.throws(() => h.readFile('/escape'), (e: unknown) => e instanceof HostFsError && e.code === 'ENOENT');
});

test('a --root given as a symlink to the host directory is that directory: its "/" is a directory, not a link', (t) => {
  // a DaemonSet may mount the host at a path reached through a link (/host -> /mnt/host)
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'real/etc'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'real/etc/os-release'), 'ID=linked\n');
  fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'host'));
  const h = new RootFs(path.join(dir, 'host'));
  assert.equal(h.lstat('/')?.kind, 'dir');
  assert.equal(h.stat('/')?.kind, 'dir');
  assert.equal(h.readlink('/'), undefined);
  assert.deepEqual(h.readdir('/'), ['etc']);
  assert.equal(h.readFile('/etc/os-release').toString(), 'ID=linked\n');
  // a missing component, and one that is a file, are absent: never an exception out of the walk
  assert.equal(h.stat('/etc/none/deeper'), undefined);
  assert.equal(h.stat('/etc/os-release/below'), undefined);
});

test('symlink loops under --root are reported as ELOOP, not followed forever', (t) => {
  const root = tempDir(t);
  fs.symlinkSync('/b', path.join(root, 'a'));
  fs.symlinkSync('/a', path.join(root, 'b'));
  const h = new RootFs(root);
  assert.throws(() => h.readFile('/a/x'), (e: unknown) => e instanceof HostFsError && e.code === 'ELOOP');
});

test('a file larger than the limit is refused without being read whole', (t) => {
  const root = tempDir(t);
  const big = path.join(root, 'big');
  const fd = fs.openSync(big, 'w');
  fs.ftruncateSync(fd, 1024 * 1024 * 1024); // sparse 1 GiB
  fs.closeSync(fd);
  const h = new RootFs(root);
  const before = process.memoryUsage().rss;
  assert.throws(() => h.readFile('/big', 1024 * 1024), (e: unknown) => e instanceof HostFsError && e.code === 'ETOOBIG');
  assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024);
});

test('procfs files (size 0) are read completely on the live host', () => {
  const h = new RootFs('/');
  const text = h.readFile('/proc/self/mountinfo').toString();
  assert.match(text, / \/ /);
});

test('MemoryFs resolution stays inside its root for any path (property)', () => {
  const m = new MemoryFs('test');
  m.addFile('/etc/a', Buffer.from('a'));
  m.addSymlink('/lnk', '../../../etc');
  m.addSymlink('/loop', '/loop');
  fc.assert(
    fc.property(fc.array(fc.constantFrom('..', '.', 'etc', 'a', 'lnk', 'loop', 'x', ''), { maxLength: 12 }), (parts) => {
      const p = '/' + parts.join('/');
      try {
        const r = m.realpath(p);
        assert.ok(r.startsWith('/'));
        assert.ok(!r.split('/').includes('..'));
      } catch (e) {
        assert.ok(e instanceof HostFsError, String(e));
      }
    }),
  );
});

test('property: a live-host path taken as it is (not resolved again) is exactly what path.resolve gives', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('', '.', '..', 'proc', 'a.b', '.x', '..y', 'sys'), { maxLength: 6 }), fc.boolean(), (parts, slash) => {
      const p = (slash ? '/' : '') + parts.join('/');
      if (isPlainAbsolute(p)) assert.equal(path.resolve('/', p), p);
    }),
  );
  assert.equal(isPlainAbsolute('/proc/sys/kernel/osrelease'), true);
  assert.equal(isPlainAbsolute('/proc/../etc'), false);
});
